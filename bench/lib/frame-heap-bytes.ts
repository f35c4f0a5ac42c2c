/**
 * JS heap bytes per call of the frame adapter's hot operations, measured as NOTES.md describes:
 * warm the exact loop first, then read V8's used heap size just before and just after short windows
 * and keep only the growth (a scavenge inside a window makes it negative: such windows are skipped,
 * which is why windows are short). The cost of reading the heap size itself is measured with an empty
 * window and subtracted.
 */
import { getHeapStatistics } from 'node:v8';
import { createAllocator, type Handle } from '@tslab/core';
import { createFrameEpochs, FrameTimer } from '@tslab/frame';

export interface HeapBytesRow {
  operation: string;
  callsPerWindow: number;
  windows: number;
  /** Sum of non-negative window growths / calls in those windows. */
  bytesPerCall: number;
  /** Smallest window growth, bytes (0 means some whole window allocated nothing). */
  minWindowBytes: number;
  /** Largest window growth, bytes. */
  maxWindowBytes: number;
}

function usedHeap(): number {
  return getHeapStatistics().used_heap_size;
}

interface Probe {
  prepare(): void;
  body(): void;
  cleanup(): void;
}

function measure(operation: string, calls: number, windows: number, probe: Probe, overhead: number): HeapBytesRow {
  for (let w = 0; w < windows; w++) {
    probe.prepare();
    probe.body();
    probe.cleanup();
  }
  let total = 0;
  let counted = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  for (let w = 0; w < windows; w++) {
    probe.prepare();
    const before = usedHeap();
    probe.body();
    const after = usedHeap();
    probe.cleanup();
    const growth = after - before - overhead;
    if (after - before < 0) continue; // a scavenge ran inside the window
    const g = Math.max(0, growth);
    total += g;
    counted++;
    if (g < min) min = g;
    if (g > max) max = g;
  }
  return {
    operation,
    callsPerWindow: calls,
    windows: counted,
    bytesPerCall: counted === 0 ? Number.NaN : total / (counted * calls),
    minWindowBytes: counted === 0 ? Number.NaN : min,
    maxWindowBytes: counted === 0 ? Number.NaN : max,
  };
}

/** The heap-size read's own allocation: the smallest growth of an empty window. */
function measureOverhead(windows: number): number {
  let min = Number.POSITIVE_INFINITY;
  for (let w = 0; w < windows * 2; w++) {
    const before = usedHeap();
    const after = usedHeap();
    if (after - before >= 0 && after - before < min) min = after - before;
  }
  return Number.isFinite(min) ? min : 0;
}

export function measureFrameHeapBytes(quick: boolean): HeapBytesRow[] {
  const calls = 1_000;
  const windows = quick ? 20 : 200;
  const overhead = measureOverhead(windows);
  const rows: HeapBytesRow[] = [];

  const heap = createAllocator();
  const frames = createFrameEpochs(heap, { advanceEvery: 1 });
  const quiet = createFrameEpochs(createAllocator(), { advanceEvery: 1, sampleEvery: 0 });
  const handles = new Float64Array(calls);
  const ptrs = new Float64Array(calls);

  const allocBatch = (): void => {
    for (let i = 0; i < calls; i++) handles[i] = heap.alloc(64, frames.epoch);
  };
  const noop = (): void => {};
  const tick = (): void => {
    frames.tick();
  };

  rows.push(
    measure('retire(h)', calls, windows, {
      prepare: allocBatch,
      body: () => {
        for (let i = 0; i < calls; i++) frames.retire(handles[i]);
      },
      cleanup: tick,
    }, overhead),
  );
  rows.push(
    measure('retirePtr(p)', calls, windows, {
      prepare: () => {
        for (let i = 0; i < calls; i++) ptrs[i] = heap.malloc(100, frames.epoch);
      },
      body: () => {
        for (let i = 0; i < calls; i++) frames.retirePtr(ptrs[i]);
      },
      cleanup: tick,
    }, overhead),
  );
  rows.push(
    measure('scratch(64)', calls, windows, {
      prepare: noop,
      body: () => {
        for (let i = 0; i < calls; i++) frames.scratch(64);
      },
      cleanup: tick,
    }, overhead),
  );
  // One tick per window: it frees 1,000 retired handles and ~50 scratch blocks, advances and closes an epoch.
  const tickProbe = (f: typeof frames, label: string): HeapBytesRow => {
    const h = f.heap;
    return measure(label, 1, windows * 4, {
      prepare: () => {
        for (let i = 0; i < calls; i++) f.retire(h.alloc(64, f.epoch) as Handle);
        for (let i = 0; i < 50; i++) f.scratch(200);
      },
      body: () => {
        f.tick();
      },
      cleanup: noop,
    }, overhead);
  };
  rows.push(tickProbe(frames, 'tick() (sampleEvery 16, advance every tick)'));
  rows.push(tickProbe(quiet, 'tick() (sampleEvery 0)'));
  rows.push(
    measure('heap.alloc + heap.free (core, reference)', calls, windows, {
      prepare: noop,
      body: () => {
        for (let i = 0; i < calls; i++) heap.free(heap.alloc(64, frames.epoch));
      },
      cleanup: noop,
    }, overhead),
  );
  const timer = new FrameTimer();
  const sampled = new FrameTimer({ sampleEvery: 16 });
  rows.push(
    measure('FrameTimer begin()+end() (every frame)', calls, windows, {
      prepare: noop,
      body: () => {
        for (let i = 0; i < calls; i++) {
          timer.begin();
          timer.end();
        }
      },
      cleanup: noop,
    }, overhead),
  );
  rows.push(
    measure('FrameTimer begin()+end() (sampleEvery 16)', calls, windows, {
      prepare: noop,
      body: () => {
        for (let i = 0; i < calls; i++) {
          sampled.begin();
          sampled.end();
        }
      },
      cleanup: noop,
    }, overhead),
  );
  frames.dispose();
  quiet.dispose();
  heap.check();
  return rows;
}
