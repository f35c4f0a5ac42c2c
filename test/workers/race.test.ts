import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createAllocator, type SlabAllocator } from '@tslab/core';

/**
 * Two workers free the same handles at the same time. Frees by views that do not own a slot claim
 * it with a CAS, so of two such frees exactly one returns true. The owner frees
 * its own slots without atomics (the API keeps Atomics off the single-thread fast path), so when
 * its free and another view's overlap, both may return true; the slot must still come back once:
 * counts exact, check() clean, and no slot handed out twice afterwards.
 */
async function race(heap: SlabAllocator, roles: readonly string[], count: number, handles: SharedArrayBuffer, control: SharedArrayBuffer): Promise<number[]> {
  const ctl = new Int32Array(control);
  const results = roles.map((role) => {
    const worker = new Worker(new URL('./race-worker.mjs', import.meta.url), { workerData: { handle: heap.share(), role, count, handles, control } });
    return new Promise<number>((resolve, reject) => {
      worker.on('message', (m: { won: number }) => resolve(m.won));
      worker.on('error', reject);
    });
  });
  while (Atomics.load(ctl, 1) < roles.length) await new Promise((r) => setTimeout(r, 2));
  Atomics.store(ctl, 2, 1);
  Atomics.notify(ctl, 2);
  return Promise.all(results);
}

/** Allocates `count` objects of the race's sizes and returns how many offsets were handed out twice. */
function duplicateOffsets(heap: SlabAllocator, count: number): number {
  const seen = new Set<number>();
  let duplicates = 0;
  for (let i = 0; i < count; i++) {
    const offset = heap.offset(heap.alloc(64 + (i & 3) * 64));
    if (seen.has(offset)) duplicates++;
    seen.add(offset);
  }
  return duplicates;
}

describe('concurrent double frees across workers', () => {
  const count = 200_000;
  for (let round = 1; round <= 3; round++) {
    it(`round ${round}: 200,000 handles freed by their owner and another worker at once: each comes back once`, async () => {
      const heap = createAllocator({ shared: true });
      const handles = new SharedArrayBuffer(count * 8);
      const control = new SharedArrayBuffer(12);
      const [owner, other] = await race(heap, ['owner', 'other'], count, handles, control);
      // Every handle was freed by at least one of them; overlaps may have both return true.
      expect(owner + other).toBeGreaterThanOrEqual(count);
      heap.adoptOrphans();
      const g = heap.statsGlobal();
      expect(g.totalAllocs).toBe(count);
      expect(g.totalFrees).toBe(count);
      expect(g.liveObjects).toBe(0);
      heap.check();
      expect(duplicateOffsets(heap, count)).toBe(0);
      heap.check();
      console.log(`race round ${round}: owner won ${owner}, other won ${other}, both ${owner + other - count}`);
    });
  }

  it('200,000 handles of the main thread freed by two other workers at once: exactly one free per handle returns true', async () => {
    const heap = createAllocator({ shared: true });
    const handles = new SharedArrayBuffer(count * 8);
    const list = new Float64Array(handles);
    for (let i = 0; i < count; i++) list[i] = heap.alloc(64 + (i & 3) * 64);
    const control = new SharedArrayBuffer(12);
    new Int32Array(control)[0] = 1; // published
    const [a, b] = await race(heap, ['other', 'other'], count, handles, control);
    // Claims are CASes, and a claim re-reads the generation after its CAS (remote-free.ts), so a
    // free that slept while the other claimed and the owner merged cannot win a second time.
    expect(a + b).toBe(count);
    heap.collect();
    const g = heap.statsGlobal();
    expect(g.totalFrees).toBe(count);
    expect(g.liveObjects).toBe(0);
    heap.check();
    expect(duplicateOffsets(heap, count)).toBe(0);
    heap.check();
  });
});
