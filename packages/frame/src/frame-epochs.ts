import { EpochRingFullError } from '@tslab/core';
import type { CloseReport, EpochId, Handle, Ptr, SlabAllocator, SlabClassStats, SlabGlobalStats } from '@tslab/core';
import { ClosedEpochs } from './closed-epochs.js';
import { Float64Queue } from './float64-queue.js';
import { createFrameReport, type FrameReport } from './frame-report.js';
import { resolveFrameOptions, type FrameEpochsOptions, type ScratchMode } from './options.js';
import { liveBytesOf } from './live-bytes.js';

/** Per-frame epochs for a game loop: one `tick()` at the end of each frame. */
export interface FrameEpochs {
  readonly heap: SlabAllocator;
  /** The epoch of the current frame: allocate with `heap.alloc(size, frames.epoch)`. */
  readonly epoch: EpochId;
  /** Frames ticked so far. */
  readonly frame: number;
  readonly advanceEvery: number;
  /** The dedicated scratch epoch, or -1 until it is first needed (never in 'free' scratch mode). */
  readonly scratchEpoch: EpochId;
  /** The report of the latest tick (the object `tick()` returns). */
  readonly report: FrameReport;
  /** Ends the frame: frees retired objects, releases scratch memory, advances every `advanceEvery` frames. Never throws for ring-full. */
  tick(): FrameReport;
  /** Frees `h` at the next tick, so its slot cannot be handed out again during this frame. */
  retire(h: Handle): void;
  /** Frees a malloc pointer at the next tick. */
  retirePtr(p: Ptr): void;
  /** retire(table[index]) for stores that keep handles in a Float64Array: the handle never crosses a call, so nothing is boxed. */
  retireFrom(table: Float64Array, index: number): void;
  /** Frame-temporary memory (1..malloc maximum bytes), released by the next tick; 0 when the heap is full. */
  scratch(size: number): Ptr;
  /** Makes the next tick advance regardless of the cadence (e.g. at a level change). */
  requestAdvance(): void;
  /** Frees everything retired, releases scratch memory and closes the scratch epoch. */
  dispose(): void;
  [Symbol.dispose](): void;
}

/** Epoch labels shown by statsEpoch/doctor/overlay; they take 2 of the heap's 16 label slots. */
const FRAME_LABEL = 'frame';
const SCRATCH_LABEL = 'frame-scratch';

function tryLabel(heap: SlabAllocator, epoch: EpochId, label: string): boolean {
  try {
    heap.epochLabel(epoch, label);
    return true;
  } catch {
    return false; // the label registry is full: labels are cosmetic, the adapter works without them
  }
}

/**
 * 'auto' serves the first blocks of each frame pointer by pointer and the rest from the scratch
 * epoch: an epoch reset costs a fixed few µs per tick (its slabs are released and refilled), which
 * only pays off from about 100-300 blocks per frame (bench/suites/20-frame.ts, "scratch designs").
 */
export const AUTO_SCRATCH_FREE_FIRST = 128;

function freeFirstOf(mode: ScratchMode): number {
  if (mode === 'free') return Number.POSITIVE_INFINITY;
  return mode === 'epoch' ? 0 : AUTO_SCRATCH_FREE_FIRST;
}

function describe(value: unknown): string {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? JSON.stringify(value) : typeof value;
}

/** Cold path of scratch(): kept out of line so the hot function stays small. */
function throwScratchSize(size: unknown, max: number): never {
  const message = `scratch: size must be an integer 1..${max}, got ${describe(size)}`;
  throw typeof size === 'number' ? new RangeError(message) : new TypeError(message);
}

class FrameEpochsImpl implements FrameEpochs {
  readonly heap: SlabAllocator;
  epoch: EpochId;
  frame = 0;
  readonly advanceEvery: number;
  scratchEpoch: EpochId = -1;
  readonly report: FrameReport;

  private readonly sampleEvery: number;
  /** Blocks per frame served pointer by pointer before the scratch epoch is used. */
  private readonly freeFirst: number;
  private readonly maxScratch: number;
  private readonly handles: Float64Queue;
  private readonly ptrs: Float64Queue;
  /** Scratch blocks served pointer by pointer, freed at the tick ('free', the first blocks of 'auto', or no ring slot for the scratch epoch). */
  private readonly scratchPtrs: Float64Queue;
  private readonly closed: ClosedEpochs;
  private readonly stats: SlabGlobalStats;
  private readonly classStats: SlabClassStats;
  /** Reused by epochClose/epochReset so the tick allocates no report objects. */
  private readonly closeReport: CloseReport = { epoch: 0, state: 'free', liveObjects: 0, freedObjects: 0, releasedSlabs: 0, reclaimedBytes: 0 };
  private framesSinceAdvance = 0;
  private sampleCountdown: number;
  private advanceDeferred = 0;
  private scratchAllocs = 0;
  private scratchFailed = 0;
  private scratchUsedEpoch = false;
  /** Opening the scratch epoch failed (ring full): retried only after a tick drains an epoch. */
  private scratchOpenBlocked = false;
  private lastAllocs: number;
  private lastFrees: number;
  private lastReclaimed: number;
  private disposed = false;
  /** Results of the latest freeRetired(). */
  private freed = 0;
  private rejected = 0;
  /** Whether frame epochs get the 'frame' label (false when the heap's 16-label registry was full). */
  private readonly labelFrames: boolean;

  constructor(heap: SlabAllocator, options: FrameEpochsOptions | undefined) {
    const o = resolveFrameOptions(options);
    this.heap = heap;
    this.advanceEvery = o.advanceEvery;
    this.sampleEvery = o.sampleEvery;
    this.sampleCountdown = o.sampleEvery;
    this.freeFirst = freeFirstOf(o.scratchMode);
    this.maxScratch = heap.maxMallocSize;
    this.handles = new Float64Queue(o.retireCapacity);
    this.ptrs = new Float64Queue(o.retireCapacity);
    this.scratchPtrs = new Float64Queue(o.retireCapacity);
    this.closed = new ClosedEpochs(heap.epochSlots);
    this.epoch = heap.epochCurrent();
    this.stats = heap.statsGlobal();
    this.classStats = heap.statsClass(0);
    this.lastAllocs = this.stats.totalAllocs;
    this.lastFrees = this.stats.totalFrees;
    this.lastReclaimed = this.stats.reclaimedBytes;
    this.report = createFrameReport(this.epoch);
    this.labelFrames = tryLabel(heap, this.epoch, FRAME_LABEL);
  }

  retire(h: Handle): void {
    this.handles.push(h);
  }

  retirePtr(p: Ptr): void {
    this.ptrs.push(p);
  }

  retireFrom(table: Float64Array, index: number): void {
    this.handles.push(table[index]);
  }

  scratch(size: number): Ptr {
    if (!(size >= 1 && size <= this.maxScratch) || Math.floor(size) !== size) throwScratchSize(size, this.maxScratch);
    if (this.scratchAllocs < this.freeFirst) return this.scratchFree(size);
    // malloc, not alloc + offset: a handle is a double, and a double returned by a call V8 did not
    // inline is boxed (16 bytes of garbage); malloc returns a small integer, so this path allocates
    // nothing however the caller is compiled. The 8-byte header also lets freePtr reject the
    // pointer once the tick has reset the epoch.
    const e = this.scratchEpoch;
    if (e !== -1) {
      const p = this.heap.malloc(size, e);
      if (p !== 0) {
        this.scratchAllocs++;
        this.scratchUsedEpoch = true;
        return p;
      }
      this.scratchFailed++; // maxBytes reached
      return 0;
    }
    // First block of the scratch epoch: open it (one ring slot); with the ring full, free mode for now.
    return this.openScratchEpoch() !== -1 ? this.scratch(size) : this.scratchFree(size);
  }

  /** A malloc block in the frame epoch, freed pointer by pointer at the tick. */
  private scratchFree(size: number): Ptr {
    const p = this.heap.malloc(size, this.epoch);
    if (p === 0) this.scratchFailed++;
    else {
      this.scratchAllocs++;
      this.scratchPtrs.push(p);
    }
    return p;
  }

  /** Opens the scratch epoch on first use; -1 when the ring is full (then scratch falls back to freePtr). */
  private openScratchEpoch(): EpochId {
    if (this.scratchOpenBlocked) return -1;
    try {
      const e = this.heap.epochOpen();
      tryLabel(this.heap, e, SCRATCH_LABEL);
      this.scratchEpoch = e;
      return e;
    } catch (error) {
      if (!(error instanceof EpochRingFullError)) throw error;
      this.scratchOpenBlocked = true;
      return -1;
    }
  }

  requestAdvance(): void {
    this.framesSinceAdvance = this.advanceEvery;
  }

  tick(): FrameReport {
    const heap = this.heap;
    const report = this.report;
    let t0 = 0;
    let sampled = false;
    if (this.sampleEvery !== 0 && --this.sampleCountdown === 0) {
      this.sampleCountdown = this.sampleEvery;
      sampled = true;
      t0 = performance.now();
    }

    // 1. Deferred frees first, so the epoch closed below can release the slabs they empty.
    this.freeRetired();

    // 2. Scratch memory: bulk reset of the scratch epoch (it stays open), or pointer by pointer.
    if (this.scratchUsedEpoch) {
      heap.epochReset(this.scratchEpoch, this.closeReport);
      this.scratchUsedEpoch = false;
    }
    if (this.scratchPtrs.length > 0) this.freeScratchPtrs();

    // 3. Cadence: advance and close the epoch left behind; when the ring is full, retry next tick.
    this.frame++;
    this.framesSinceAdvance++;
    let advanced = false;
    let closedNow = 0;
    if (this.framesSinceAdvance >= this.advanceEvery) {
      const previous = heap.epochCurrent();
      const next = heap.tryEpochAdvance();
      if (next === -1) {
        this.advanceDeferred++;
      } else {
        advanced = true;
        this.framesSinceAdvance = 0;
        this.epoch = next;
        if (this.labelFrames) heap.epochLabel(next, FRAME_LABEL);
        // Close even when the advance already freed an empty epoch: the close also trims the
        // buffer's free tail, which is how drained memory goes back at the advance cadence.
        heap.epochClose(previous, this.closeReport);
        closedNow = 1;
        this.closed.add(previous, this.frame);
      }
    }
    const drained = this.closed.sweep(heap);
    if (drained > 0) this.scratchOpenBlocked = false;

    // 4. Report (reused object).
    const stats = heap.statsGlobal(this.stats);
    report.frame = this.frame;
    report.epoch = this.epoch;
    report.advanced = advanced;
    report.closedEpochs = closedNow;
    report.drainedEpochs = drained;
    report.pendingEpochs = this.closed.count;
    report.oldestPendingEpoch = this.closed.oldestEpoch();
    report.oldestPendingFrames = this.closed.count > 0 ? this.frame - this.closed.oldestClosedAt() : 0;
    report.reclaimedBytes = stats.reclaimedBytes - this.lastReclaimed;
    report.allocs = stats.totalAllocs - this.lastAllocs;
    report.frees = stats.totalFrees - this.lastFrees;
    report.retiredFreed = this.freed;
    report.retiredRejected = this.rejected;
    report.scratchAllocs = this.scratchAllocs;
    report.scratchFailed = this.scratchFailed;
    report.advanceDeferred = this.advanceDeferred;
    report.liveBytes = liveBytesOf(heap, this.classStats);
    report.liveObjects = stats.liveObjects;
    report.committedBytes = stats.committedBytes;
    this.lastReclaimed = stats.reclaimedBytes;
    this.lastAllocs = stats.totalAllocs;
    this.lastFrees = stats.totalFrees;
    this.scratchAllocs = 0;
    this.scratchFailed = 0;
    if (sampled) report.tickMs = performance.now() - t0;
    return report;
  }

  /**
   * Frees the retire queues: handles through heap.freeMany (a handle is a double, and passing one
   * to a call V8 does not inline boxes it), pointers (small integers) one by one.
   */
  private freeRetired(): void {
    const heap = this.heap;
    let freed = 0;
    let rejected = 0;
    const handles = this.handles;
    // One call for the whole queue: the handles never leave their Float64Array.
    freed = heap.freeMany(handles.items, 0, handles.length);
    rejected = handles.length - freed;
    handles.length = 0;
    const ptrs = this.ptrs;
    const ps = ptrs.items;
    for (let i = 0, n = ptrs.length; i < n; i++) {
      if (heap.freePtr(ps[i])) freed++;
      else rejected++;
    }
    ptrs.length = 0;
    this.freed = freed;
    this.rejected = rejected;
  }

  private freeScratchPtrs(): void {
    const heap = this.heap;
    const queue = this.scratchPtrs;
    const items = queue.items;
    for (let i = 0, n = queue.length; i < n; i++) heap.freePtr(items[i]);
    queue.length = 0;
  }

  dispose(): void {
    if (this.disposed) return;
    this.tickFreesOnly();
    if (this.scratchEpoch !== -1) {
      this.heap.epochReset(this.scratchEpoch, this.closeReport);
      this.heap.epochClose(this.scratchEpoch, this.closeReport);
      this.scratchEpoch = -1;
    }
    this.disposed = true;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /** The frees of a tick without advancing (dispose). */
  private tickFreesOnly(): void {
    const heap = this.heap;
    for (let i = 0; i < this.handles.length; i++) heap.free(this.handles.items[i]);
    for (let i = 0; i < this.ptrs.length; i++) heap.freePtr(this.ptrs.items[i]);
    for (let i = 0; i < this.scratchPtrs.length; i++) heap.freePtr(this.scratchPtrs.items[i]);
    this.handles.length = 0;
    this.ptrs.length = 0;
    this.scratchPtrs.length = 0;
  }
}

/**
 * Creates the frame adapter over `heap`. Its frame epoch is the heap's current epoch; the adapter
 * owns advancing from now on (do not call `heap.epochAdvance()` yourself while it runs).
 */
export function createFrameEpochs(heap: SlabAllocator, options?: FrameEpochsOptions): FrameEpochs {
  if (typeof heap !== 'object' || heap === null || typeof (heap as { tryEpochAdvance?: unknown }).tryEpochAdvance !== 'function') {
    throw new TypeError(`createFrameEpochs: heap must be a SlabAllocator from @tslab/core createAllocator(), got ${heap === null ? 'null' : typeof heap}`);
  }
  return new FrameEpochsImpl(heap, options);
}
