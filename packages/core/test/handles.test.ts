import { describe, expect, it } from 'vitest';
import { NULL_HANDLE } from '../src/index.js';
import { BACKINGS, makeHeap, readStamp, stamp } from './helpers.js';

describe('generation-checked handles', () => {
  it('rejects a stale handle after 70,000 reuses of the same slot (more than a 16-bit generation allows)', () => {
    const heap = makeHeap();
    const first = heap.alloc(64);
    const offset = heap.offset(first);
    expect(heap.free(first)).toBe(true);
    let last = 0;
    let otherSlot = 0;
    let staleAccepted = 0;
    for (let i = 0; i < 70_000; i++) {
      last = heap.alloc(64);
      // LIFO free stack: the same slot comes back every time.
      if (heap.offset(last) !== offset) otherSlot++;
      if (heap.isLive(first) || heap.free(first)) staleAccepted++;
      if (i < 69_999) heap.free(last);
    }
    expect(otherSlot).toBe(0);
    expect(staleAccepted).toBe(0);
    stamp(heap, last, 0xfeed);
    expect(heap.free(first)).toBe(false);
    expect(readStamp(heap, last)).toBe(0xfeed);
    expect(heap.isLive(last)).toBe(true);
    expect(heap.statsGlobal().liveObjects).toBe(1);
  });

  it('rejects double frees, null, garbage numbers, non-numbers and other allocators\' handles without a throw', () => {
    const heap = makeHeap();
    const other = makeHeap();
    const h = heap.alloc(100);
    const foreign = other.alloc(100);
    stamp(heap, h, 7);
    const bad: unknown[] = [0, -1, 1, 0.5, NaN, Infinity, -Infinity, 2 ** 53, 2 ** 60, h + 0.5, h + 1, h - 1, h + 2 ** 26, foreign, '12', null, undefined, {}, [], 10n, Symbol.iterator];
    for (const value of bad) {
      expect(heap.free(value as number)).toBe(false);
      expect(heap.isLive(value as number)).toBe(false);
    }
    expect(readStamp(heap, h)).toBe(7);
    expect(heap.free(h)).toBe(true);
    expect(heap.free(h)).toBe(false);
    expect(other.isLive(foreign)).toBe(true);
    expect(heap.statsGlobal().totalFrees).toBe(1);
  });

  it('rejects a handle whose offset is inside an object but not at its start', () => {
    const heap = makeHeap({ sizeClasses: [96] });
    const a = heap.alloc(96);
    const b = heap.alloc(96);
    // Same tag and generation, offset moved 8 and 48 bytes into the object.
    expect(heap.free(b + 1)).toBe(false);
    expect(heap.free(a + 6)).toBe(false);
    // 96 bytes on from a is exactly b: the same number as b's handle, which is live.
    expect(a + 12).toBe(b);
    expect(heap.isLive(a) && heap.isLive(b)).toBe(true);
  });

  it('rejects a forged handle to the slot entry just past a slab\'s last slot, and check() guards the even generations that makes safe', () => {
    // 65,536 / 192 = 341 slots; slot 341 starts at 65,472, an exact multiple of 192 inside the slab.
    const heap = makeHeap({ sizeClasses: [192] });
    const h = heap.alloc(192);
    const slabStart = heap.offset(h) - (heap.offset(h) % 65536);
    const high = Math.floor(h / 2 ** 26);
    const tagHigh = high - (high % 2 ** 18);
    for (const gen of [1, 3, 2 ** 18 - 1]) {
      const forged = (tagHigh + gen) * 2 ** 26 + (slabStart + 341 * 192) / 8;
      expect(heap.isLive(forged)).toBe(false);
      expect(heap.free(forged)).toBe(false);
    }
    expect(heap.statsGlobal().liveObjects).toBe(1);
    heap.check();
    // The shared engine keeps its generations in the shared buffer (its own check covers them).
    if (heap.shared) return;
    // free() relies on that entry never holding a live (odd) generation; check() must see a breach.
    const gens = heap.slotGens;
    const entry = (slabStart / 65536) * (gens.length / heap.slabs.capacity) + 341;
    gens[entry] = 1;
    expect(() => heap.check()).toThrow(/slot entry 341 \(past its 341 slots\) has the live generation 1/);
    gens[entry] = 0;
  });

  it('keeps stale handles stale when a slab moves to another size class', () => {
    const heap = makeHeap({ cacheSlabs: 0, sizeClasses: [64, 128] });
    const small: number[] = [];
    for (let i = 0; i < 1024; i++) small.push(heap.alloc(64));
    const e0 = heap.epochCurrent();
    heap.epochAdvance();
    for (const h of small) heap.free(h);
    expect(heap.epochState(e0)).toBe('free');
    // The slab is now free and gets re-formatted for 128-byte objects.
    const big: number[] = [];
    for (let i = 0; i < 512; i++) big.push(heap.alloc(128));
    const bigOffsets = new Set(big.map((h) => heap.offset(h)));
    const reused = small.filter((h) => bigOffsets.has(heap.offset(h)));
    expect(reused.length).toBeGreaterThan(0);
    for (const h of small) expect(heap.free(h)).toBe(false);
    for (const h of big) expect(heap.isLive(h)).toBe(true);
  });

  it('never returns the null handle for a successful allocation and handles fit in 53 bits', () => {
    const heap = makeHeap();
    for (let i = 0; i < 5000; i++) {
      const h = heap.alloc(64 + (i % 700));
      expect(h).not.toBe(NULL_HANDLE);
      expect(Number.isSafeInteger(h)).toBe(true);
      expect(h).toBeGreaterThan(0);
    }
  });
});

describe('table API (allocInto / freeFrom): handles never cross a call', () => {
  it('writes the handle into the table and returns its offset; freeFrom frees it once', () => {
    const heap = makeHeap();
    const table = new Float64Array(8);
    const p = heap.allocInto(100, table, 3);
    expect(p).toBe(heap.offset(table[3]));
    expect(heap.isLive(table[3])).toBe(true);
    expect(heap.freeFrom(table, 3)).toBe(true);
    expect(heap.freeFrom(table, 3)).toBe(false);
    expect(heap.freeFrom(table, 0)).toBe(false);
    const old = heap.epochCurrent();
    heap.epochAdvance();
    expect(heap.allocInto(64, table, 5, old)).toBe(0);
    expect(table[5]).toBe(0);
  });
});

describe('metadata shrink', () => {
  for (const backing of BACKINGS) {
    it(`${backing}: gives slot metadata back after a trim, and stale handles of dropped slabs stay stale when they return`, () => {
      const heap = makeHeap({ sizeClasses: [64], cacheSlabs: 0, backing });
      const count = 200 * 1024;
      const old = new Float64Array(count);
      const e0 = heap.epochCurrent();
      for (let i = 0; i < count; i++) old[i] = heap.alloc(64);
      const peakCommitted = heap.statsGlobal().committedBytes;
      const gens = heap.slotGens;
      const peakGenBytes = gens.byteLength;
      heap.epochAdvance();
      for (let i = 0; i < count; i++) heap.free(old[i]);
      heap.epochClose(e0);
      heap.trim();
      const drained = heap.statsGlobal().committedBytes;
      expect(drained).toBeLessThan(peakCommitted / 20);
      // Resizable heaps resize the per-slot arrays in place (their pages go back at the close, not
      // at the next GC); copy heaps replace them with smaller copies.
      // (Shared heaps keep their metadata in the SharedArrayBuffer, which never shrinks.)
      if (!heap.shared) {
        expect(heap.slotGens === gens).toBe(backing === 'resizable');
        expect(heap.slotGens.byteLength).toBeLessThanOrEqual(peakGenBytes / 8);
      }
      const again = new Float64Array(count);
      for (let i = 0; i < count; i++) again[i] = heap.alloc(64);
      let staleAccepted = 0;
      for (let i = 0; i < count; i += 97) if (heap.isLive(old[i]) || heap.free(old[i])) staleAccepted++;
      expect(staleAccepted).toBe(0);
      for (let i = 0; i < count; i += 97) expect(heap.isLive(again[i])).toBe(true);
      heap.check();
    });
  }
});

describe('freeMany', () => {
  it('frees the live handles of a range, skips dead and forged ones, and counts', () => {
    const heap = makeHeap();
    const table = new Float64Array(10);
    for (let i = 0; i < 10; i++) table[i] = heap.alloc(64);
    heap.free(table[2]);
    table[5] = 12345;
    expect(heap.freeMany(table, 1, 9)).toBe(6);
    expect(heap.isLive(table[0]) && heap.isLive(table[9])).toBe(true);
    // 0, 9 and the object whose handle was overwritten at 5 stay live.
    expect(heap.statsGlobal().liveObjects).toBe(3);
  });

  it('leaves the heap exactly as one free() per entry would (slabs emptied, thresholds crossed, duplicates, chunk edges)', () => {
    // freeMany settles slabs after chunks of frees instead of at each free: a slab can be queued
    // twice (threshold, then empty) or emptied in one chunk and refilled by nothing before settling.
    const batched = makeHeap({ cacheSlabs: 2 });
    const single = makeHeap({ cacheSlabs: 2 });
    // 64 B slabs hold 1,024 slots (threshold 64); 768 B slabs hold 85 (threshold 5), so one chunk
    // of 256 frees can take a 768 B slab past its threshold and then empty it.
    const count = 9_000;
    const size = (i: number): number => (i % 2 === 0 ? 64 : 768);
    const a = new Float64Array(count);
    const b = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      a[i] = batched.alloc(size(i));
      b[i] = single.alloc(size(i));
    }
    const epoch = batched.epochCurrent();
    // Objects 0..2,999 in order (whole slabs pass their threshold and empty inside one chunk), a
    // duplicate after every 7th entry (already freed: skipped); then every third of the rest
    // (thresholds), then the rest in order.
    const order: number[] = [];
    for (let i = 0; i < 3_000; i++) {
      order.push(i);
      if (i % 7 === 0) order.push(i);
    }
    for (let i = 3_000; i < count; i += 3) order.push(i);
    for (let i = 3_000; i < count; i++) if (i % 3 !== 0) order.push(i);
    const ta = Float64Array.from(order, (i) => a[i]);
    let freedOneByOne = 0;
    for (const i of order) if (single.free(b[i])) freedOneByOne++;
    expect(batched.freeMany(ta, 0, ta.length)).toBe(freedOneByOne);
    const ga = batched.statsGlobal();
    const gb = single.statsGlobal();
    expect(ga.liveObjects).toBe(gb.liveObjects);
    expect(ga.activeSlabs).toBe(gb.activeSlabs);
    expect(ga.cachedSlabs).toBe(gb.cachedSlabs);
    expect(batched.statsEpoch(epoch).liveObjects).toBe(single.statsEpoch(epoch).liveObjects);
    for (let cls = 0; cls < batched.sizeClasses.length; cls++) expect(batched.statsClass(cls)).toEqual(single.statsClass(cls));
    batched.check();
    // The survivors are still live and the freed ones stale, in both heaps alike.
    for (let i = 0; i < count; i++) expect(batched.isLive(a[i])).toBe(single.isLive(b[i]));
  });
});
