import type { Finding, StatsDump } from './types.js';

/**
 * The seed's "Monitoring" table and "Common Issues & Troubleshooting" section as code. A pure
 * function of a stats dump, so the same findings come from a live heap (heap.doctor()), a saved
 * dump or a remote /stats.json (the CLI).
 */
export const DOCTOR_THRESHOLDS = {
  /** slowPathHits / totalAllocs: seed target < 5%. */
  slowPathRate: 0.05,
  /** Minimum allocations before rates are judged. */
  minAllocs: 10_000,
  /** emptySlabOverflowed / emptySlabRecycled: seed target < 1%. */
  overflowRate: 0.01,
  minRecycleEvents: 100,
  /** casRetries / casAttempts: seed target < 0.01. */
  casRetryRate: 0.01,
  /** lockContended / lockAcquisitions: seed says < 15% is normal. */
  lockContention: 0.15,
  /** committed / live bytes per class: seed target < 2x. */
  fragmentation: 2,
  /** A closing/closed epoch older than this many advances that still holds objects is pinned. */
  pinnedAge: 64,
  /** Committed growth over the history window with live growth under liveFlat. */
  committedGrowth: 0.2,
  liveFlat: 0.05,
  /** Buffer slabs / slabs in use (active + cached + reserved) above which the tail is pinned. */
  tailPinned: 2,
  /** Allocations before "epochs never advanced" is reported. */
  neverAdvancedAllocs: 100_000,
} as const;

export function diagnose(dump: StatsDump): Finding[] {
  const t = DOCTOR_THRESHOLDS;
  const g = dump.global;
  const findings: Finding[] = [];
  const add = (f: Finding) => findings.push(f);

  if (g.totalAllocs >= t.minAllocs) {
    const rate = g.slowPathHits / g.totalAllocs;
    if (rate > t.slowPathRate) {
      const miss = dump.classes.reduce((n, c) => n + c.slowPathCacheMiss, 0);
      const closed = g.slowPathEpochClosed;
      add({
        id: 'slow-path-rate', severity: 'warn', metric: 'slowPathHits / totalAllocs', value: rate, threshold: t.slowPathRate,
        message: `${(rate * 100).toFixed(1)}% of allocations took the slow path (cache misses ${miss}, closed-epoch refusals ${closed})`,
        action: miss >= closed
          ? 'cache misses dominate: raise cacheSlabs, or slabBytes so each slab serves more allocations'
          : 'closed-epoch refusals dominate: advance epochs less often (frame adapter advanceEvery) or allocate into the current epoch',
      });
    }
  }
  if (g.slowPathEpochClosed > 0) {
    add({
      id: 'epoch-closed-allocs', severity: 'warn', metric: 'slowPathEpochClosed', value: g.slowPathEpochClosed, threshold: 0,
      message: `${g.slowPathEpochClosed} allocations into closing/closed epochs were refused (returned the null handle)`,
      action: 'allocate into epochCurrent() or an epoch opened with epochOpen()/domain(); check code that keeps an old epoch id',
    });
  }
  for (const c of dump.classes) {
    const events = c.emptySlabRecycled + c.emptySlabOverflowed;
    if (events >= t.minRecycleEvents && c.emptySlabOverflowed / Math.max(1, c.emptySlabRecycled) > t.overflowRate) {
      add({
        id: 'cache-overflow', severity: 'info', metric: 'emptySlabOverflowed / emptySlabRecycled', classIndex: c.classIndex,
        value: c.emptySlabOverflowed / Math.max(1, c.emptySlabRecycled), threshold: t.overflowRate,
        message: `class ${c.objectSize} B: the empty-slab cache is saturated (${c.emptySlabOverflowed} slabs overflowed)`,
        action: 'raise cacheSlabs if memory allows; overflowed slabs go back to the buffer and are re-formatted on reuse',
      });
    }
    if (c.casAttempts > 0 && c.casRetries / c.casAttempts > t.casRetryRate) {
      add({
        id: 'cas-retries', severity: 'warn', metric: 'casRetries / casAttempts', classIndex: c.classIndex,
        value: c.casRetries / c.casAttempts, threshold: t.casRetryRate,
        message: `class ${c.objectSize} B: lock-free operations retry often`,
        action: 'fewer workers allocating the same class, or per-worker epochs',
      });
    }
    if (c.lockAcquisitions > 0 && c.lockContended / c.lockAcquisitions > t.lockContention) {
      add({
        id: 'lock-contention', severity: 'warn', metric: 'lockContended / lockAcquisitions', classIndex: c.classIndex,
        value: c.lockContended / c.lockAcquisitions, threshold: t.lockContention,
        message: `class ${c.objectSize} B: slow-path lock contended`,
        action: 'reduce workers sharing the class or raise cacheSlabs so the slow path runs less',
      });
    }
    if (dump.config.diagnostics && c.liveBytes >= dump.config.slabBytes && c.committedBytes / c.liveBytes > t.fragmentation) {
      add({
        id: 'fragmentation', severity: 'warn', metric: 'committedBytes / liveBytes', classIndex: c.classIndex,
        value: c.committedBytes / c.liveBytes, threshold: t.fragmentation,
        message: `class ${c.objectSize} B holds ${(c.committedBytes / c.liveBytes).toFixed(2)}x its live bytes`,
        action: 'profile object sizes against sizeClasses; close epochs so sparse slabs drain; lower cacheSlabs',
      });
    }
  }
  for (const e of dump.epochs) {
    if ((e.state === 'closing' || e.state === 'closed') && e.liveObjects > 0 && e.age >= t.pinnedAge) {
      add({
        id: 'epoch-pinned', severity: 'warn', metric: 'epoch age (advances)', epoch: e.epoch, value: e.age, threshold: t.pinnedAge,
        message: `epoch ${e.epoch}${e.label ? ` (${e.label})` : ''} is ${e.state} but ${e.liveObjects} objects keep it alive ${e.age} advances later, pinning ${e.slabs} slab(s) and a ring slot`,
        action: 'move long-lived objects to an epoch of their own (epochOpen/domain) or free them; each pinned epoch takes a ring slot',
      });
    }
  }
  if (g.closingEpochs >= Math.max(2, dump.config.epochSlots / 2)) {
    add({
      id: 'epochs-not-closed', severity: 'warn', metric: 'closingEpochs', value: g.closingEpochs, threshold: dump.config.epochSlots / 2,
      message: `${g.closingEpochs} advanced epochs were never closed and still hold objects`,
      action: 'call epochClose() at phase boundaries (the frame adapter does it every advance) so drained memory is reclaimed',
    });
  }
  const busy = dump.epochs.length;
  if (busy >= dump.config.epochSlots - 1) {
    add({
      id: 'ring-nearly-full', severity: 'warn', metric: 'busy ring slots', value: busy, threshold: dump.config.epochSlots - 1,
      message: `${busy} of ${dump.config.epochSlots} ring slots are busy: the next advance may fail`,
      action: 'free or reset old epochs, close domains, or raise epochSlots',
    });
  }
  if (g.epochsAdvanced === 0 && g.totalAllocs >= t.neverAdvancedAllocs) {
    add({
      id: 'never-advanced', severity: 'info', metric: 'epochsAdvanced', value: 0, threshold: 1,
      message: `${g.totalAllocs} allocations and no epoch advance: every object shares epoch 0, defeating temporal grouping`,
      action: 'advance every N frames (createFrameEpochs) or per phase',
    });
  }
  const h = dump.committedHistory;
  const l = dump.liveHistory;
  if (h.length >= 8) {
    const committedGrowth = (h[h.length - 1] - h[0]) / Math.max(1, h[0]);
    const liveGrowth = Math.abs(l[l.length - 1] - l[0]) / Math.max(1, l[0]);
    if (committedGrowth > t.committedGrowth && liveGrowth < t.liveFlat) {
      add({
        id: 'committed-growing', severity: 'warn', metric: 'committed growth over the last advances', value: committedGrowth, threshold: t.committedGrowth,
        message: `committed bytes grew ${(committedGrowth * 100).toFixed(0)}% over ${h.length} advances while live objects stayed flat`,
        action: 'memory is held by epochs that are never closed: call epochClose() after each advance',
      });
    } else if (committedGrowth > t.committedGrowth && (l[l.length - 1] - l[0]) / Math.max(1, l[0]) > t.committedGrowth) {
      add({
        id: 'live-growing', severity: 'info', metric: 'live object growth over the last advances', value: (l[l.length - 1] - l[0]) / Math.max(1, l[0]), threshold: t.committedGrowth,
        message: `live objects grew with committed bytes over ${h.length} advances: a true leak or a growing world`,
        action: 'audit alloc/free pairs; statsEpoch() shows which epochs hold the objects',
      });
    }
  }
  const slabBytes = dump.config.slabBytes;
  const usedSlabs = 1 + dump.classes.reduce((n, c) => n + c.slabs, 0) + g.cachedSlabs;
  const bufferSlabs = g.bufferBytes / slabBytes;
  if (!dump.config.shared && bufferSlabs >= 32 && bufferSlabs > t.tailPinned * usedSlabs) {
    add({
      id: 'tail-pinned', severity: 'warn', metric: 'buffer slabs / slabs in use', value: bufferSlabs / usedSlabs, threshold: t.tailPinned,
      message: `the buffer holds ${bufferSlabs} slabs but only ${usedSlabs} are in use: live objects high in the buffer keep the free slabs below them from being returned`,
      action: 'allocate long-lived objects early or in an epoch of their own so they sit low; free or reset stragglers of old epochs',
    });
  }
  if (g.allocFailedMaxBytes > 0) {
    add({
      id: 'max-bytes', severity: 'error', metric: 'allocFailedMaxBytes', value: g.allocFailedMaxBytes, threshold: 0,
      message: `${g.allocFailedMaxBytes} allocations failed because maxBytes (${dump.config.maxBytes}) was reached`,
      action: 'raise maxBytes, or free/close epochs sooner',
    });
  }
  if (dump.config.shared && g.reservedBytes > 2 * g.committedBytes && g.reservedBytes > 16 * dump.config.slabBytes) {
    add({
      id: 'shared-cannot-shrink', severity: 'info', metric: 'reservedBytes / committedBytes', value: g.reservedBytes / Math.max(1, g.committedBytes), threshold: 2,
      message: 'a SharedArrayBuffer only grows: free slabs are reused but never returned to the OS',
      action: 'in shared mode the cache bound (cacheSlabs) is the only bound; size maxBytes for the peak',
    });
  }
  return findings;
}
