import { afterEach } from 'vitest';
import { createAllocator, type AllocatorOptions, type BackingMode, type SlabAllocator } from '../src/index.js';

/**
 * The plain backings this engine offers: 'transfer' only where ArrayBuffer.prototype.transfer
 * exists (vitest.transfer.config.ts gives Node 20 the flag and runs the resizing suites again).
 */
export const BACKINGS: readonly BackingMode[] =
  typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer === 'function' ? ['copy', 'resizable', 'transfer'] : ['copy', 'resizable'];

const heaps: SlabAllocator[] = [];

/** Creates a heap that is check()ed after the test that made it, so every scenario ends with the invariant walk. */
export function makeHeap(options?: AllocatorOptions): SlabAllocator {
  const heap = createAllocator(options);
  heaps.push(heap);
  return heap;
}

afterEach(() => {
  for (const heap of heaps.splice(0)) heap.check();
});

/** Writes a recognisable word into the first 4 bytes of an object. */
export function stamp(heap: SlabAllocator, h: number, value: number): void {
  heap.u32[heap.offset(h) >> 2] = value;
}

export function readStamp(heap: SlabAllocator, h: number): number {
  return heap.u32[heap.offset(h) >> 2];
}
