import { afterEach, describe, expect, it } from 'vitest';
import { driveWithAnimationFrame, driveWithPixiTicker, FrameTimer, type TickerLike } from '../src/index.js';
import { setup } from './helpers.js';

/** A manual requestAnimationFrame: step() runs the pending callbacks once, like one display frame. */
function installFakeRaf(): { step(time: number): void; pending(): number } {
  let next = 1;
  const callbacks = new Map<number, FrameRequestCallback>();
  globalThis.requestAnimationFrame = (cb: FrameRequestCallback): number => {
    callbacks.set(next, cb);
    return next++;
  };
  globalThis.cancelAnimationFrame = (id: number): void => {
    callbacks.delete(id);
  };
  return {
    step(time) {
      const now = [...callbacks.values()];
      callbacks.clear();
      for (const cb of now) cb(time);
    },
    pending: () => callbacks.size,
  };
}

/** A minimal stand-in for Pixi's Ticker: add/remove listeners with a context, update() calls them with the ticker. */
class FakeTicker implements TickerLike<FakeTicker> {
  private listeners: { fn: (t: FakeTicker) => unknown; ctx: unknown }[] = [];
  deltaTime = 1;
  add(fn: (t: FakeTicker) => unknown, ctx?: unknown): this {
    this.listeners.push({ fn, ctx });
    return this;
  }
  remove(fn: (t: FakeTicker) => unknown, ctx?: unknown): this {
    this.listeners = this.listeners.filter((l) => l.fn !== fn || l.ctx !== ctx);
    return this;
  }
  update(): void {
    for (const l of [...this.listeners]) l.fn.call(l.ctx, this);
  }
  get count(): number {
    return this.listeners.length;
  }
}

const savedRaf = globalThis.requestAnimationFrame;
const savedCancel = globalThis.cancelAnimationFrame;
afterEach(() => {
  globalThis.requestAnimationFrame = savedRaf;
  globalThis.cancelAnimationFrame = savedCancel;
});

describe('driveWithAnimationFrame', () => {
  it('calls update then tick once per animation frame, and stop() cancels the loop', () => {
    const raf = installFakeRaf();
    const { heap, frames } = setup({ advanceEvery: 2 });
    const seen: [number, number][] = [];
    let held = 0;
    const stop = driveWithAnimationFrame(frames, (time) => {
      seen.push([time, frames.frame]); // tick has not run yet for this frame
      if (held !== 0) frames.retire(held);
      held = heap.alloc(64, frames.epoch);
    });
    for (let i = 1; i <= 5; i++) raf.step(i * 16);
    expect(seen).toEqual([
      [16, 0],
      [32, 1],
      [48, 2],
      [64, 3],
      [80, 4],
    ]);
    expect(frames.frame).toBe(5);
    expect(heap.statsGlobal().liveObjects).toBe(1);
    stop();
    expect(raf.pending()).toBe(0);
    raf.step(96);
    expect(frames.frame).toBe(5);
    stop(); // idempotent
    heap.check();
  });

  it('throws a TypeError without requestAnimationFrame or with a bad update', () => {
    const { frames } = setup();
    (globalThis as { requestAnimationFrame?: unknown }).requestAnimationFrame = undefined;
    expect(() => driveWithAnimationFrame(frames, () => {})).toThrow(/requestAnimationFrame is not available/);
    installFakeRaf();
    expect(() => driveWithAnimationFrame(frames, 5 as never)).toThrow(TypeError);
  });
});

describe('driveWithPixiTicker', () => {
  it('adds one listener that runs update(ticker) then tick, and removes it on stop', () => {
    const ticker = new FakeTicker();
    const { heap, frames } = setup();
    const deltas: number[] = [];
    const stop = driveWithPixiTicker(ticker, frames, (t) => {
      deltas.push(t.deltaTime * frames.frame);
      frames.scratch(32);
    });
    expect(ticker.count).toBe(1);
    for (let i = 0; i < 3; i++) ticker.update();
    expect(deltas).toEqual([0, 1, 2]);
    expect(frames.frame).toBe(3);
    expect(heap.statsGlobal().liveObjects).toBe(0); // scratch released by each tick
    stop();
    expect(ticker.count).toBe(0);
    ticker.update();
    expect(frames.frame).toBe(3);
    heap.check();
  });

  it('rejects something that is not a ticker', () => {
    const { frames } = setup();
    expect(() => driveWithPixiTicker({} as never, frames, () => {})).toThrow(/ticker must have add/);
    expect(() => driveWithPixiTicker(new FakeTicker(), frames, null as never)).toThrow(TypeError);
  });
});

describe('FrameTimer', () => {
  it('keeps last, window mean and window max of recorded samples in one reused object', () => {
    const timer = new FrameTimer({ window: 3 });
    const stats = timer.stats;
    timer.record(10);
    timer.record(40);
    expect(stats).toEqual({ lastUs: 40, avgUs: 25, maxUs: 40, samples: 2 });
    timer.record(4);
    timer.record(7); // 10 leaves the window
    expect(stats.lastUs).toBe(7);
    expect(stats.avgUs).toBeCloseTo(17, 10);
    expect(stats.maxUs).toBe(40);
    timer.record(1);
    timer.record(2); // 40 leaves the window
    expect(stats.maxUs).toBe(7);
    expect(stats.samples).toBe(6);
    expect(timer.stats).toBe(stats);
    timer.reset();
    expect(stats).toEqual({ lastUs: 0, avgUs: 0, maxUs: 0, samples: 0 });
  });

  it('times begin()..end() with the clock, one frame in sampleEvery', () => {
    const every = new FrameTimer();
    every.begin();
    const until = performance.now() + 2;
    while (performance.now() < until) {
      // busy-wait about 2 ms
    }
    every.end();
    expect(every.stats.samples).toBe(1);
    expect(every.stats.lastUs).toBeGreaterThanOrEqual(1900);

    const sampled = new FrameTimer({ sampleEvery: 4 });
    for (let i = 0; i < 12; i++) {
      sampled.begin();
      sampled.end();
    }
    expect(sampled.stats.samples).toBe(3);
    sampled.end(); // end without begin is ignored
    expect(sampled.stats.samples).toBe(3);
  });
});
