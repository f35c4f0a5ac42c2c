import { describe, expect, it } from 'vitest';
import { setup } from './helpers.js';

describe('FrameReport', () => {
  it('is one reused object whose numbers match the scenario', () => {
    const { heap, frames } = setup({ advanceEvery: 2, sampleEvery: 1 });
    const a = Array.from({ length: 7 }, () => heap.alloc(64, frames.epoch));
    const b = Array.from({ length: 3 }, () => heap.alloc(128, frames.epoch));
    frames.scratch(40);
    frames.scratch(100);
    const r1 = frames.tick();
    expect(r1).toBe(frames.report);
    expect(r1.frame).toBe(1);
    expect(r1.advanced).toBe(false);
    expect(r1.allocs).toBe(12); // 10 handles + 2 scratch blocks
    expect(r1.frees).toBe(2); // the scratch blocks
    expect(r1.scratchAllocs).toBe(2);
    expect(r1.liveObjects).toBe(10);
    expect(r1.liveBytes).toBe(7 * 64 + 3 * 128);
    expect(r1.committedBytes).toBe(heap.statsGlobal().committedBytes);
    expect(r1.tickMs).toBeGreaterThanOrEqual(0);

    for (const h of a.slice(0, 4)) frames.retire(h);
    frames.retire(b[0]);
    const r2 = frames.tick();
    expect(r2).toBe(r1);
    expect(r2.frame).toBe(2);
    expect(r2.advanced).toBe(true);
    expect(r2.closedEpochs).toBe(1);
    expect(r2.allocs).toBe(0);
    expect(r2.frees).toBe(5);
    expect(r2.retiredFreed).toBe(5);
    expect(r2.scratchAllocs).toBe(0);
    expect(r2.liveObjects).toBe(5);
    expect(r2.liveBytes).toBe(3 * 64 + 2 * 128);
    expect(r2.epoch).toBe(frames.epoch);
    expect(r2.pendingEpochs).toBe(1);
    heap.check();
  });

  it('reports reclaimed bytes when drained epochs give memory back', () => {
    const { heap, frames } = setup({ advanceEvery: 1 }, { cacheSlabs: 0, slabBytes: 4096 });
    const hs: number[] = [];
    for (let i = 0; i < 20_000; i++) hs.push(heap.alloc(64, frames.epoch));
    let reclaimed = frames.tick().reclaimedBytes;
    const committed = frames.report.committedBytes;
    for (const h of hs) frames.retire(h);
    for (let f = 0; f < 3; f++) reclaimed += frames.tick().reclaimedBytes;
    expect(reclaimed).toBeGreaterThan(committed / 2);
    expect(reclaimed).toBe(heap.statsGlobal().reclaimedBytes);
    expect(frames.report.committedBytes).toBeLessThan(committed / 4);
    expect(frames.report.liveBytes).toBe(0);
    heap.check();
  });

  it('samples the clock for tickMs one tick in sampleEvery', () => {
    const { heap, frames } = setup({ sampleEvery: 4 });
    frames.report.tickMs = -1;
    for (let i = 0; i < 3; i++) expect(frames.tick().tickMs).toBe(-1);
    expect(frames.tick().tickMs).toBeGreaterThanOrEqual(0);
    const off = setup({ sampleEvery: 0 }).frames;
    off.report.tickMs = -1;
    for (let i = 0; i < 40; i++) expect(off.tick().tickMs).toBe(-1);
    heap.check();
  });
});
