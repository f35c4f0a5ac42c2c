/**
 * @tslab/core: an epoch slab allocator for JavaScript game engines.
 *
 * Layers, each depending only on the ones above it in this list:
 *   memory.ts        the buffer and how it grows and shrinks
 *   slab.ts          slots, free stacks and generations of each slab
 *   size-classes.ts  object sizes and the size -> class lookup
 *   epochs.ts        the ring of epochs
 *   heap-core.ts     slow paths: slabs for (epoch, class), cache, release, trim
 *   allocator.ts     the public API and its fast paths
 * Beside them, reading only: stats.ts, doctor.ts, check.ts; domain.ts builds on the API.
 */
export { SlabAllocator, createAllocator, NULL_HANDLE } from './allocator.js';
export { EpochDomain, type DomainOptions } from './domain.js';
export { DEFAULT_LEASE_MS, type SharedHeap, type SharedHeapHandle, type SharedViewStats } from './shared/index.js';
export { EpochRingFullError, HeapCheckError } from './errors.js';
export { diagnose, DOCTOR_THRESHOLDS } from './doctor.js';
export { STATS_SCHEMA_VERSION } from './stats.js';
export { DEFAULT_SIZE_CLASSES, DEFAULT_SLAB_BYTES, DEFAULT_EPOCH_SLOTS, DEFAULT_CACHE_SLABS, MAX_HEAP_BYTES } from './layout.js';
export type {
  AllocatorOptions,
  BackingMode,
  CloseReport,
  EpochId,
  EpochState,
  Finding,
  FindingSeverity,
  Handle,
  Ptr,
  SlabClassStats,
  SlabEpochStats,
  SlabGlobalStats,
  StatsDump,
} from './types.js';
