import { describe, expect, it } from 'vitest';
import { STATS_SCHEMA_VERSION } from '../src/index.js';
import { makeHeap } from './helpers.js';

describe('stats after known scenarios', () => {
  it('class stats count allocs, frees, slabs and (with diagnostics) bytes exactly', () => {
    const heap = makeHeap({ diagnostics: true, cacheSlabs: 2 });
    const perSlab = Math.floor(heap.slabBytes / 128);
    const handles = Array.from({ length: perSlab * 3 }, () => heap.alloc(128));
    let s = heap.statsClass(2);
    expect(s.objectSize).toBe(128);
    expect(s.totalAllocs).toBe(perSlab * 3);
    expect(s.slabs).toBe(3);
    expect(s.slowPathHits).toBe(3);
    expect(s.slowPathCacheMiss).toBe(3);
    expect(s.liveBytes).toBe(perSlab * 3 * 128);
    expect(s.committedBytes).toBe(3 * heap.slabBytes);
    expect(s.emptySlabs).toBe(0);
    const e = heap.epochCurrent();
    heap.epochAdvance();
    for (const h of handles) heap.free(h);
    s = heap.statsClass(2);
    expect(s.totalFrees).toBe(perSlab * 3);
    expect(s.emptySlabRecycled).toBe(2);
    expect(s.emptySlabOverflowed).toBe(1);
    expect(s.emptySlabs).toBe(2);
    expect(s.slabs).toBe(0);
    expect(s.liveBytes).toBe(0);
    expect(heap.epochState(e)).toBe('free');
    // Re-allocating takes the two cached slabs first (no cache miss), then a fresh one.
    for (let i = 0; i < perSlab * 3; i++) heap.alloc(128);
    s = heap.statsClass(2);
    expect(s.slowPathCacheMiss).toBe(4);
    expect(s.slowPathHits).toBe(6);
  });

  it('diagnostics off: live/committed/empty read 0 (the seed convention) while global bytes stay real', () => {
    const heap = makeHeap();
    heap.alloc(64);
    const s = heap.statsClass(0);
    expect([s.liveBytes, s.committedBytes, s.emptySlabs]).toEqual([0, 0, 0]);
    expect(s.liveObjects).toBe(1);
    const g = heap.statsGlobal();
    expect(g.committedBytes).toBeGreaterThanOrEqual(heap.slabBytes);
    expect(g.reservedBytes).toBeGreaterThanOrEqual(g.committedBytes);
  });

  it('global and epoch stats follow a scripted frame loop', () => {
    const heap = makeHeap();
    const into = heap.statsGlobal();
    const first = heap.epochCurrent();
    heap.epochLabel(first, 'boot');
    const a = Array.from({ length: 100 }, () => heap.alloc(64));
    heap.epochAdvance();
    const b = Array.from({ length: 50 }, () => heap.alloc(256));
    heap.epochAdvance();
    expect(heap.statsGlobal(into)).toBe(into);
    expect(into.totalAllocs).toBe(150);
    expect(into.liveObjects).toBe(150);
    expect(into.openEpochs).toBe(1);
    expect(into.closingEpochs).toBe(2);
    expect(into.epochsAdvanced).toBe(2);
    expect(into.currentEpoch).toBe(first + 2);
    const e0 = heap.statsEpoch(first);
    expect(e0).toMatchObject({ epoch: first, state: 'closing', age: 2, label: 'boot', liveObjects: 100, slabs: 1, bytes: heap.slabBytes });
    for (const h of a) heap.free(h);
    heap.epochClose(first + 1);
    heap.statsGlobal(into);
    expect(into).toMatchObject({ totalFrees: 100, liveObjects: 50, closingEpochs: 0, closedEpochs: 1 });
    expect(heap.statsEpoch(first + 1)).toMatchObject({ state: 'closed', liveObjects: 50, age: 1 });
    for (const h of b) heap.free(h);
    expect(heap.statsEpoch(first + 1).state).toBe('free');
  });

  it('statsDump is one JSON-ready snapshot with schemaVersion, global, classes and epochs', () => {
    const heap = makeHeap({ epochSlots: 8 });
    heap.alloc(64);
    heap.epochAdvance();
    const dump = heap.statsDump();
    expect(dump.schemaVersion).toBe(STATS_SCHEMA_VERSION);
    expect(dump.kind).toBe('tslab-stats');
    expect(dump.classes).toHaveLength(8);
    expect(dump.epochs.map((e) => e.state)).toEqual(['closing', 'open']);
    expect(dump.committedHistory).toHaveLength(1);
    expect(JSON.parse(JSON.stringify(dump))).toEqual(dump);
  });
});
