import { HISTORY_LENGTH, RING_CLOSED, RING_CLOSING, RING_FREE, RING_OPEN } from '../layout.js';
import { STATS_SCHEMA_VERSION } from '../stats.js';
import type { CloseReport, EpochId, SlabClassStats, SlabEpochStats, SlabGlobalStats, StatsDump } from '../types.js';
import type { SharedViewStats } from './api.js';
import { countIn, labelAt, ringOf, stateName } from './epoch-ops.js';
import {
  C_ALLOCS, C_CACHE_MISS, C_CAS, C_CAS_RETRIES, C_EPOCH_CLOSED, C_LOCK_CONTENDED, C_LOCKS, C_OVERFLOWED, C_RECYCLED, C_SLOW,
  F_ADVANCES, F_ALLOC_FAILED, F_CURRENT, F_HISTORY_COUNT, F_PEAK, H_ACTIVE_SLABS, H_ADOPTIONS, H_CACHED_SLABS, H_GROWS, H_LEASE_MS,
  H_LOCK_STEALS, H_SLAB_TOP, MAX_OWNERS, OWNER_ALIVE, OWNER_EXITED, OWNER_FREE,
} from './layout.js';
import type { SharedView } from './view.js';

/**
 * Stats of a shared heap: counters are per owner (each view writes only its own row, so counting
 * costs no atomics) and are summed here. While other workers run, a read is a moment's sum, not a
 * snapshot; once they are idle it is exact.
 */
/** Metadata bytes for `slabs` slabs: the fixed part, the registered owners' rows, per-slab entries. */
function metadataBytes(v: SharedView, slabs: number): number {
  const s = v.s;
  let owners = 0;
  for (let o = 1; o < MAX_OWNERS; o++) if (s.ownerState[o] !== OWNER_FREE) owners++;
  return s.layout.fixedBytes + slabs * s.layout.bytesPerSlab + (owners + 1) * s.layout.rowBytes;
}

export function sharedClassStats(v: SharedView, cls: number, into?: SlabClassStats): SlabClassStats {
  const s = v.s;
  const out = into ?? ({} as SlabClassStats);
  const objectSize = v.sizes[cls];
  const allocs = s.counter(C_ALLOCS, cls);
  const live = s.live(-1, cls);
  const diagnostics = v.config.diagnostics;
  out.classIndex = cls;
  out.objectSize = objectSize;
  out.committedBytes = diagnostics ? (s.classActive[cls] + s.cacheCount[cls]) * v.slabBytes : 0;
  out.liveBytes = diagnostics ? live * objectSize : 0;
  out.emptySlabs = diagnostics ? s.cacheCount[cls] : 0;
  out.liveObjects = live;
  out.slabs = s.classActive[cls];
  out.slowPathHits = s.counter(C_SLOW, cls);
  out.slowPathCacheMiss = s.counter(C_CACHE_MISS, cls);
  out.slowPathEpochClosed = s.counter(C_EPOCH_CLOSED, cls);
  out.emptySlabRecycled = s.counter(C_RECYCLED, cls);
  out.emptySlabOverflowed = s.counter(C_OVERFLOWED, cls);
  out.reclaimedBytes = 0;
  out.totalAllocs = allocs;
  out.totalFrees = allocs - live;
  out.lockAcquisitions = s.counter(C_LOCKS, cls);
  out.lockContended = s.counter(C_LOCK_CONTENDED, cls);
  out.casRetries = s.counter(C_CAS_RETRIES, cls);
  out.casAttempts = s.counter(C_CAS, cls);
  return out;
}

export function sharedGlobalStats(v: SharedView, into?: SlabGlobalStats): SlabGlobalStats {
  const s = v.s;
  const out = into ?? ({} as SlabGlobalStats);
  let allocs = 0;
  let slow = 0;
  let closed = 0;
  for (let cls = 0; cls < v.classCount; cls++) {
    allocs += s.counter(C_ALLOCS, cls);
    slow += s.counter(C_SLOW, cls);
    closed += s.counter(C_EPOCH_CLOSED, cls);
  }
  // The buffer is maxBytes from the start; what the heap has used (and the OS committed) is slabTop slabs.
  const buffer = s.hdr[H_SLAB_TOP] * v.slabBytes;
  // Committed counts the metadata of slabs in use; reserved, of every slab the buffer ever held.
  const metadata = metadataBytes(v, s.hdr[H_SLAB_TOP]);
  const usedMetadata = metadataBytes(v, s.hdr[H_ACTIVE_SLABS]);
  const live = s.liveObjects();
  out.totalAllocs = allocs;
  out.totalFrees = allocs - live;
  out.liveObjects = live;
  out.currentEpoch = s.hdr64[F_CURRENT];
  out.openEpochs = countIn(v, RING_OPEN);
  out.closingEpochs = countIn(v, RING_CLOSING);
  out.closedEpochs = countIn(v, RING_CLOSED);
  out.committedBytes = s.hdr[H_ACTIVE_SLABS] * v.slabBytes + usedMetadata;
  out.reservedBytes = buffer + metadata;
  out.peakBytes = Math.max(s.hdr64[F_PEAK], buffer) + metadata;
  out.reclaimedBytes = 0;
  out.slowPathHits = slow;
  out.slowPathEpochClosed = closed;
  out.allocFailedMaxBytes = s.hdr64[F_ALLOC_FAILED];
  out.viewVersion = s.hdr[H_GROWS];
  out.epochsAdvanced = s.hdr64[F_ADVANCES];
  out.cachedSlabs = s.hdr[H_CACHED_SLABS];
  out.activeSlabs = s.hdr[H_ACTIVE_SLABS];
  out.bufferBytes = buffer;
  out.shared = true;
  out.diagnostics = v.config.diagnostics;
  return out;
}

export function sharedEpochStats(v: SharedView, e: EpochId, into?: SlabEpochStats): SlabEpochStats {
  const s = v.s;
  const out = into ?? ({} as SlabEpochStats);
  const ring = ringOf(v, e);
  out.epoch = e;
  out.ringSlot = e % s.layout.epochSlots;
  if (ring < 0) {
    out.state = 'free';
    out.age = 0;
    out.label = '';
    out.liveObjects = 0;
    out.slabs = 0;
    out.bytes = 0;
    return out;
  }
  out.state = stateName(v, ring);
  out.age = s.hdr64[F_ADVANCES] - s.ringOpenedAt[ring];
  out.label = s.ringLabel[ring] < 0 ? '' : labelAt(v, s.ringLabel[ring]);
  out.liveObjects = s.ringLive(ring);
  out.slabs = s.ringSlabs[ring];
  out.bytes = out.slabs * v.slabBytes;
  return out;
}

export function sharedDump(v: SharedView): StatsDump {
  const s = v.s;
  const classes: SlabClassStats[] = [];
  for (let cls = 0; cls < v.classCount; cls++) classes.push(sharedClassStats(v, cls));
  const rings: number[] = [];
  for (let r = 0; r < s.layout.epochSlots; r++) if (s.ringState[r] !== RING_FREE) rings.push(r);
  rings.sort((a, b) => s.ringIds[a] - s.ringIds[b]);
  const total = s.hdr64[F_HISTORY_COUNT];
  const count = Math.min(total, HISTORY_LENGTH);
  const committedHistory: number[] = [];
  const liveHistory: number[] = [];
  for (let i = total - count; i < total; i++) {
    committedHistory.push(s.historyCommitted[i % HISTORY_LENGTH]);
    liveHistory.push(s.historyLive[i % HISTORY_LENGTH]);
  }
  const c = v.config;
  return {
    schemaVersion: STATS_SCHEMA_VERSION,
    kind: 'tslab-stats',
    config: {
      sizeClasses: [...c.sizeClasses], slabBytes: c.slabBytes, epochSlots: c.epochSlots, cacheSlabs: c.cacheSlabs,
      maxBytes: c.maxBytes, shared: true, diagnostics: c.diagnostics, backing: 'shared',
    },
    global: sharedGlobalStats(v),
    classes,
    epochs: rings.map((r) => sharedEpochStats(v, s.ringIds[r])),
    committedHistory,
    liveHistory,
  };
}

export function viewStatsOf(v: SharedView): SharedViewStats {
  const s = v.s;
  const alive: number[] = [];
  const exited: number[] = [];
  for (let owner = 1; owner < MAX_OWNERS; owner++) {
    if (s.ownerState[owner] === OWNER_ALIVE) alive.push(owner);
    else if (s.ownerState[owner] === OWNER_EXITED) exited.push(owner);
  }
  return { ownerId: v.owner, alive, exited, adoptions: s.hdr[H_ADOPTIONS], lockSteals: s.hdr[H_LOCK_STEALS], leaseMs: s.hdr[H_LEASE_MS] };
}

// ---- argument checks and report objects shared with the allocator (same messages as plain mode) ----

export function classIndex(i: number, classCount: number): number {
  if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= classCount) {
    const error = typeof i === 'number' && Number.isInteger(i) ? RangeError : TypeError;
    throw new error(`i must be a size class index in 0..${classCount - 1}, got ${String(i)}`);
  }
  return i;
}

export function sizeError(size: unknown, max: number): Error {
  const detail = typeof size === 'number' ? String(size) : `${typeof size} ${JSON.stringify(size) ?? String(size)}`;
  const message = `size must be an integer in 1..${max} bytes, got ${detail}`;
  return typeof size === 'number' && Number.isInteger(size) ? new RangeError(message) : new TypeError(message);
}

export function emptyReport(): CloseReport {
  return { epoch: 0, state: 'free', liveObjects: 0, freedObjects: 0, releasedSlabs: 0, reclaimedBytes: 0 };
}
