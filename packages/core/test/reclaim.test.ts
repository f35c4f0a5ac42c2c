import { describe, expect, it } from 'vitest';
import { BACKINGS, makeHeap } from './helpers.js';

const classes = 8;

describe('reclamation: closed and drained epochs give memory back', () => {
  for (const backing of BACKINGS) {
    it(`${backing}: the buffer shrinks to the contract bound after epochs drain`, () => {
      const heap = makeHeap({ backing, cacheSlabs: 4 });
      const handles: number[] = [];
      const epochs: number[] = [];
      for (let phase = 0; phase < 6; phase++) {
        epochs.push(heap.epochCurrent());
        for (let i = 0; i < 40_000; i++) handles.push(heap.alloc(64 + ((i * 37) % 700)));
        heap.epochAdvance();
      }
      const peak = heap.buffer.byteLength;
      expect(peak).toBeGreaterThan(20 * 2 ** 20);
      // A survivor in the first slab: lowest-address placement keeps early long-lived objects low.
      const keep = handles[0];
      for (const h of handles) if (h !== keep) heap.free(h);
      let reclaimed = 0;
      for (const e of epochs) reclaimed += heap.epochClose(e).reclaimedBytes;
      reclaimed += heap.trim();
      const after = heap.statsGlobal();
      const liveSlabs = 1;
      const bound = heap.slabBytes * (1 + classes * heap.cacheSlabs + liveSlabs);
      expect(after.bufferBytes).toBeLessThanOrEqual(bound);
      expect(reclaimed).toBe(peak - after.bufferBytes);
      expect(after.reclaimedBytes).toBe(reclaimed);
      expect(heap.isLive(keep)).toBe(true);
    });
  }

  it('a survivor high in the buffer pins the tail: the buffer shrinks only down to it, and the doctor says so', () => {
    const heap = makeHeap({ cacheSlabs: 1, sizeClasses: [64] });
    const e0 = heap.epochCurrent();
    const handles = Array.from({ length: 60 * 1024 }, () => heap.alloc(64));
    heap.epochAdvance();
    const keep = handles[handles.length - 1];
    for (const h of handles) if (h !== keep) heap.free(h);
    heap.epochClose(e0);
    heap.trim();
    const slabOfKeep = Math.floor(heap.offset(keep) / heap.slabBytes);
    expect(heap.buffer.byteLength).toBe((slabOfKeep + 1) * heap.slabBytes);
    const finding = heap.doctor().find((f) => f.id === 'tail-pinned');
    expect(finding?.value).toBeGreaterThan(10);
    heap.free(keep);
    heap.trim();
    expect(heap.buffer.byteLength).toBe(2 * heap.slabBytes);
  });

  it('copy mode replaces views on shrink; resizable mode keeps them', () => {
    for (const backing of BACKINGS) {
      const heap = makeHeap({ backing, cacheSlabs: 0 });
      const handles = Array.from({ length: 50_000 }, () => heap.alloc(256));
      const view = heap.f32;
      const e = heap.epochCurrent();
      heap.epochAdvance();
      for (const h of handles) heap.free(h);
      heap.epochClose(e);
      expect(heap.f32 === view).toBe(backing === 'resizable');
      expect(heap.f32.buffer).toBe(heap.buffer);
    }
  });

  it('shared mode: a SharedArrayBuffer that never shrinks; cached slabs are the bound on reuse', () => {
    const heap = makeHeap({ shared: true });
    expect(heap.buffer).toBeInstanceOf(SharedArrayBuffer);
    const handles = Array.from({ length: 30_000 }, () => heap.alloc(128));
    const grown = heap.buffer.byteLength;
    const e = heap.epochCurrent();
    heap.epochAdvance();
    for (const h of handles) heap.free(h);
    expect(heap.epochClose(e).reclaimedBytes).toBe(0);
    expect(heap.buffer.byteLength).toBe(grown);
    // Re-allocating the same volume reuses the buffer: no growth.
    for (let i = 0; i < 30_000; i++) heap.alloc(128);
    expect(heap.buffer.byteLength).toBe(grown);
  });

  it('moves cached slabs down so a high cached slab does not pin the tail', () => {
    const heap = makeHeap({ cacheSlabs: 2, sizeClasses: [64] });
    const perSlab = heap.slabBytes / 64;
    const e0 = heap.epochCurrent();
    const low = Array.from({ length: perSlab * 4 }, () => heap.alloc(64));
    const e1 = heap.epochAdvance();
    const high = Array.from({ length: perSlab * 4 }, () => heap.alloc(64));
    heap.epochAdvance();
    for (const h of low) heap.free(h);
    for (const h of high) heap.free(h);
    heap.epochClose(e0);
    heap.epochClose(e1);
    heap.trim();
    // reserved slab + 2 cached slabs.
    expect(heap.buffer.byteLength).toBe(3 * heap.slabBytes);
  });

  it('maxBytes: allocation past the ceiling returns null, is counted, and corrupts nothing', () => {
    const heap = makeHeap({ maxBytes: 8 * 65536, sizeClasses: [512] });
    const handles: number[] = [];
    for (;;) {
      const h = heap.alloc(512);
      if (h === 0) break;
      heap.u32[heap.offset(h) >> 2] = handles.length;
      handles.push(h);
    }
    expect(handles.length).toBe(7 * 128);
    expect(heap.statsGlobal().allocFailedMaxBytes).toBe(1);
    expect(heap.malloc(100)).toBe(0);
    handles.forEach((h, i) => expect(heap.u32[heap.offset(h) >> 2]).toBe(i));
    expect(heap.doctor().map((f) => f.id)).toContain('max-bytes');
    heap.free(handles[0]);
    expect(heap.alloc(512)).not.toBe(0);
  });
});
