import { describe, expect, it } from 'vitest';
import { makeHeap } from './helpers.js';

describe('churn (port of the seed churn_test)', () => {
  it('100k live objects, 1000 cycles of freeing and re-allocating 10k: no new slab after warm-up, committed flat', () => {
    const heap = makeHeap({ diagnostics: true });
    const live = new Float64Array(100_000);
    for (let i = 0; i < live.length; i++) live[i] = heap.alloc(128);
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed;
    };
    const committed: number[] = [];
    let misses = 0;
    for (let cycle = 0; cycle < 1000; cycle++) {
      const start = random() % (live.length - 10_000);
      for (let i = start; i < start + 10_000; i++) if (!heap.free(live[i])) misses++;
      for (let i = start; i < start + 10_000; i++) live[i] = heap.alloc(128);
      if (cycle === 9) heap.check();
      committed.push(heap.statsGlobal().committedBytes);
    }
    expect(misses).toBe(0);
    const afterWarmup = committed.slice(10);
    expect(Math.max(...afterWarmup)).toBe(Math.min(...afterWarmup));
    const cls = heap.statsClass(2);
    expect(cls.slowPathCacheMiss).toBe(Math.ceil(100_000 / Math.floor(heap.slabBytes / 128)));
    expect(cls.liveBytes).toBe(100_000 * 128);
    expect(cls.committedBytes / cls.liveBytes).toBeLessThan(1.1);
  });
});
