import { describe, expect, it } from 'vitest';
import { AUTO_SCRATCH_FREE_FIRST, type ScratchMode } from '../src/index.js';
import { setup } from './helpers.js';

describe.each<ScratchMode>(['auto', 'epoch', 'free'])('scratch (%s mode)', (scratchMode) => {
  it('returns live bytes to their previous value at the tick and keeps other objects intact', () => {
    const { heap, frames } = setup({ scratchMode });
    const keep = heap.alloc(64, frames.epoch);
    heap.u32[heap.offset(keep) >> 2] = 0xdeadbeef;
    frames.tick();
    const live = frames.report.liveBytes;
    expect(live).toBe(64);
    for (let f = 0; f < 5; f++) {
      const ptrs: number[] = [];
      for (let i = 0; i < 300; i++) {
        const p = frames.scratch(1 + ((i * 37) % heap.maxMallocSize));
        expect(p).toBeGreaterThan(0);
        expect(p % 8).toBe(0);
        ptrs.push(p);
      }
      expect(new Set(ptrs).size).toBe(300);
      for (const p of ptrs) heap.u8[p] = 0xab; // writable
      expect(heap.statsGlobal().liveObjects).toBe(301);
      const r = frames.tick();
      expect(r.scratchAllocs).toBe(300);
      expect(r.liveBytes).toBe(live);
      expect(r.liveObjects).toBe(1);
      expect(heap.freePtr(ptrs[0])).toBe(false); // scratch pointers are stale after the tick
    }
    expect(heap.u32[heap.offset(keep) >> 2]).toBe(0xdeadbeef);
    expect(heap.isLive(keep)).toBe(true);
    heap.check();
  });

  it('dispose releases pending scratch memory and the scratch epoch', () => {
    const { heap, frames } = setup({ scratchMode });
    frames.scratch(100);
    const e = frames.scratchEpoch;
    frames.dispose();
    expect(heap.statsGlobal().liveObjects).toBe(0);
    if (scratchMode === 'epoch') expect(heap.epochState(e)).toBe('free');
    else expect(e).toBe(-1); // 'auto' serves the first 128 blocks of a frame without the epoch
    heap.check();
  });
});

describe('scratch epoch', () => {
  it('is opened once, on first use, labelled, and stays open across ticks', () => {
    const { heap, frames } = setup({ advanceEvery: 1, scratchMode: 'epoch' });
    expect(frames.scratchEpoch).toBe(-1);
    frames.scratch(8);
    const e = frames.scratchEpoch;
    expect(heap.epochState(e)).toBe('open');
    expect(heap.statsEpoch(e).label).toBe('frame-scratch');
    for (let f = 0; f < 40; f++) {
      frames.scratch(8);
      frames.tick();
    }
    expect(frames.scratchEpoch).toBe(e);
    expect(heap.epochState(e)).toBe('open');
    expect(heap.statsEpoch(e).liveObjects).toBe(0);
    heap.check();
  });

  it('falls back to freeing pointers in the frame epoch when no ring slot is free for it', () => {
    const { heap, frames } = setup({ advanceEvery: 1, scratchMode: 'epoch' }, { epochSlots: 2 });
    const pin = heap.alloc(64, frames.epoch); // pins the current epoch after the advance
    frames.tick(); // slot 1: closed with 1 live; slot 2: the new current epoch -> ring full
    const p = frames.scratch(64);
    expect(p).toBeGreaterThan(0);
    expect(frames.scratchEpoch).toBe(-1);
    expect(heap.statsEpoch(frames.epoch).liveObjects).toBe(1);
    let r = frames.tick();
    expect(r.scratchAllocs).toBe(1);
    expect(r.liveObjects).toBe(1);
    // Once an epoch drains, the next scratch() opens the scratch epoch.
    frames.retire(pin);
    r = frames.tick();
    expect(r.drainedEpochs).toBeGreaterThan(0);
    expect(frames.scratch(64)).toBeGreaterThan(0);
    expect(frames.scratchEpoch).not.toBe(-1);
    expect(heap.epochState(frames.scratchEpoch)).toBe('open');
    r = frames.tick();
    expect(r.liveObjects).toBe(0);
    heap.check();
  });
});

describe("scratch 'auto' mode", () => {
  it('serves the first 128 blocks of a frame from the frame epoch and the rest from the scratch epoch', () => {
    expect(AUTO_SCRATCH_FREE_FIRST).toBe(128);
    const { heap, frames } = setup({ advanceEvery: 1000 });
    for (let i = 0; i < 128; i++) expect(frames.scratch(64)).toBeGreaterThan(0);
    expect(frames.scratchEpoch).toBe(-1);
    expect(heap.statsEpoch(frames.epoch).liveObjects).toBe(128);
    frames.scratch(64); // the 129th opens the scratch epoch
    const e = frames.scratchEpoch;
    expect(e).not.toBe(-1);
    for (let i = 0; i < 66; i++) frames.scratch(128);
    expect(heap.statsEpoch(frames.epoch).liveObjects).toBe(128);
    expect(heap.statsEpoch(e).liveObjects).toBe(67);
    let r = frames.tick();
    expect(r.scratchAllocs).toBe(195);
    expect(r.liveObjects).toBe(0);
    // Next frame starts again from the frame epoch; the scratch epoch stays open and empty.
    frames.scratch(64);
    expect(heap.statsEpoch(frames.epoch).liveObjects).toBe(1);
    expect(heap.statsEpoch(e).liveObjects).toBe(0);
    expect(heap.epochState(e)).toBe('open');
    r = frames.tick();
    expect(r.liveBytes).toBe(0);
    heap.check();
  });
});
