import { describe, expect, it } from 'vitest';
import { setup } from './helpers.js';

describe('retire / retirePtr', () => {
  it('retireFrom(table, index) retires the handle stored in a Float64Array', () => {
    const { heap, frames } = setup({ advanceEvery: 1000 });
    const table = new Float64Array(4);
    for (let i = 0; i < 4; i++) heap.allocInto(64, table, i, frames.epoch);
    frames.retireFrom(table, 1);
    frames.retireFrom(table, 3);
    expect(heap.isLive(table[1])).toBe(true);
    expect(frames.tick().retiredFreed).toBe(2);
    expect([0, 1, 2, 3].map((i) => heap.isLive(table[i]))).toEqual([true, false, true, false]);
    heap.check();
  });

  it('frees only at the tick: retired handles stay live until then, then are stale', () => {
    const { heap, frames } = setup({ advanceEvery: 1000 });
    const hs = Array.from({ length: 10 }, () => heap.alloc(64, frames.epoch));
    for (const h of hs.slice(0, 6)) frames.retire(h);
    for (const h of hs) expect(heap.isLive(h)).toBe(true);
    expect(heap.statsGlobal().liveObjects).toBe(10);
    const r = frames.tick();
    expect(r.retiredFreed).toBe(6);
    expect(r.retiredRejected).toBe(0);
    expect(r.frees).toBe(6);
    expect(r.liveObjects).toBe(4);
    hs.forEach((h, i) => expect(heap.isLive(h)).toBe(i >= 6));
    expect(heap.free(hs[0])).toBe(false); // already freed by the tick
    heap.check();
  });

  it('a retired slot is not handed out again in the same frame', () => {
    const { heap, frames } = setup({ advanceEvery: 1000 });
    const first = Array.from({ length: 200 }, () => heap.alloc(64, frames.epoch));
    const retiredOffsets = new Set(first.map((h) => heap.offset(h)));
    for (const h of first) frames.retire(h);
    // Same frame: 2,000 new objects (the first ones from the very slab that holds the retired
    // objects), none at a retired object's offset. An immediate free would hand one back at once.
    for (let i = 0; i < 2000; i++) {
      const h = heap.alloc(64, frames.epoch);
      expect(retiredOffsets.has(heap.offset(h))).toBe(false);
    }
    frames.tick();
    for (const h of first) expect(heap.isLive(h)).toBe(false);
    heap.check();
  });

  it('a retired slot is reusable right after the tick', () => {
    const { heap, frames } = setup({ advanceEvery: 1000 });
    const first = Array.from({ length: 200 }, () => heap.alloc(64, frames.epoch));
    const retiredOffsets = new Set(first.map((h) => heap.offset(h)));
    for (const h of first) frames.retire(h);
    expect(retiredOffsets.has(heap.offset(heap.alloc(64, frames.epoch)))).toBe(false);
    frames.tick();
    expect(retiredOffsets.has(heap.offset(heap.alloc(64, frames.epoch)))).toBe(true);
    heap.check();
  });

  it('retirePtr frees malloc pointers at the tick', () => {
    const { heap, frames } = setup();
    const p = heap.malloc(100, frames.epoch);
    const q = heap.malloc(300, frames.epoch);
    frames.retirePtr(p);
    frames.retirePtr(q);
    expect(heap.statsGlobal().liveObjects).toBe(2);
    const r = frames.tick();
    expect(r.retiredFreed).toBe(2);
    expect(r.liveObjects).toBe(0);
    expect(heap.freePtr(p)).toBe(false);
    heap.check();
  });

  it('counts rejected retires (null, garbage, double retire, stale) without throwing', () => {
    const { heap, frames } = setup();
    const h = heap.alloc(64, frames.epoch);
    frames.retire(h);
    frames.retire(h); // double retire in one frame
    frames.retire(0);
    frames.retire(123456789);
    frames.retirePtr(0);
    frames.retirePtr(12345);
    const r = frames.tick();
    expect(r.retiredFreed).toBe(1);
    expect(r.retiredRejected).toBe(5);
    frames.retire(h); // stale in the next frame
    expect(frames.tick().retiredRejected).toBe(1);
    heap.check();
  });

  it('the queue grows past its initial capacity and keeps every handle (handles above 2^31 included)', () => {
    const { heap, frames } = setup({ retireCapacity: 4 });
    const hs: number[] = [];
    for (let i = 0; i < 5000; i++) hs.push(heap.alloc(96, frames.epoch));
    expect(hs.some((h) => h > 2 ** 31)).toBe(true);
    for (const h of hs) frames.retire(h);
    const r = frames.tick();
    expect(r.retiredFreed).toBe(5000);
    expect(r.liveObjects).toBe(0);
    heap.check();
  });

  it('a drained epoch becomes free on the tick that frees its last object', () => {
    const { heap, frames } = setup({ advanceEvery: 1 });
    const e0 = frames.epoch;
    const a = heap.alloc(64, e0);
    const b = heap.alloc(128, e0);
    let r = frames.tick(); // advance, close e0 (2 live)
    expect(r.closedEpochs).toBe(1);
    expect(heap.epochState(e0)).toBe('closed');
    expect(r.pendingEpochs).toBe(1);
    expect(r.oldestPendingEpoch).toBe(e0);
    frames.retire(a);
    expect(heap.epochState(e0)).toBe('closed');
    r = frames.tick();
    expect(heap.epochState(e0)).toBe('closed');
    expect(r.pendingEpochs).toBe(1);
    expect(r.oldestPendingEpoch).toBe(e0);
    expect(r.oldestPendingFrames).toBe(1);
    // The epoch of frame 2 had no objects: it was freed at its own advance (and counted as drained).
    expect(r.drainedEpochs).toBe(1);
    frames.retire(b);
    r = frames.tick();
    expect(heap.epochState(e0)).toBe('free');
    expect(r.drainedEpochs).toBe(2); // e0 and this frame's empty epoch
    expect(r.pendingEpochs).toBe(0);
    expect(r.oldestPendingEpoch).toBe(-1);
    heap.check();
  });
});
