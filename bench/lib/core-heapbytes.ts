/**
 * Kernels for "heap bytes per operation": each runs one tslab call in a loop over a live working
 * set and folds the results into a sink, so the call cannot be optimized away. The loop itself
 * allocates nothing (checked by the empty kernel row), so any growth is the allocator's.
 */
import type { SlabAllocator, SlabGlobalStats } from '@tslab/core';
import type { Kernel } from './measure.js';

/** Keeps results observable so V8 cannot drop the calls. */
const sink = new Float64Array(1);

export function sinkValue(): number {
  return sink[0];
}

/** A working set of live handles to read from. */
export class LiveHandles {
  readonly handles: Float64Array;

  constructor(private readonly heap: SlabAllocator, count: number, size: number) {
    this.handles = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const h = heap.alloc(size);
      if (h === 0) throw new Error(`LiveHandles: heap.alloc(${size}) returned the null handle at object ${i}`);
      this.handles[i] = h;
    }
  }

  dispose(): void {
    for (let i = 0; i < this.handles.length; i++) this.heap.free(this.handles[i]);
  }
}

/** offset(h) over live handles. */
export function offsetKernel(heap: SlabAllocator, live: LiveHandles): Kernel {
  const hs = live.handles;
  const n = hs.length;
  let k = 0;
  return (units: number): void => {
    let sum = 0;
    for (let u = 0; u < units; u++) {
      sum += heap.offset(hs[k]);
      if (++k === n) k = 0;
    }
    sink[0] += sum;
  };
}

/** isLive(h) over live handles. */
export function isLiveKernel(heap: SlabAllocator, live: LiveHandles): Kernel {
  const hs = live.handles;
  const n = hs.length;
  let k = 0;
  return (units: number): void => {
    let count = 0;
    for (let u = 0; u < units; u++) {
      if (heap.isLive(hs[k])) count++;
      if (++k === n) k = 0;
    }
    sink[0] += count;
  };
}

/** statsGlobal(into) reusing one object, as a frame loop would. */
export function statsGlobalKernel(heap: SlabAllocator): Kernel {
  const into = heap.statsGlobal() as SlabGlobalStats;
  return (units: number): void => {
    let live = 0;
    for (let u = 0; u < units; u++) live += heap.statsGlobal(into).liveObjects;
    sink[0] += live;
  };
}

/** The loop with no allocator call: what the measurement itself costs. */
export function emptyKernel(): Kernel {
  return (units: number): void => {
    let acc = 0;
    for (let u = 0; u < units; u++) acc += u & 1;
    sink[0] += acc;
  };
}
