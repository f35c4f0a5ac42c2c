import { describe, expect, it } from 'vitest';
import { EpochRingFullError, NULL_HANDLE } from '../src/index.js';
import { makeHeap, readStamp, stamp } from './helpers.js';

describe('epochs (port of the seed test_epochs)', () => {
  it('keeps epochs isolated: objects of different epochs never share a slab', () => {
    const heap = makeHeap();
    const e0 = heap.epochCurrent();
    const e1 = heap.epochOpen();
    const inE0 = Array.from({ length: 300 }, () => heap.alloc(64, e0));
    const inE1 = Array.from({ length: 300 }, () => heap.alloc(64, e1));
    const slabOf = (h: number) => Math.floor(heap.offset(h) / heap.slabBytes);
    const slabs0 = new Set(inE0.map(slabOf));
    for (const h of inE1) expect(slabs0.has(slabOf(h))).toBe(false);
    expect(heap.statsEpoch(e0).liveObjects).toBe(300);
    expect(heap.statsEpoch(e1).liveObjects).toBe(300);
    expect(heap.statsEpoch(e1).slabs).toBe(1);
  });

  it('advance: new current epoch, the old one closing and refusing allocations but accepting frees', () => {
    const heap = makeHeap();
    const e0 = heap.epochCurrent();
    const h = heap.alloc(64);
    const e1 = heap.epochAdvance();
    expect(e1).toBeGreaterThan(e0);
    expect(heap.epochCurrent()).toBe(e1);
    expect(heap.epochState(e0)).toBe('closing');
    expect(heap.epochState(e1)).toBe('open');
    expect(heap.alloc(64, e0)).toBe(NULL_HANDLE);
    expect(heap.statsClass(0).slowPathEpochClosed).toBe(1);
    expect(heap.free(h)).toBe(true);
    expect(heap.epochState(e0)).toBe('free');
  });

  it('wraps the ring many times with monotonic ids and no mixing of lifetimes', () => {
    const heap = makeHeap({ epochSlots: 4 });
    const seen = new Set<number>();
    let previous = heap.epochCurrent();
    for (let i = 0; i < 1000; i++) {
      const h = heap.alloc(64);
      stamp(heap, h, i);
      const next = heap.epochAdvance();
      expect(next).toBeGreaterThan(previous);
      expect(seen.has(next)).toBe(false);
      seen.add(next);
      expect(heap.free(h)).toBe(true);
      heap.epochClose(previous);
      expect(heap.epochState(previous)).toBe('free');
      previous = next;
    }
    expect(heap.statsGlobal().epochsAdvanced).toBe(1000);
  });

  it('never reuses a ring slot that holds live objects: skips it, and throws EpochRingFullError naming the undrained epochs when none is free', () => {
    const heap = makeHeap({ epochSlots: 4 });
    const pinned = heap.alloc(64);
    stamp(heap, pinned, 0xbeef);
    const e0 = heap.epochCurrent();
    heap.epochClose(e0); // moves current to epoch 1; epoch 0 stays closed with one live object
    expect(heap.epochState(e0)).toBe('closed');
    const ids: number[] = [];
    for (let i = 0; i < 6; i++) {
      ids.push(heap.epochAdvance());
      heap.epochClose(ids[ids.length - 2] ?? 1);
    }
    // Slot 0 was skipped every lap: no id that maps to it was handed out while epoch 0 was live.
    for (const id of ids) expect(id % 4).not.toBe(0);
    expect(readStamp(heap, pinned)).toBe(0xbeef);
    // Fill the ring: 3 open epochs + the pinned one.
    heap.epochOpen();
    heap.epochOpen();
    let error: unknown;
    try {
      heap.epochAdvance();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EpochRingFullError);
    expect((error as EpochRingFullError).undrained).toContain(e0);
    expect((error as Error).message).toContain(`epoch ${e0} closed with 1 live`);
    expect(heap.tryEpochAdvance()).toBe(-1);
    expect(() => heap.epochOpen()).toThrow(EpochRingFullError);
    expect(() => heap.domain()).toThrow(EpochRingFullError);
    heap.free(pinned);
    expect(heap.epochState(e0)).toBe('free');
    expect(heap.tryEpochAdvance()).toBeGreaterThan(0);
  });

  it('closing the current epoch moves allocation to a fresh epoch instead of failing', () => {
    const heap = makeHeap();
    const e0 = heap.epochCurrent();
    const kept = heap.alloc(64);
    const report = heap.epochClose(e0);
    expect(report.state).toBe('closed');
    expect(report.liveObjects).toBe(1);
    expect(heap.epochCurrent()).not.toBe(e0);
    const h = heap.alloc(64);
    expect(h).not.toBe(NULL_HANDLE);
    expect(heap.isLive(kept)).toBe(true);
    expect(heap.free(kept)).toBe(true);
    expect(heap.epochState(e0)).toBe('free');
  });

  it('closing the current epoch with a full ring throws and closes nothing', () => {
    const heap = makeHeap({ epochSlots: 2 });
    const e0 = heap.epochCurrent();
    heap.epochOpen();
    heap.alloc(64);
    expect(() => heap.epochClose(e0)).toThrow(EpochRingFullError);
    expect(heap.epochState(e0)).toBe('open');
    expect(heap.alloc(64)).not.toBe(NULL_HANDLE);
  });

  it('reset frees every object of an epoch at once, makes its handles and pointers stale, and keeps an open epoch open', () => {
    const heap = makeHeap();
    const arena = heap.epochOpen();
    const other = heap.alloc(64);
    stamp(heap, other, 99);
    const handles = Array.from({ length: 5000 }, (_, i) => heap.alloc(64 + (i % 200), arena));
    const pointers = Array.from({ length: 100 }, () => heap.malloc(300, arena));
    const report = heap.epochReset(arena);
    expect(report.freedObjects).toBe(5100);
    expect(report.state).toBe('open');
    expect(report.liveObjects).toBe(0);
    for (const h of handles) expect(heap.free(h)).toBe(false);
    for (const p of pointers) expect(heap.freePtr(p)).toBe(false);
    expect(heap.statsEpoch(arena).slabs).toBe(0);
    expect(heap.statsGlobal().liveObjects).toBe(1);
    expect(readStamp(heap, other)).toBe(99);
    // The arena is reusable.
    const again = heap.alloc(64, arena);
    expect(again).not.toBe(NULL_HANDLE);
    const closed = heap.epochReset(heap.epochClose(arena).epoch);
    expect(closed.state).toBe('free');
  });

  it('reports states: open, closing, closed, free', () => {
    const heap = makeHeap();
    const e0 = heap.epochCurrent();
    const a = heap.alloc(64);
    heap.epochAdvance();
    expect(heap.epochState(e0)).toBe('closing');
    heap.epochClose(e0);
    expect(heap.epochState(e0)).toBe('closed');
    heap.free(a);
    expect(heap.epochState(e0)).toBe('free');
    expect(heap.statsEpoch(e0).state).toBe('free');
  });

  it('labels epochs from a bounded registry of 16', () => {
    const heap = makeHeap({ epochSlots: 32 });
    const e = heap.epochCurrent();
    heap.epochLabel(e, 'level-load');
    expect(heap.epochLabel(e)).toBe('level-load');
    expect(heap.statsEpoch(e).label).toBe('level-load');
    for (let i = 0; i < 15; i++) heap.epochLabel(heap.epochOpen(), `phase-${i}`);
    // Re-using a registered label is fine; a 17th distinct one is refused.
    heap.epochLabel(heap.epochOpen(), 'phase-3');
    expect(() => heap.epochLabel(heap.epochCurrent(), 'one-too-many')).toThrow(/16 labels/);
    expect(heap.statsDump().epochs.filter((s) => s.label === 'phase-3')).toHaveLength(2);
  });
});
