/**
 * The fast-check reference model (model.test.ts) with every heap in shared mode: createAllocator
 * is wrapped to add `shared: true`, so all 110 random sequences of 2,000 operations run against a
 * single-view shared heap and must agree with the model exactly as plain heaps do.
 */
import { afterAll, expect, vi } from 'vitest';
import type { AllocatorOptions, SlabAllocator } from '../src/index.js';

const made = vi.hoisted(() => ({ heaps: 0, shared: 0 }));

vi.mock('../src/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/index.js')>();
  const createAllocator = (options?: AllocatorOptions): SlabAllocator => {
    const heap = real.createAllocator({ ...options, shared: true });
    made.heaps++;
    if (heap.buffer instanceof SharedArrayBuffer && typeof heap.share().meta === 'object') made.shared++;
    return heap;
  };
  return { ...real, createAllocator };
});

await import('./model.test.js');

afterAll(() => {
  // Proves the wrapper ran: every heap of the model run (and its foreign heap) was a shared heap.
  expect(made.heaps).toBeGreaterThanOrEqual(220);
  expect(made.shared).toBe(made.heaps);
});
