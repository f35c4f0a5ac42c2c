import { describe, expect, it } from 'vitest';
import { setup } from './helpers.js';

describe('advance cadence', () => {
  it.each([1, 4, 60])('advanceEvery %i advances exactly on ticks N, 2N, 3N and closes the epoch left behind', (n) => {
    const { heap, frames } = setup({ advanceEvery: n });
    const ticks = 3 * n + 1;
    const advancedAt: number[] = [];
    let epoch = frames.epoch;
    for (let t = 1; t <= ticks; t++) {
      // One live object per epoch so the closed epoch stays observable (closed, not free) after the advance.
      const h = heap.alloc(64, frames.epoch);
      expect(h).not.toBe(0);
      const before = frames.epoch;
      const r = frames.tick();
      expect(r.frame).toBe(t);
      expect(frames.frame).toBe(t);
      if (r.advanced) {
        advancedAt.push(t);
        expect(frames.epoch).toBeGreaterThan(before);
        expect(heap.epochCurrent()).toBe(frames.epoch);
        expect(heap.epochState(frames.epoch)).toBe('open');
        expect(heap.epochState(before)).toBe('closed');
        expect(heap.statsEpoch(before).liveObjects).toBe(n);
        expect(r.closedEpochs).toBe(1);
        epoch = frames.epoch;
      } else {
        expect(frames.epoch).toBe(epoch);
        expect(heap.epochState(frames.epoch)).toBe('open');
        expect(r.closedEpochs).toBe(0);
      }
      expect(r.epoch).toBe(frames.epoch);
    }
    expect(advancedAt).toEqual(n === 1 ? [1, 2, 3, 4] : [n, 2 * n, 3 * n]);
    expect(frames.report.advanceDeferred).toBe(0);
    heap.check();
  });

  it('requestAdvance makes the next tick advance and restarts the cadence', () => {
    const { heap, frames } = setup({ advanceEvery: 10 });
    frames.tick();
    frames.tick();
    frames.requestAdvance();
    expect(frames.tick().advanced).toBe(true); // tick 3
    const at: number[] = [];
    for (let t = 4; t <= 25; t++) if (frames.tick().advanced) at.push(t);
    expect(at).toEqual([13, 23]);
    heap.check();
  });

  it('labels frame epochs "frame" so stats and the doctor name them', () => {
    const { heap, frames } = setup({ advanceEvery: 1 });
    expect(heap.statsEpoch(frames.epoch).label).toBe('frame');
    frames.tick();
    expect(heap.statsEpoch(frames.epoch).label).toBe('frame');
    heap.check();
  });
});
