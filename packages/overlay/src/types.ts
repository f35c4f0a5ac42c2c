import type { EpochState, SlabAllocator } from '@tslab/core';
import type { FrameEpochs } from '@tslab/frame';

export interface OverlayOptions {
  /** The heap to show; null shows the panels without heap figures (e.g. a game mode without tslab). */
  heap: SlabAllocator | null;
  /** The frame adapter driving the heap; its `frame` and `epoch` are shown. Optional. */
  frames?: FrameEpochs | null;
  /** Frames between full `statsDump()` reads (finds epochs opened past the current one); 1..600, default 60. */
  dumpEvery?: number;
  /** Frames between JS heap (performance.memory) reads; 1..600, default 30. */
  memoryEvery?: number;
  /** Frames between refreshes of the text readout; 1..600, default 10. */
  textEvery?: number;
  /** Heading shown above the panels; default "tslab". */
  title?: string;
}

/** The latest figures the overlay shows. One object, updated in place: copy what you keep. */
export interface OverlayReadings {
  /** `update()` calls so far. */
  updates: number;
  /** The frame adapter's frame count, or -1 without one. */
  frame: number;
  /** The heap's current epoch, or -1 without a heap. */
  epoch: number;
  updateMicros: number;
  /**
   * Time since the previous `update()` call, ms (0 on the first): the frame interval. The garbage
   * collector's pauses show here and not in updateMicros when the browser runs them between frames
   * (in Chromium they ran after the frame's animation-frame callbacks, in a trace of the demo).
   */
  frameIntervalMs: number;
  /** The longest frame interval of the last whole second, ms (0 until a second has passed). */
  worstFrameMs: number;
  liveBytes: number;
  committedBytes: number;
  /** performance.memory.usedJSHeapSize at the latest read, or -1 where the browser has none. */
  jsHeapBytes: number;
}

/** One ring slot as shown by the strip (a snapshot: built on request, for tools and tests). */
export interface EpochSlotView {
  slot: number;
  epoch: number;
  state: EpochState;
  liveObjects: number;
  current: boolean;
}

export interface Overlay {
  /** The overlay's root element (already appended to the parent). */
  readonly dom: HTMLDivElement;
  /** Optional: call at the start of a frame so stats.js's MS panel measures the frame's work. */
  begin(): void;
  /**
   * Call once per frame after the game's update, with the update time you measured (µs). Reads the
   * heap's stats (never changes the heap) and redraws; allocates nothing except in stats.js's panel
   * labels and on the frames that refresh the text readout, the JS heap figure or the full dump.
   */
  update(updateMicros: number): void;
  /** Shows another heap (or none), e.g. after a game switched storage. */
  setHeap(heap: SlabAllocator | null, frames?: FrameEpochs | null): void;
  /** The latest figures (a reused object). */
  readings(): Readonly<OverlayReadings>;
  /** The strip's slots as plain objects (allocates; for tests and tools, not per frame). */
  epochSlots(): EpochSlotView[];
  /** Removes the overlay's DOM; the overlay must not be used afterwards. */
  destroy(): void;
}
