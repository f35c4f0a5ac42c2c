import { createAllocator, type AllocatorOptions, type SlabAllocator } from '@tslab/core';
import { createFrameEpochs, type FrameEpochs, type FrameEpochsOptions } from '../src/index.js';

export interface Setup {
  heap: SlabAllocator;
  frames: FrameEpochs;
}

export function setup(frameOptions?: FrameEpochsOptions, heapOptions?: AllocatorOptions): Setup {
  const heap = createAllocator({ diagnostics: true, ...heapOptions });
  return { heap, frames: createFrameEpochs(heap, frameOptions) };
}

/** Runs `n` frames that allocate nothing. */
export function idle(frames: FrameEpochs, n: number): void {
  for (let i = 0; i < n; i++) frames.tick();
}
