/**
 * JS heap bytes per call of the frame adapter's hot operations, measured as NOTES.md describes:
 * warm the exact loop first, then read V8's used heap size just before and just after short windows
 * of 1,000 calls and keep the growth. A scavenge inside a window makes the growth negative: such
 * windows are skipped. Reading the heap size allocates a little itself (the smallest growth of an
 * empty window, subtracted), which is why each window holds many calls.
 */
import { getHeapStatistics } from 'node:v8';
import { createAllocator } from '@tslab/core';
import { createFrameEpochs, FrameTimer } from '@tslab/frame';

export interface HeapBytesRow {
  operation: string;
  callsPerWindow: number;
  windows: number;
  /** Sum of window growths (minus the reading overhead) / calls in those windows. */
  bytesPerCall: number;
  /** Smallest window growth after the overhead, bytes (0: a whole window allocated nothing). */
  minWindowBytes: number;
  /** Largest window growth after the overhead, bytes. */
  maxWindowBytes: number;
}

const CALLS = 1_000;

function usedHeap(): number {
  return getHeapStatistics().used_heap_size;
}

interface Probe {
  /** Outside the window: e.g. allocate the objects the window retires. */
  prepare(): void;
  /** The window: CALLS calls of the operation. */
  body(): void;
  /** Outside the window: e.g. the tick that drains what the window retired. */
  cleanup(): void;
}

function windowGrowths(probe: Probe, windows: number): number[] {
  const growths: number[] = [];
  for (let w = 0; w < windows * 2; w++) {
    probe.prepare();
    const before = usedHeap();
    probe.body();
    const after = usedHeap();
    probe.cleanup();
    if (w >= windows && after >= before) growths.push(after - before); // first half: warm-up
  }
  return growths;
}

const noop = (): void => {};

function passGrowths(probe: Probe, windows: number, overhead: number): number[] {
  return windowGrowths(probe, windows).map((g) => Math.max(0, g - overhead));
}

function measure(operation: string, windows: number, probe: Probe, overhead: number): HeapBytesRow {
  // Two passes, the one with fewer bytes kept: garbage the operation makes shows in both, while a
  // one-off engine event (an optimized function installed, a page added) lands in at most one
  // window of one pass; it put 240 KB into a single window in 2 of 5 suite runs, never alone.
  const first = passGrowths(probe, windows, overhead);
  const second = passGrowths(probe, windows, overhead);
  const sum = (g: number[]): number => g.reduce((a, b) => a + b, 0) / Math.max(1, g.length);
  const growths = sum(second) < sum(first) ? second : first;
  const total = growths.reduce((a, b) => a + b, 0);
  return {
    operation,
    callsPerWindow: CALLS,
    windows: growths.length,
    bytesPerCall: growths.length === 0 ? Number.NaN : total / (growths.length * CALLS),
    minWindowBytes: growths.length === 0 ? Number.NaN : Math.min(...growths),
    maxWindowBytes: growths.length === 0 ? Number.NaN : Math.max(...growths),
  };
}

export function measureFrameHeapBytes(quick: boolean): HeapBytesRow[] {
  const windows = quick ? 30 : 200;
  const empty = windowGrowths({ prepare: noop, body: noop, cleanup: noop }, windows);
  const overhead = empty.length > 0 ? Math.min(...empty) : 0;

  const heap = createAllocator();
  const frames = createFrameEpochs(heap, { advanceEvery: 1, sampleEvery: 0 });
  const sampled = createFrameEpochs(createAllocator(), { advanceEvery: 1 });
  const handles = new Float64Array(CALLS);
  const ptrs = new Float64Array(CALLS);
  const allocHandles = (): void => {
    for (let i = 0; i < CALLS; i++) handles[i] = heap.alloc(64, frames.epoch);
  };
  const tick = (): void => {
    frames.tick();
  };
  const rows: HeapBytesRow[] = [];

  rows.push(
    measure('retire(h)', windows, {
      prepare: allocHandles,
      body: () => {
        for (let i = 0; i < CALLS; i++) frames.retire(handles[i]);
      },
      cleanup: tick,
    }, overhead),
  );
  rows.push(
    measure('retirePtr(p)', windows, {
      prepare: () => {
        for (let i = 0; i < CALLS; i++) ptrs[i] = heap.malloc(100, frames.epoch);
      },
      body: () => {
        for (let i = 0; i < CALLS; i++) frames.retirePtr(ptrs[i]);
      },
      cleanup: tick,
    }, overhead),
  );
  rows.push(
    measure('scratch(64)', windows, {
      prepare: noop,
      body: () => {
        for (let i = 0; i < CALLS; i++) frames.scratch(64);
      },
      cleanup: tick,
    }, overhead),
  );
  rows.push(
    measure('tick(): advance + close every tick (sampleEvery 0)', windows, {
      prepare: noop,
      body: () => {
        for (let i = 0; i < CALLS; i++) frames.tick();
      },
      cleanup: noop,
    }, overhead),
  );
  rows.push(
    measure('tick(): frees 1 retired handle + 1 scratch block, advances, closes', windows, {
      prepare: allocHandles,
      body: () => {
        for (let i = 0; i < CALLS; i++) {
          frames.retire(handles[i]);
          frames.scratch(64);
          frames.tick();
        }
      },
      cleanup: noop,
    }, overhead),
  );
  rows.push(
    measure('tick() with the default sampleEvery 16 (clock read 1 tick in 16)', windows, {
      prepare: noop,
      body: () => {
        for (let i = 0; i < CALLS; i++) sampled.tick();
      },
      cleanup: noop,
    }, overhead),
  );
  rows.push(
    measure('heap.alloc(64) + heap.free (core, for reference)', windows, {
      prepare: noop,
      body: () => {
        for (let i = 0; i < CALLS; i++) heap.free(heap.alloc(64, frames.epoch));
      },
      cleanup: noop,
    }, overhead),
  );
  const timer = new FrameTimer();
  const sampledTimer = new FrameTimer({ sampleEvery: 16 });
  rows.push(
    measure('FrameTimer begin()+end(), every frame', windows, {
      prepare: noop,
      body: () => {
        for (let i = 0; i < CALLS; i++) {
          timer.begin();
          timer.end();
        }
      },
      cleanup: noop,
    }, overhead),
  );
  rows.push(
    measure('FrameTimer begin()+end(), sampleEvery 16', windows, {
      prepare: noop,
      body: () => {
        for (let i = 0; i < CALLS; i++) {
          sampledTimer.begin();
          sampledTimer.end();
        }
      },
      cleanup: noop,
    }, overhead),
  );
  frames.dispose();
  sampled.dispose();
  heap.check();
  return rows;
}
