import { describe, expect, it } from 'vitest';
import { makeHeap } from './helpers.js';

// allocMany runs in plain and shared mode: the same behaviour is asserted for both.
for (const shared of [false, true]) {
  describe(`allocMany (${shared ? 'shared' : 'plain'} mode)`, () => {
    it('hands out count live objects across slab boundaries, each a distinct slot of the right class', () => {
      const heap = makeHeap({ shared, maxBytes: 8 << 20 });
      const table = new Float64Array(5_100);
      table[0] = 123; // untouched: the burst starts at 1
      expect(heap.allocMany(100, table, 1, 5_000)).toBe(5_000);
      expect(table[0]).toBe(123);
      expect(table[5_001]).toBe(0);
      const offsets = new Set<number>();
      for (let i = 1; i <= 5_000; i++) {
        expect(heap.isLive(table[i])).toBe(true);
        offsets.add(heap.offset(table[i]));
        heap.u32[heap.offset(table[i]) >> 2] = i; // canary
      }
      expect(offsets.size).toBe(5_000);
      for (let i = 1; i <= 5_000; i++) expect(heap.u32[heap.offset(table[i]) >> 2]).toBe(i);
      const cls = heap.sizeClasses.indexOf(128);
      expect(heap.statsClass(cls).liveObjects).toBe(5_000);
      expect(heap.statsClass(cls).totalAllocs).toBe(5_000);
      expect(heap.freeMany(table, 1, 5_001)).toBe(5_000);
      expect(heap.statsGlobal().liveObjects).toBe(0);
    });

    it('fills an explicit open epoch, and refuses a closed one without writing (one refusal counted per call)', () => {
      const heap = makeHeap({ shared });
      const older = heap.epochOpen(); // open, not current
      const table = new Float64Array(10);
      expect(heap.allocMany(64, table, 0, 4, older)).toBe(4);
      expect(heap.statsEpoch(older).liveObjects).toBe(4);
      expect(heap.statsEpoch(heap.epochCurrent()).liveObjects).toBe(0);
      heap.epochClose(older);
      expect(heap.allocMany(64, table, 4, 3, older)).toBe(0);
      expect(table[4]).toBe(0);
      expect(heap.statsGlobal().slowPathEpochClosed).toBe(1);
      expect(heap.freeMany(table, 0, 4)).toBe(4);
    });

    it('stops at maxBytes: returns how many it allocated, counts the failure, corrupts nothing', () => {
      const heap = makeHeap({ shared, maxBytes: 4 * 65536 });
      const table = new Float64Array(10_000);
      const got = heap.allocMany(512, table, 0, 10_000);
      expect(got).toBeGreaterThan(0);
      expect(got).toBeLessThan(10_000);
      expect(heap.statsGlobal().allocFailedMaxBytes).toBeGreaterThanOrEqual(1);
      expect(table[got]).toBe(0);
      for (let i = 0; i < got; i++) expect(heap.isLive(table[i])).toBe(true);
      expect(heap.freeMany(table, 0, got)).toBe(got);
    });

    it('rejects bad arguments with the argument, the value and the allowed range', () => {
      const heap = makeHeap({ shared });
      const table = new Float64Array(8);
      expect(() => heap.allocMany(64, [] as unknown as Float64Array, 0, 1)).toThrow(new TypeError('table must be a Float64Array, got [object Array]'));
      expect(() => heap.allocMany(64, table, -1, 1)).toThrow(new RangeError('start must be an integer in 0..8, got -1'));
      expect(() => heap.allocMany(64, table, 2, 7)).toThrow(new RangeError('count must be an integer in 0..6, got 7'));
      expect(() => heap.allocMany(64, table, 0, 1.5)).toThrow(TypeError);
      expect(() => heap.allocMany(0, table, 0, 1)).toThrow(RangeError);
      expect(heap.statsGlobal().totalAllocs).toBe(0);
    });
  });
}

describe('allocMany against alloc', () => {
  it('leaves a twin heap that made the same allocations one by one in the same state', () => {
    const batched = makeHeap();
    const single = makeHeap();
    const a = new Float64Array(3_000);
    const b = new Float64Array(3_000);
    // Interleave bursts of several sizes with frees, so bursts start in partly used slabs.
    let at = 0;
    for (const [size, n] of [[64, 700], [700, 90], [64, 500], [200, 900], [64, 800]] as const) {
      expect(batched.allocMany(size, a, at, n)).toBe(n);
      for (let i = 0; i < n; i++) b[at + i] = single.alloc(size);
      for (let i = at; i < at + n; i += 5) {
        expect(batched.free(a[i])).toBe(true);
        expect(single.free(b[i])).toBe(true);
      }
      at += n;
    }
    for (let i = 0; i < at; i++) {
      expect(batched.isLive(a[i])).toBe(single.isLive(b[i]));
      if (batched.isLive(a[i])) expect(batched.offset(a[i])).toBe(single.offset(b[i]));
    }
    for (let cls = 0; cls < batched.sizeClasses.length; cls++) expect(batched.statsClass(cls)).toEqual(single.statsClass(cls));
  });
});
