import { createAllocator, type SlabAllocator } from '@tslab/core';
import { createFrameEpochs } from '@tslab/frame';
import { describe, expect, it } from 'vitest';
import { RingReader, SLOT_STATE_NAMES } from '../src/ring-reader.js';

/** The reader's copy of the ring against a fresh statsDump(): every slot, state and live count. */
function expectMatchesDump(heap: SlabAllocator, reader: RingReader): void {
  const dump = heap.statsDump();
  const bySlot = new Map(dump.epochs.map((e) => [e.ringSlot, e]));
  for (let r = 0; r < reader.slots; r++) {
    const e = bySlot.get(r);
    const state = SLOT_STATE_NAMES[reader.state[r]];
    if (e === undefined) {
      expect({ slot: r, state }).toEqual({ slot: r, state: 'free' });
    } else {
      expect({ slot: r, epoch: reader.epoch[r], state, live: reader.live[r] }).toEqual({ slot: r, epoch: e.epoch, state: e.state, live: e.liveObjects });
    }
  }
  expect(reader.currentEpoch).toBe(dump.global.currentEpoch);
  expect(reader.currentSlot).toBe(heap.statsEpoch(dump.global.currentEpoch).ringSlot);
  expect(reader.committedBytes).toBe(dump.global.committedBytes);
  expect(reader.liveBytes).toBe(dump.classes.reduce((sum, c) => sum + c.liveObjects * c.objectSize, 0));
}

describe('RingReader', () => {
  it('tracks every slot frame by frame between full dumps, as the ring turns and drains', () => {
    const heap = createAllocator({ epochSlots: 8 });
    const frames = createFrameEpochs(heap, { advanceEvery: 3 });
    const reader = new RingReader(heap, 600); // one dump at the start, then per-frame reads only
    const live: number[] = [];
    for (let frame = 0; frame < 240; frame++) {
      for (let i = 0; i < 40; i++) live.push(heap.alloc(64, frames.epoch));
      // Objects live 12 frames: about four epochs hold live objects, older ones drain and free up.
      while (live.length > 40 * 12) frames.retire(live.shift() as number);
      frames.tick();
      reader.refresh();
      expectMatchesDump(heap, reader);
    }
    for (const h of live) heap.free(h);
    reader.refresh();
    expectMatchesDump(heap, reader);
    heap.check();
  });

  it('finds an epoch opened after the current one at the next full dump', () => {
    const heap = createAllocator({ epochSlots: 8 });
    const reader = new RingReader(heap, 5);
    reader.refresh(); // dump
    const extra = heap.epochOpen();
    const h = heap.alloc(64, extra);
    const slot = heap.statsEpoch(extra).ringSlot;
    for (let i = 0; i < 4; i++) reader.refresh(); // between dumps: not seen yet
    expect(reader.epoch[slot]).not.toBe(extra);
    reader.refresh(); // the 5th refresh dumps
    expect(reader.epoch[slot]).toBe(extra);
    expect(SLOT_STATE_NAMES[reader.state[slot]]).toBe('open');
    expect(reader.live[slot]).toBe(1);
    expectMatchesDump(heap, reader);
    heap.free(h);
    heap.epochClose(extra);
    reader.refresh();
    expect(SLOT_STATE_NAMES[reader.state[slot]]).toBe('free');
    heap.check();
  });

  // Shared heaps keep epoch labels in the buffer, as characters: reading one must not make a
  // string each time (every labelled epoch, every frame, in the overlay of a page with a shared heap).
  it.each([
    ['an ArrayBuffer heap', false],
    ['a SharedArrayBuffer heap', true],
  ])('allocates nothing per refresh between dumps on %s, labelled epochs included (measured heap bytes)', (_name, shared) => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc === undefined) throw new Error('run with --expose-gc (vitest.config.ts execArgv)');
    const sharedHeap = shared ? createAllocator({ epochSlots: 16, shared: true }) : undefined;
    const heap: SlabAllocator = sharedHeap ?? createAllocator({ epochSlots: 16 });
    const handles: number[] = [];
    // A ring with most slots busy: open, closing and closed epochs holding objects, most labelled.
    for (let e = 0; e < 12; e++) {
      if (e % 3 !== 2) heap.epochLabel(heap.epochCurrent(), e % 3 === 0 ? 'wave' : 'level 1 boss fight');
      for (let i = 0; i < 10; i++) handles.push(heap.alloc(64 + 32 * (i % 4)));
      const old = heap.epochCurrent();
      heap.epochAdvance();
      if (e % 2 === 0) heap.epochClose(old);
    }
    const WINDOW = 500;
    const reader = new RingReader(heap, WINDOW + 1);
    const window = (): number => {
      reader.refresh(); // the dump (allocates), outside the measured part
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < WINDOW; i++) reader.refresh();
      return process.memoryUsage().heapUsed - before;
    };
    for (let i = 0; i < 20; i++) window(); // warm up the exact loop (JIT tiers, OSR)
    gc();
    const growth: number[] = [];
    for (let i = 0; i < 40; i++) growth.push(window());
    growth.sort((a, b) => a - b);
    // One 16-byte object per refresh would grow every window by 8,000 bytes. The median window is
    // used because V8 occasionally grows the heap inside a window for its own bookkeeping
    // (feedback, code), which a sum would charge to the reader.
    const median = growth[growth.length >> 1];
    expect(median / WINDOW, `window growths (bytes): ${growth.join(', ')}`).toBeLessThan(1);
    for (const h of handles) heap.free(h);
    heap.check();
    sharedHeap?.detach();
  });
});
