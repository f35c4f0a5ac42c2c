import { createAllocator, SlabAllocator, type SharedHeapHandle } from '@tslab/core';
import { createFrameEpochs, type FrameEpochs } from '@tslab/frame';

export interface TslabHeapOptions {
  /** Advance (and close the previous epoch) every this many frames. */
  cadence: number;
  /** Back the heap with a SharedArrayBuffer (only when the page is cross-origin isolated). */
  shared: boolean;
  /** Attach to this shared heap (made by `createParticleHeap(true).share()`) instead of making one: inside a worker. */
  attach?: SharedHeapHandle;
}

/**
 * The heap every tslab mode uses. Particle records are 24 bytes, so the smallest class is 32 (the
 * default list starts at 64).
 */
export function createParticleHeap(shared: boolean): SlabAllocator {
  return createAllocator({ shared, sizeClasses: [32, 64, 128, 256], maxBytes: 256 * 1024 * 1024 });
}

/**
 * The heap and its frame adapter. 16 epoch slots: with cadence N and a lifetime of L frames about
 * L/N epochs hold live particles, so N >= L/14 keeps the ring from filling (when it does fill, the
 * frame adapter defers the advance instead of throwing, and the page says so).
 */
export function createTslabHeap(options: TslabHeapOptions): { heap: SlabAllocator; frames: FrameEpochs } {
  const heap = options.attach === undefined ? createParticleHeap(options.shared) : SlabAllocator.attach(options.attach);
  const frames = createFrameEpochs(heap, { advanceEvery: options.cadence });
  return { heap, frames };
}
