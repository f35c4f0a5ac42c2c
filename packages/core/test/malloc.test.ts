import { describe, expect, it } from 'vitest';
import { makeHeap } from './helpers.js';

describe('malloc wrapper (port of the seed test_malloc_wrapper)', () => {
  it('accepts every size 1..(largest class - 8) exactly and rejects max+1', () => {
    const heap = makeHeap();
    expect(heap.maxMallocSize).toBe(760);
    const pointers: number[] = [];
    for (let size = 1; size <= 760; size++) {
      const p = heap.malloc(size);
      expect(p % 8).toBe(0);
      expect(p).toBeGreaterThan(0);
      heap.u8.fill(size & 0xff, p, p + size);
      pointers.push(p);
    }
    expect(() => heap.malloc(761)).toThrow(RangeError);
    expect(() => heap.malloc(761)).toThrow('size must be an integer in 1..760 bytes, got 761');
    for (let size = 1; size <= 760; size++) {
      const p = pointers[size - 1];
      for (let i = 0; i < size; i++) if (heap.u8[p + i] !== (size & 0xff)) throw new Error(`byte ${i} of malloc(${size}) overwritten`);
    }
    for (const p of pointers) expect(heap.freePtr(p)).toBe(true);
    expect(heap.statsGlobal().liveObjects).toBe(0);
  });

  it('round trips data and rejects double, null, interior, misaligned and out-of-range pointers', () => {
    const heap = makeHeap();
    const p = heap.malloc(200);
    const q = heap.malloc(200);
    heap.f64[p >> 3] = Math.PI;
    heap.f64[q >> 3] = Math.E;
    for (const bad of [0, 8, p + 8, p + 4, p - 16, -8, 1.5, NaN, 2 ** 40, heap.buffer.byteLength + 8]) {
      expect(heap.freePtr(bad)).toBe(false);
    }
    expect(heap.f64[p >> 3]).toBe(Math.PI);
    expect(heap.freePtr(p)).toBe(true);
    expect(heap.freePtr(p)).toBe(false);
    expect(heap.f64[q >> 3]).toBe(Math.E);
    expect(heap.freePtr(q)).toBe(true);
  });

  it('a pointer stays valid after the heap grows (offsets survive; views are re-read)', () => {
    const heap = makeHeap();
    const p = heap.malloc(64);
    heap.u32[p >> 2] = 0xc0ffee;
    const version = heap.statsGlobal().viewVersion;
    for (let i = 0; i < 50_000; i++) heap.malloc(500);
    expect(heap.statsGlobal().viewVersion).toBeGreaterThan(version);
    expect(heap.u32[p >> 2]).toBe(0xc0ffee);
    expect(heap.freePtr(p)).toBe(true);
  });

  it('malloc and alloc share epochs: malloc into a closed epoch returns 0 and is counted', () => {
    const heap = makeHeap();
    const e0 = heap.epochCurrent();
    heap.epochAdvance();
    expect(heap.malloc(100, e0)).toBe(0);
    expect(heap.statsGlobal().slowPathEpochClosed).toBe(1);
  });
});
