import { describe, expect, it } from 'vitest';
import { diagnose, type StatsDump } from '../src/index.js';
import { makeHeap } from './helpers.js';

const ids = (dump: StatsDump) => diagnose(dump).map((f) => f.id);

describe('doctor: each finding from a crafted scenario', () => {
  it('a healthy frame loop has no findings', () => {
    const heap = makeHeap({ diagnostics: true });
    for (let frame = 0; frame < 200; frame++) {
      const e = heap.epochCurrent();
      const hs = Array.from({ length: 500 }, () => heap.alloc(96));
      heap.epochAdvance();
      for (const h of hs) heap.free(h);
      heap.epochClose(e);
    }
    expect(heap.doctor()).toEqual([]);
  });

  it('slow-path-rate: slabs of one object each make every allocation slow; cache misses dominate', () => {
    const heap = makeHeap({ sizeClasses: [4096], slabBytes: 4096, cacheSlabs: 0 });
    const e = heap.epochCurrent();
    const hs = Array.from({ length: 12_000 }, () => heap.alloc(4096));
    heap.epochAdvance();
    for (const h of hs) heap.free(h);
    heap.epochClose(e);
    const f = heap.doctor().find((x) => x.id === 'slow-path-rate');
    expect(f?.value).toBe(1);
    expect(f?.threshold).toBe(0.05);
    expect(f?.action).toMatch(/cacheSlabs/);
  });

  it('epoch-closed-allocs: allocations into an advanced epoch are refused and reported', () => {
    const heap = makeHeap();
    const old = heap.epochCurrent();
    heap.epochAdvance();
    for (let i = 0; i < 3; i++) heap.alloc(64, old);
    const f = heap.doctor().find((x) => x.id === 'epoch-closed-allocs');
    expect(f?.value).toBe(3);
  });

  it('cache-overflow: a cache of 1 slab overflows when many slabs empty at once', () => {
    const heap = makeHeap({ cacheSlabs: 1 });
    for (let round = 0; round < 20; round++) {
      const e = heap.epochCurrent();
      const hs = Array.from({ length: 10 * 1024 }, () => heap.alloc(64));
      heap.epochAdvance();
      for (const h of hs) heap.free(h);
      heap.epochClose(e);
    }
    expect(ids(heap.statsDump())).toContain('cache-overflow');
  });

  it('fragmentation: one survivor per slab leaves committed far above live (diagnostics on)', () => {
    const heap = makeHeap({ diagnostics: true, cacheSlabs: 0 });
    const hs = Array.from({ length: 64 * 1024 }, () => heap.alloc(64));
    heap.epochAdvance();
    // 16 survivors per 1024-slot slab: 64 KiB live spread over 64 slabs (4 MiB).
    hs.forEach((h, i) => i % 64 !== 0 && heap.free(h));
    const f = heap.doctor().find((x) => x.id === 'fragmentation');
    expect(f?.classIndex).toBe(0);
    expect(f?.value).toBe(64);
  });

  it('epoch-pinned: a closed epoch kept alive by a few objects for many advances is named with its age', () => {
    const heap = makeHeap();
    const pinnedEpoch = heap.epochCurrent();
    heap.epochLabel(pinnedEpoch, 'boss-fight');
    heap.alloc(64);
    heap.alloc(64);
    for (let i = 0; i < 70; i++) {
      const e = heap.epochCurrent();
      heap.epochAdvance();
      heap.epochClose(e);
    }
    const f = heap.doctor().find((x) => x.id === 'epoch-pinned');
    expect(f?.epoch).toBe(pinnedEpoch);
    expect(f?.value).toBe(70);
    expect(f?.message).toContain('boss-fight');
    expect(f?.message).toContain('2 objects');
  });

  it('epochs-not-closed and ring-nearly-full: advancing without closing while objects survive', () => {
    const heap = makeHeap({ epochSlots: 8 });
    for (let i = 0; i < 7; i++) {
      heap.alloc(64);
      heap.epochAdvance();
    }
    const found = ids(heap.statsDump());
    expect(found).toContain('epochs-not-closed');
    expect(found).toContain('ring-nearly-full');
  });

  it('never-advanced: 100k allocations all in epoch 0', () => {
    const heap = makeHeap();
    for (let i = 0; i < 100_000; i++) heap.free(heap.alloc(64));
    expect(ids(heap.statsDump())).toContain('never-advanced');
  });

  it('committed-growing: memory held by never-closed epochs while live objects stay flat', () => {
    const heap = makeHeap({ epochSlots: 64 });
    let previous: number[] = [];
    for (let i = 0; i < 20; i++) {
      // Each epoch keeps one object per slab alive, then the rest is freed: live stays flat.
      const hs = Array.from({ length: 4096 }, () => heap.alloc(64));
      for (const h of previous) heap.free(h);
      previous = hs.filter((_, j) => j % 1024 !== 0);
      heap.epochAdvance();
    }
    expect(ids(heap.statsDump())).toContain('committed-growing');
  });

  it('live-growing: live objects grow with committed bytes', () => {
    const heap = makeHeap({ epochSlots: 64 });
    for (let i = 0; i < 20; i++) {
      for (let j = 0; j < 4096; j++) heap.alloc(64);
      const e = heap.epochCurrent();
      heap.epochAdvance();
      heap.epochClose(e);
    }
    expect(ids(heap.statsDump())).toContain('live-growing');
  });

  it('cas-retries, lock-contention and shared-cannot-shrink are judged from the dump', () => {
    const heap = makeHeap({ shared: true });
    const hs = Array.from({ length: 100_000 }, () => heap.alloc(128));
    const e = heap.epochCurrent();
    heap.epochAdvance();
    for (const h of hs) heap.free(h);
    heap.epochClose(e);
    const dump = heap.statsDump();
    dump.classes[2] = { ...dump.classes[2], casAttempts: 1000, casRetries: 50, lockAcquisitions: 100, lockContended: 30 };
    const found = ids(dump);
    expect(found).toContain('cas-retries');
    expect(found).toContain('lock-contention');
    expect(found).toContain('shared-cannot-shrink');
  });
});
