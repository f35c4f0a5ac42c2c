import type { SlabClassStats, SlabEpochStats, StatsDump } from '@tslab/core';

/**
 * Every metric family this package exports, as data: the collectors are generated from these
 * tables, and `metricCatalog()` lists them (the README's table is checked against it).
 */
export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricInfo {
  /** Full name, prefix included. */
  name: string;
  type: MetricType;
  labels: readonly string[];
  help: string;
}

export interface ClassSpec {
  suffix: string;
  type: 'counter' | 'gauge';
  help: string;
  read(c: SlabClassStats): number;
}

export interface HeapSpec {
  suffix: string;
  type: 'counter' | 'gauge';
  help: string;
  read(d: StatsDump): number;
}

export interface EpochSpec {
  suffix: string;
  help: string;
  read(e: SlabEpochStats): number;
}

export const CLASS_LABELS = ['heap', 'class', 'object_size'] as const;
export const HEAP_LABELS = ['heap'] as const;
export const EPOCH_LABELS_WITH_ID = ['heap', 'slot', 'epoch', 'state', 'label'] as const;
export const EPOCH_LABELS_BY_SLOT = ['heap', 'slot', 'state', 'label'] as const;

export const CLASS_SPECS: readonly ClassSpec[] = [
  { suffix: 'allocs_total', type: 'counter', help: 'Objects allocated in the size class (handle and malloc API).', read: (c) => c.totalAllocs },
  { suffix: 'frees_total', type: 'counter', help: 'Objects freed in the size class.', read: (c) => c.totalFrees },
  { suffix: 'slow_path_hits_total', type: 'counter', help: 'Allocations that left the fast path (no current slab with a free slot).', read: (c) => c.slowPathHits },
  { suffix: 'slow_path_cache_misses_total', type: 'counter', help: 'Slow-path allocations that found no cached empty slab and had to take new memory.', read: (c) => c.slowPathCacheMiss },
  { suffix: 'slow_path_epoch_closed_total', type: 'counter', help: 'Allocations refused because their epoch no longer accepts allocations.', read: (c) => c.slowPathEpochClosed },
  { suffix: 'empty_slabs_recycled_total', type: 'counter', help: 'Empty slabs put back into the class cache for reuse.', read: (c) => c.emptySlabRecycled },
  { suffix: 'empty_slabs_overflowed_total', type: 'counter', help: 'Empty slabs released because the class cache was full.', read: (c) => c.emptySlabOverflowed },
  { suffix: 'reclaimed_bytes_total', type: 'counter', help: 'Bytes of the class returned by shrinking the backing memory (the seed madvise_bytes).', read: (c) => c.reclaimedBytes },
  { suffix: 'lock_acquisitions_total', type: 'counter', help: 'Class lock acquisitions (shared mode).', read: (c) => c.lockAcquisitions },
  { suffix: 'lock_contended_total', type: 'counter', help: 'Class lock acquisitions that had to wait (shared mode).', read: (c) => c.lockContended },
  { suffix: 'cas_attempts_total', type: 'counter', help: 'Compare-and-swap attempts on the allocation path (shared mode).', read: (c) => c.casAttempts },
  { suffix: 'cas_retries_total', type: 'counter', help: 'Compare-and-swap attempts that lost a race and retried (shared mode).', read: (c) => c.casRetries },
  { suffix: 'class_live_objects', type: 'gauge', help: 'Live objects in the size class.', read: (c) => c.liveObjects },
  { suffix: 'class_live_bytes', type: 'gauge', help: 'Live objects x object size (counted whether or not diagnostics are on).', read: (c) => c.liveObjects * c.objectSize },
  { suffix: 'class_slabs', type: 'gauge', help: 'Slabs assigned to the size class.', read: (c) => c.slabs },
  { suffix: 'class_committed_bytes', type: 'gauge', help: 'Slab bytes held by the class, cached slabs included (0 unless diagnostics are on).', read: (c) => c.committedBytes },
  { suffix: 'class_empty_slabs', type: 'gauge', help: 'Empty slabs in the class cache (0 unless diagnostics are on).', read: (c) => c.emptySlabs },
];

function liveBytes(d: StatsDump): number {
  let sum = 0;
  for (const c of d.classes) sum += c.liveObjects * c.objectSize;
  return sum;
}

export const HEAP_SPECS: readonly HeapSpec[] = [
  { suffix: 'live_bytes', type: 'gauge', help: 'Live object bytes: sum over classes of live objects x object size.', read: liveBytes },
  { suffix: 'live_objects', type: 'gauge', help: 'Live objects in the heap.', read: (d) => d.global.liveObjects },
  { suffix: 'committed_bytes', type: 'gauge', help: 'Backing memory in use by slabs and metadata.', read: (d) => d.global.committedBytes },
  { suffix: 'reserved_bytes', type: 'gauge', help: 'Backing memory held, cached and free slabs included, plus metadata.', read: (d) => d.global.reservedBytes },
  { suffix: 'peak_bytes', type: 'gauge', help: 'Highest reserved bytes seen.', read: (d) => d.global.peakBytes },
  { suffix: 'buffer_bytes', type: 'gauge', help: 'Size of the backing buffer.', read: (d) => d.global.bufferBytes },
  { suffix: 'max_bytes', type: 'gauge', help: 'Configured ceiling of the backing memory (maxBytes).', read: (d) => d.config.maxBytes },
  { suffix: 'current_epoch', type: 'gauge', help: 'Epoch id allocations go to by default.', read: (d) => d.global.currentEpoch },
  { suffix: 'open_epochs', type: 'gauge', help: 'Epochs accepting allocations.', read: (d) => d.global.openEpochs },
  { suffix: 'closing_epochs', type: 'gauge', help: 'Epochs advanced past and draining.', read: (d) => d.global.closingEpochs },
  { suffix: 'closed_epochs', type: 'gauge', help: 'Closed epochs still holding live objects.', read: (d) => d.global.closedEpochs },
  { suffix: 'epoch_slots', type: 'gauge', help: 'Size of the epoch ring.', read: (d) => d.config.epochSlots },
  { suffix: 'diagnostics_enabled', type: 'gauge', help: '1 when diagnostic byte counters are on (class_committed_bytes and class_empty_slabs are real), else 0.', read: (d) => (d.global.diagnostics ? 1 : 0) },
  { suffix: 'buffer_reclaimed_bytes_total', type: 'counter', help: 'Bytes returned by shrinking the backing buffer.', read: (d) => d.global.reclaimedBytes },
  { suffix: 'alloc_failed_max_bytes_total', type: 'counter', help: 'Allocations refused because maxBytes was reached.', read: (d) => d.global.allocFailedMaxBytes },
  { suffix: 'epochs_advanced_total', type: 'counter', help: 'Epoch advances.', read: (d) => d.global.epochsAdvanced },
  { suffix: 'view_replacements_total', type: 'counter', help: 'Times the backing buffer was replaced or resized (copy mode: typed-array views re-read).', read: (d) => d.global.viewVersion },
];

export const EPOCH_SPECS: readonly EpochSpec[] = [
  { suffix: 'epoch_live_objects', help: 'Live objects in the epoch (one series per ring slot that is not free).', read: (e) => e.liveObjects },
  { suffix: 'epoch_slabs', help: 'Slabs owned by the epoch.', read: (e) => e.slabs },
  { suffix: 'epoch_bytes', help: 'Slab bytes owned by the epoch.', read: (e) => e.bytes },
  { suffix: 'epoch_age_epochs', help: 'Epochs advanced since the epoch opened.', read: (e) => e.age },
];

export const DOCTOR_SUFFIX = 'doctor_findings';
export const INFO_SUFFIX = 'heap_info';
export const INFO_LABELS = ['heap', 'backing', 'shared', 'diagnostics', 'slab_bytes', 'cache_slabs'] as const;

export const FRAME_SPECS = {
  tick: { suffix: 'frame_tick_seconds', help: 'Sampled frame tick durations (FrameReport.tickMs / 1000): fed by observeFrame, or sampled from frames.report at scrape time.' },
  frames: { suffix: 'frames_total', help: 'Frames ticked by the frame adapter (read at scrape time).' },
  epoch: { suffix: 'frame_epoch', help: 'Epoch of the current frame (read at scrape time).' },
  observed: { suffix: 'frame_observed_total', help: 'Frame reports passed to observeFrame (absent when only sampling).' },
  deferred: { suffix: 'frame_advance_deferred_total', help: 'Ticks that wanted to advance the epoch but found the ring full (FrameReport.advanceDeferred; observed or sampled).' },
  reclaimed: { suffix: 'frame_reclaimed_bytes_total', help: 'Sum of FrameReport.reclaimedBytes over frames passed to observeFrame (absent when only sampling).' },
  closed: { suffix: 'frame_closed_epochs_total', help: 'Sum of FrameReport.closedEpochs over frames passed to observeFrame (absent when only sampling).' },
  advances: { suffix: 'frame_advances_total', help: 'Frames passed to observeFrame whose tick advanced the epoch (absent when only sampling).' },
  pending: { suffix: 'frame_pending_epochs', help: 'Closed epochs still holding live objects (latest report; absent if the adapter does not report it).' },
  oldestPending: { suffix: 'frame_oldest_pending_frames', help: 'Frames since the oldest pending epoch was closed (latest report; absent if not reported).' },
} as const;

/** Every metric family `registerHeapMetrics` can export under `prefix`, frame families included. */
export function metricCatalog(prefix = 'tslab_', epochIds = true): MetricInfo[] {
  const out: MetricInfo[] = [];
  for (const s of CLASS_SPECS) out.push({ name: prefix + s.suffix, type: s.type, labels: CLASS_LABELS, help: s.help });
  for (const s of HEAP_SPECS) out.push({ name: prefix + s.suffix, type: s.type, labels: HEAP_LABELS, help: s.help });
  const epochLabels = epochIds ? EPOCH_LABELS_WITH_ID : EPOCH_LABELS_BY_SLOT;
  for (const s of EPOCH_SPECS) out.push({ name: prefix + s.suffix, type: 'gauge', labels: epochLabels, help: s.help });
  out.push({ name: prefix + DOCTOR_SUFFIX, type: 'gauge', labels: ['heap', 'severity'], help: DOCTOR_HELP });
  out.push({ name: prefix + INFO_SUFFIX, type: 'gauge', labels: INFO_LABELS, help: INFO_HELP });
  for (const s of Object.values(FRAME_SPECS)) {
    const type: MetricType = s.suffix === FRAME_SPECS.tick.suffix ? 'histogram' : s.suffix.endsWith('_total') ? 'counter' : 'gauge';
    out.push({ name: prefix + s.suffix, type, labels: HEAP_LABELS, help: s.help });
  }
  return out;
}

export const DOCTOR_HELP = 'Doctor findings (diagnose() of the scrape snapshot) by severity: info, warn, error.';
export const INFO_HELP = 'Always 1; labels carry the heap configuration.';
