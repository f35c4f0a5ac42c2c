import { describe, expect, it } from 'vitest';
import { setup } from './helpers.js';

/**
 * A few objects of an old epoch that live for minutes (here 3,600 frames at advanceEvery 1 = one minute at
 * 60 fps) pin that epoch's ring slot; the ring keeps turning for everything else as long as slots remain.
 */
describe('long-lived objects', () => {
  it('pin their epoch (closed, live) while the ring keeps turning, and the doctor names the epoch and its age', () => {
    const { heap, frames } = setup({ advanceEvery: 1 }, { epochSlots: 8 });
    const pinned = frames.epoch;
    const survivors = [heap.alloc(64, pinned), heap.alloc(64, pinned), heap.alloc(192, pinned)];
    heap.u32[heap.offset(survivors[0]) >> 2] = 42;
    frames.tick();
    let previous: number[] = [];
    let advances = 0;
    for (let f = 0; f < 3600; f++) {
      for (const h of previous) frames.retire(h); // per-frame objects live one frame
      previous = [];
      for (let i = 0; i < 20; i++) previous.push(heap.alloc(96, frames.epoch));
      frames.scratch(256);
      if (frames.tick().advanced) advances++;
    }
    expect(advances).toBe(3600); // never deferred
    expect(frames.report.advanceDeferred).toBe(0);
    expect(heap.epochState(pinned)).toBe('closed');
    expect(heap.statsEpoch(pinned).liveObjects).toBe(3);
    expect(heap.statsEpoch(pinned).age).toBe(3601);
    expect(frames.report.pendingEpochs).toBeGreaterThanOrEqual(1);
    expect(frames.report.oldestPendingEpoch).toBe(pinned);
    expect(frames.report.oldestPendingFrames).toBe(3600);
    for (const h of survivors) expect(heap.isLive(h)).toBe(true);
    expect(heap.u32[heap.offset(survivors[0]) >> 2]).toBe(42);

    const finding = heap.doctor().find((f) => f.id === 'epoch-pinned');
    expect(finding).toBeDefined();
    expect(finding?.epoch).toBe(pinned);
    expect(finding?.value).toBe(3601);
    expect(finding?.message).toContain(`epoch ${pinned}`);
    heap.check();

    // Freeing them releases the slot at the next tick.
    for (const h of survivors) frames.retire(h);
    const r = frames.tick();
    expect(heap.epochState(pinned)).toBe('free');
    expect(r.oldestPendingEpoch).not.toBe(pinned);
    expect(heap.doctor().some((f) => f.id === 'epoch-pinned')).toBe(false);
    heap.check();
  });

  it('when long-lived objects pin every slot, advancing is deferred (no throw) until one is freed', () => {
    const { heap, frames } = setup({ advanceEvery: 1 }, { epochSlots: 4 });
    const keep: number[] = [];
    for (let f = 0; f < 10; f++) {
      keep.push(heap.alloc(64, frames.epoch)); // one long-lived object per frame
      frames.tick();
    }
    expect(frames.report.advanceDeferred).toBe(7); // 3 advances fit (3 pinned + current), then full
    frames.retire(keep[0]);
    expect(frames.tick().advanced).toBe(true);
    heap.check();
  });
});
