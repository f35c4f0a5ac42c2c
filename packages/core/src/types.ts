/** Opaque non-negative integer (<= 2^53-1) naming one live object; 0 is the null handle. */
export type Handle = number;
/** Byte offset into `allocator.buffer`; 0 is the null pointer. */
export type Ptr = number;
/** Monotonic epoch id, never reused by the same allocator. */
export type EpochId = number;

export type EpochState = 'open' | 'closing' | 'closed' | 'free';

/** How the user-data buffer grows and shrinks (plain mode only; a shared heap is one fixed-size SharedArrayBuffer of maxBytes that never shrinks). */
export type BackingMode = 'copy' | 'resizable' | 'transfer';

export interface AllocatorOptions {
  /** Ascending multiples of 8; default [64, 96, 128, 192, 256, 384, 512, 768]. */
  sizeClasses?: readonly number[];
  /** Power of two, 4 KiB..1 MiB, at least the largest class; default 65,536. */
  slabBytes?: number;
  /** Epoch ring size, 2..1024; default 16. */
  epochSlots?: number;
  /** Empty slabs kept per size class for reuse, 0..65,536; default 32. */
  cacheSlabs?: number;
  /** Ceiling of the backing memory in bytes; allocation past it returns null. Default 512 MiB (the handle's offset field addresses 512 MiB). */
  maxBytes?: number;
  /** Back the heap with a SharedArrayBuffer (fixed at maxBytes, pages committed as slabs are used); default false. */
  shared?: boolean;
  /** Report live/committed/empty byte counters per class; default false. */
  diagnostics?: boolean;
  /**
   * Plain mode only. 'copy' (default): a plain ArrayBuffer, grown and shrunk by copying, views
   * replaced (fast element access; a replaced buffer's pages go back when V8 collects it).
   * 'resizable': one resizable ArrayBuffer resized in place, views never replaced (slower element
   * access, synchronous page release). 'transfer': like 'copy', but resized with
   * ArrayBuffer.prototype.transfer, so a replaced buffer's pages go back within the call. Its cost
   * is process-wide: the first transfer detaches a buffer, and from then on V8 checks for a detached
   * buffer on every typed-array access in optimized code, everyone's, not just the heap's.
   */
  backing?: BackingMode;
}

export interface CloseReport {
  epoch: EpochId;
  /** State after the call. */
  state: EpochState;
  /** Objects of the epoch still live after the call. */
  liveObjects: number;
  /** Objects freed by the call (epochReset only; 0 for epochClose). */
  freedObjects: number;
  /** Slabs taken from the epoch by the call (to the cache or released). */
  releasedSlabs: number;
  /** Bytes given back by shrinking the backing buffer during the call. */
  reclaimedBytes: number;
}

export interface SlabClassStats {
  classIndex: number;
  objectSize: number;
  /** Diagnostics only (0 when off): slab bytes held by the class, cached slabs included. */
  committedBytes: number;
  /** Diagnostics only (0 when off): live objects x objectSize. */
  liveBytes: number;
  /** Diagnostics only (0 when off): empty slabs in the class cache. */
  emptySlabs: number;
  liveObjects: number;
  slabs: number;
  slowPathHits: number;
  slowPathCacheMiss: number;
  slowPathEpochClosed: number;
  emptySlabRecycled: number;
  emptySlabOverflowed: number;
  reclaimedBytes: number;
  totalAllocs: number;
  totalFrees: number;
  lockAcquisitions: number;
  lockContended: number;
  casRetries: number;
  casAttempts: number;
}

export interface SlabGlobalStats {
  totalAllocs: number;
  totalFrees: number;
  liveObjects: number;
  currentEpoch: EpochId;
  openEpochs: number;
  closingEpochs: number;
  closedEpochs: number;
  /** Slab bytes holding objects or assigned to a class, plus metadata. Always counted. */
  committedBytes: number;
  /** Backing buffer bytes held (cached and free slabs included) plus metadata. */
  reservedBytes: number;
  /** Highest reservedBytes seen. */
  peakBytes: number;
  /** Bytes returned by shrinking the backing buffer, cumulative. */
  reclaimedBytes: number;
  slowPathHits: number;
  slowPathEpochClosed: number;
  /** Allocations refused because maxBytes was reached. */
  allocFailedMaxBytes: number;
  /** Times the backing buffer was replaced or resized (views must be re-read in copy mode). */
  viewVersion: number;
  epochsAdvanced: number;
  /** Empty slabs held in the class caches. */
  cachedSlabs: number;
  /** Slabs owned by epochs. */
  activeSlabs: number;
  bufferBytes: number;
  shared: boolean;
  diagnostics: boolean;
}

export interface SlabEpochStats {
  epoch: EpochId;
  ringSlot: number;
  state: EpochState;
  /** Epochs advanced since this one opened. */
  age: number;
  label: string;
  liveObjects: number;
  slabs: number;
  bytes: number;
}

export interface StatsDump {
  schemaVersion: 1;
  kind: 'tslab-stats';
  config: {
    sizeClasses: number[];
    slabBytes: number;
    epochSlots: number;
    cacheSlabs: number;
    maxBytes: number;
    shared: boolean;
    diagnostics: boolean;
    backing: BackingMode | 'shared';
  };
  global: SlabGlobalStats;
  classes: SlabClassStats[];
  /** One entry per ring slot that is not free. */
  epochs: SlabEpochStats[];
  /** committedBytes sampled at each of the last epoch advances, oldest first. */
  committedHistory: number[];
  /** liveObjects sampled alongside committedHistory. */
  liveHistory: number[];
}

export type FindingSeverity = 'info' | 'warn' | 'error';

export interface Finding {
  /** Stable id, e.g. 'slow-path-rate'. */
  id: string;
  severity: FindingSeverity;
  /** The metric examined, e.g. 'slowPathHits / totalAllocs'. */
  metric: string;
  value: number;
  threshold: number;
  message: string;
  action: string;
  /** Size class index or epoch id the finding is about, when there is one. */
  classIndex?: number;
  epoch?: EpochId;
}
