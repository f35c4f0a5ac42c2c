import { describe, expect, it } from 'vitest';
import { NULL_HANDLE } from '../src/index.js';
import { makeHeap } from './helpers.js';

describe('domains (epoch_domain_create / epoch_domain_destroy)', () => {
  it('allocates into its own epoch and closes it on dispose (`using`)', () => {
    const heap = makeHeap();
    let epoch = -1;
    let kept = 0;
    {
      using d = heap.domain();
      epoch = d.epoch;
      expect(epoch).not.toBe(heap.epochCurrent());
      kept = d.alloc(64);
      const p = d.malloc(100);
      expect(heap.statsEpoch(epoch).liveObjects).toBe(2);
      expect(heap.freePtr(p)).toBe(true);
      expect(heap.epochState(epoch)).toBe('open');
    }
    expect(heap.epochState(epoch)).toBe('closed');
    expect(heap.isLive(kept)).toBe(true);
    heap.free(kept);
    expect(heap.epochState(epoch)).toBe('free');
  });

  it('nested enter/exit count: only the last exit closes', () => {
    const heap = makeHeap();
    const d = heap.domain();
    d.enter();
    d.enter();
    d.alloc(64);
    d.exit();
    expect(heap.epochState(d.epoch)).toBe('open');
    expect(d.alloc(64)).not.toBe(NULL_HANDLE);
    d.exit();
    expect(heap.epochState(d.epoch)).toBe('closed');
    expect(d.closed).toBe(true);
    expect(d.alloc(64)).toBe(NULL_HANDLE);
    expect(() => d.exit()).toThrow(RangeError);
    expect(() => d.enter()).toThrow(/closed/);
  });

  it('reset: true frees everything at the end and leaves the slot free', () => {
    const heap = makeHeap();
    const d = heap.domain({ reset: true });
    const handles = Array.from({ length: 1000 }, () => d.alloc(128));
    d.close();
    for (const h of handles) expect(heap.isLive(h)).toBe(false);
    expect(heap.epochState(d.epoch)).toBe('free');
    expect(heap.statsGlobal().liveObjects).toBe(0);
  });

  it('autoClose: false keeps the epoch open after the last exit until close()', () => {
    const heap = makeHeap();
    const d = heap.domain({ autoClose: false });
    d.enter();
    d.alloc(64);
    d.exit();
    expect(heap.epochState(d.epoch)).toBe('open');
    d.close();
    expect(heap.epochState(d.epoch)).toBe('closed');
  });

  it('per-request domains: 10,000 requests leave nothing behind', () => {
    const heap = makeHeap();
    for (let request = 0; request < 10_000; request++) {
      using d = heap.domain({ reset: true });
      for (let i = 0; i < 5; i++) d.alloc(96);
    }
    const g = heap.statsGlobal();
    expect(g.liveObjects).toBe(0);
    expect(g.openEpochs).toBe(1);
    expect(g.closingEpochs + g.closedEpochs).toBe(0);
  });
});
