/**
 * The scratch designs side by side: 'epoch' (blocks in a dedicated epoch, bulk-freed by one
 * epochReset per tick), 'free' (malloc in the frame epoch, each pointer freed at the tick) and
 * 'auto' (the first 32 blocks of a frame as 'free', the rest as 'epoch').
 * Per frame: `perFrame` scratch blocks, then tick(). Reports ns per scratch block (its share of the
 * tick included, median of windows of 100 frames) and JS heap bytes per block (other windows, the
 * heap-size reading's own allocation subtracted), after warm-up.
 */
import { getHeapStatistics } from 'node:v8';
import { performance } from 'node:perf_hooks';
import { createAllocator } from '@tslab/core';
import { createFrameEpochs, type ScratchMode } from '@tslab/frame';

export interface ScratchModeRow {
  mode: ScratchMode;
  blocksPerFrame: number;
  /** Median over windows of (window time / blocks). */
  nsPerBlock: number;
  /** Heap growth per block, windows with a scavenge skipped. */
  bytesPerBlock: number;
}

function usedHeap(): number {
  return getHeapStatistics().used_heap_size;
}

/** Growth of an empty window: what reading the heap size allocates itself. */
function readingOverhead(): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 50; i++) {
    const a = usedHeap();
    const b = usedHeap();
    if (b >= a) min = Math.min(min, b - a);
  }
  return Number.isFinite(min) ? min : 0;
}

function run(mode: ScratchMode, perFrame: number, windows: number, overhead: number): ScratchModeRow {
  const heap = createAllocator();
  const frames = createFrameEpochs(heap, { advanceEvery: 4, sampleEvery: 0, scratchMode: mode });
  const framesPerWindow = 100;
  const window = (): void => {
    for (let f = 0; f < framesPerWindow; f++) {
      for (let i = 0; i < perFrame; i++) frames.scratch(48 + (i & 3) * 64);
      frames.tick();
    }
  };
  for (let w = 0; w < windows; w++) window(); // warm-up
  // Time and heap growth in separate windows, so the clock reads do not count as allocations.
  const times: number[] = [];
  for (let w = 0; w < windows; w++) {
    const t0 = performance.now();
    window();
    times.push(((performance.now() - t0) * 1e6) / (framesPerWindow * perFrame));
  }
  let bytes = 0;
  let counted = 0;
  for (let w = 0; w < windows; w++) {
    const h0 = usedHeap();
    window();
    const h1 = usedHeap();
    if (h1 >= h0) {
      bytes += Math.max(0, h1 - h0 - overhead);
      counted++;
    }
  }
  times.sort((a, b) => a - b);
  frames.dispose();
  heap.check();
  return {
    mode,
    blocksPerFrame: perFrame,
    nsPerBlock: times[times.length >> 1],
    bytesPerBlock: counted === 0 ? Number.NaN : bytes / (counted * framesPerWindow * perFrame),
  };
}

export function measureScratchModes(quick: boolean): ScratchModeRow[] {
  const overhead = readingOverhead();
  const rows: ScratchModeRow[] = [];
  for (const perFrame of [10, 100, 300, 1_000]) {
    const windows = quick ? 3 : Math.max(10, 1_000 / perFrame);
    for (const mode of ['auto', 'epoch', 'free'] as const) rows.push(run(mode, perFrame, windows, overhead));
  }
  return rows;
}
