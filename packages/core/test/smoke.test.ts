import { describe, expect, it } from 'vitest';
import { NULL_HANDLE } from '../src/index.js';
import { makeHeap, readStamp, stamp } from './helpers.js';

describe('smoke (port of the seed smoke_tests)', () => {
  it('allocates 20k objects, frees every second one, re-allocates, and keeps every survivor intact', () => {
    const heap = makeHeap();
    const handles = new Float64Array(20_000);
    for (let i = 0; i < handles.length; i++) {
      handles[i] = heap.alloc(128);
      expect(handles[i]).not.toBe(NULL_HANDLE);
      stamp(heap, handles[i], i + 1);
    }
    const offsets = new Set<number>();
    for (const h of handles) offsets.add(heap.offset(h));
    expect(offsets.size).toBe(20_000);
    for (const h of handles) expect(heap.offset(h) % 16).toBe(0);
    expect(heap.statsGlobal().liveObjects).toBe(20_000);

    for (let i = 0; i < handles.length; i += 2) expect(heap.free(handles[i])).toBe(true);
    expect(heap.statsGlobal().liveObjects).toBe(10_000);
    heap.check();
    for (let i = 1; i < handles.length; i += 2) expect(readStamp(heap, handles[i])).toBe(i + 1);

    const committedBefore = heap.statsGlobal().committedBytes;
    for (let i = 0; i < handles.length; i += 2) {
      handles[i] = heap.alloc(120);
      stamp(heap, handles[i], 0xabc00000 + i);
    }
    // The freed slots are reused: re-allocating the same count commits no new slab.
    expect(heap.statsGlobal().committedBytes).toBe(committedBefore);
    for (let i = 0; i < handles.length; i++) {
      expect(readStamp(heap, handles[i])).toBe(i % 2 === 0 ? 0xabc00000 + i : i + 1);
    }
    expect(heap.statsClass(2).totalAllocs).toBe(30_000);
    expect(heap.statsClass(2).totalFrees).toBe(10_000);
  });

  it('places every class at its alignment: 8 for every class, 16 for multiples of 16', () => {
    const heap = makeHeap({ sizeClasses: [24, 40, 64, 96, 200] });
    for (const size of [24, 40, 64, 96, 200]) {
      for (let i = 0; i < 500; i++) {
        const o = heap.offset(heap.alloc(size));
        expect(o % 8).toBe(0);
        if (size % 16 === 0) expect(o % 16).toBe(0);
        expect(o).toBeGreaterThan(0);
      }
    }
  });

  it('picks the smallest class that fits, for every size 1..max', () => {
    const heap = makeHeap();
    const classes = heap.sizeClasses;
    for (let size = 1; size <= heap.maxObjectSize; size++) {
      const before = classes.map((_, i) => heap.statsClass(i).totalAllocs);
      const h = heap.alloc(size);
      const chosen = classes.findIndex((_, i) => heap.statsClass(i).totalAllocs !== before[i]);
      expect(classes[chosen]).toBeGreaterThanOrEqual(size);
      if (chosen > 0) expect(classes[chosen - 1]).toBeLessThan(size);
      heap.free(h);
    }
  });

  it('writes into one object never touch its neighbours', () => {
    const heap = makeHeap();
    const a = heap.alloc(64);
    const b = heap.alloc(64);
    heap.u8.fill(0x11, heap.offset(a), heap.offset(a) + 64);
    heap.u8.fill(0x22, heap.offset(b), heap.offset(b) + 64);
    expect(heap.u8[heap.offset(a) + 63]).toBe(0x11);
    expect(heap.u8[heap.offset(b)]).toBe(0x22);
    expect(Math.abs(heap.offset(a) - heap.offset(b))).toBeGreaterThanOrEqual(64);
  });
});
