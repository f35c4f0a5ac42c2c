import { describe, expect, it } from 'vitest';
import { setup } from './helpers.js';

describe('ring full', () => {
  it('defers the advance without throwing, keeps allocating into the current epoch, and recovers once epochs drain', () => {
    const { heap, frames } = setup({ advanceEvery: 1 }, { epochSlots: 4 });
    const held: number[][] = [];
    // Frames 1-3: each epoch keeps 10 objects, so 3 closed epochs + the current fill the 4 slots.
    for (let f = 0; f < 3; f++) {
      held.push(Array.from({ length: 10 }, () => heap.alloc(64, frames.epoch)));
      expect(frames.tick().advanced).toBe(true);
    }
    const stuck = frames.epoch;
    held.push(Array.from({ length: 10 }, () => heap.alloc(64, frames.epoch)));
    // Frames 4-8: no free slot.
    for (let f = 1; f <= 5; f++) {
      let r = frames.report;
      expect(() => (r = frames.tick())).not.toThrow();
      expect(r.advanced).toBe(false);
      expect(r.advanceDeferred).toBe(f);
      expect(r.epoch).toBe(stuck);
      expect(frames.epoch).toBe(stuck);
      expect(heap.epochState(stuck)).toBe('open');
      expect(heap.alloc(64, frames.epoch)).not.toBe(0); // allocation keeps working
    }
    expect(heap.doctor().some((f) => f.id === 'ring-nearly-full')).toBe(true);
    // Free the oldest epoch's objects: it drains at the next tick, which then advances at once.
    for (const h of held[0]) frames.retire(h);
    const r = frames.tick();
    expect(r.retiredFreed).toBe(10);
    expect(r.advanced).toBe(true);
    expect(r.advanceDeferred).toBe(5);
    expect(frames.epoch).not.toBe(stuck);
    expect(heap.epochState(stuck)).toBe('closed');
    // The cadence restarts from the successful advance.
    expect(frames.tick().advanced).toBe(false); // ring full again (3 pinned epochs + current)
    expect(frames.report.advanceDeferred).toBe(6);
    for (const group of held.slice(1)) for (const h of group) frames.retire(h);
    expect(frames.tick().advanced).toBe(true);
    heap.check();
  });

  it('a tick with the ring full allocates into the current epoch and reports it', () => {
    const { heap, frames } = setup({ advanceEvery: 2 }, { epochSlots: 2 });
    heap.alloc(64, frames.epoch);
    frames.tick();
    frames.tick(); // advance: epoch 0 closed with one object, ring full
    heap.alloc(64, frames.epoch);
    frames.tick();
    const r = frames.tick(); // due, deferred
    expect(r.advanced).toBe(false);
    expect(r.advanceDeferred).toBe(1);
    expect(frames.tick().advanceDeferred).toBe(2); // retried on the following tick
    heap.check();
  });
});
