import type { EpochId } from '@tslab/core';

/**
 * What one `tick()` did and the heap's state right after it. `tick()` returns the same object every
 * time (it allocates nothing), so copy the fields you want to keep.
 */
export interface FrameReport {
  /** Frames ticked so far, this one included (1 after the first tick). */
  frame: number;
  /** The epoch the next frame allocates into (`frames.epoch`). */
  epoch: EpochId;
  /** Whether this tick advanced the epoch. */
  advanced: boolean;
  /** Epochs this tick closed (the one just left behind by an advance). */
  closedEpochs: number;
  /** Closed epochs that became free during this tick (their last live object was freed). */
  drainedEpochs: number;
  /** Closed epochs still holding live objects after this tick. */
  pendingEpochs: number;
  /** Oldest closed epoch still holding live objects, or -1. */
  oldestPendingEpoch: EpochId;
  /** Frames since `oldestPendingEpoch` was closed (0 when there is none). */
  oldestPendingFrames: number;
  /** Bytes the heap gave back during this frame (heap `reclaimedBytes` delta since the previous tick). */
  reclaimedBytes: number;
  /** Heap allocations since the previous tick (handles, malloc and scratch). */
  allocs: number;
  /** Heap frees since the previous tick (as counted by the heap's `totalFrees`). */
  frees: number;
  /** Retired handles and pointers this tick freed. */
  retiredFreed: number;
  /** Retired handles and pointers the heap refused (0, stale, double retire, foreign). */
  retiredRejected: number;
  /** Scratch allocations made during this frame and released by this tick. */
  scratchAllocs: number;
  /** Scratch requests that got the null pointer during this frame (maxBytes reached). */
  scratchFailed: number;
  /** Ticks that wanted to advance but found no free ring slot, since creation (cumulative). */
  advanceDeferred: number;
  /** Live object bytes in the heap now. */
  liveBytes: number;
  /** Live objects in the heap now. */
  liveObjects: number;
  /** Heap committed bytes now. */
  committedBytes: number;
  /** Duration of the latest sampled tick in milliseconds (one tick in `sampleEvery`); 0 before the first sample. */
  tickMs: number;
}

export function createFrameReport(epoch: EpochId): FrameReport {
  return {
    frame: 0,
    epoch,
    advanced: false,
    closedEpochs: 0,
    drainedEpochs: 0,
    pendingEpochs: 0,
    oldestPendingEpoch: -1,
    oldestPendingFrames: 0,
    reclaimedBytes: 0,
    allocs: 0,
    frees: 0,
    retiredFreed: 0,
    retiredRejected: 0,
    scratchAllocs: 0,
    scratchFailed: 0,
    advanceDeferred: 0,
    liveBytes: 0,
    liveObjects: 0,
    committedBytes: 0,
    tickMs: 0,
  };
}
