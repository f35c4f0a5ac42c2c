import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createAllocator } from '@tslab/core';

/**
 * The generation CAS is the linearization point of free: when two workers free the same handles
 * at the same time (the owner locally, another worker remotely), exactly one free of each wins.
 */
describe('concurrent double frees across workers', () => {
  for (let round = 1; round <= 3; round++) {
    it(`round ${round}: 200,000 handles freed by two workers at once: exactly one free per handle returns true`, async () => {
      const count = 200_000;
      const heap = createAllocator({ shared: true });
      const handles = new SharedArrayBuffer(count * 8);
      const control = new SharedArrayBuffer(12);
      const ctl = new Int32Array(control);
      const results = ['owner', 'other'].map((role) => {
        const worker = new Worker(new URL('./race-worker.mjs', import.meta.url), { workerData: { handle: heap.share(), role, count, handles, control } });
        return new Promise<number>((resolve, reject) => {
          worker.on('message', (m: { won: number }) => resolve(m.won));
          worker.on('error', reject);
        });
      });
      while (Atomics.load(ctl, 1) < 2) await new Promise((r) => setTimeout(r, 2));
      Atomics.store(ctl, 2, 1);
      Atomics.notify(ctl, 2);
      const [owner, other] = await Promise.all(results);
      expect(owner + other).toBe(count);
      heap.adoptOrphans();
      const g = heap.statsGlobal();
      expect(g.totalAllocs).toBe(count);
      expect(g.totalFrees).toBe(count);
      expect(g.liveObjects).toBe(0);
      console.log(`race round ${round}: owner won ${owner}, other won ${other}`);
      heap.check();
    });
  }
});
