import { afterEach, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { createAllocator } from '@tslab/core';
import { createFrameEpochs } from '@tslab/frame';
import { registerHeapMetrics } from '@tslab/prometheus';
import type { FrameReportLike, HeapMetrics } from '@tslab/prometheus';
import { Exposition } from './exposition.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function track(m: HeapMetrics): HeapMetrics {
  cleanups.push(() => m.unregister());
  return m;
}

type MutableReport = { -readonly [K in keyof FrameReportLike]-?: FrameReportLike[K] };

function report(over: Partial<MutableReport>): MutableReport {
  return {
    frame: 0, epoch: 0, advanced: false, closedEpochs: 0, reclaimedBytes: 0, allocs: 0, frees: 0,
    advanceDeferred: 0, liveBytes: 0, committedBytes: 0, tickMs: 0, pendingEpochs: 0, oldestPendingFrames: 0,
    ...over,
  };
}

describe('frame metrics', () => {
  it('feeds the tick histogram with each new tickMs sample and sums per-frame fields', async () => {
    const heap = createAllocator();
    const registry = new Registry();
    const frames = { frame: 0, epoch: 0 };
    const m = track(registerHeapMetrics(heap, { registry, frames, name: 'g' }));
    // tickMs 0 = not sampled yet; 2 then 2 again = the same sample reported by two ticks.
    const ticks = [
      report({ frame: 1, tickMs: 0, reclaimedBytes: 0 }),
      report({ frame: 2, tickMs: 2, reclaimedBytes: 65536, advanced: true, closedEpochs: 1 }),
      report({ frame: 3, tickMs: 2 }),
      report({ frame: 4, tickMs: 5, advanced: true, closedEpochs: 1, advanceDeferred: 1 }),
      report({ frame: 5, tickMs: 40, reclaimedBytes: 131072, advanceDeferred: 3, pendingEpochs: 2, oldestPendingFrames: 9 }),
    ];
    for (const r of ticks) {
      m.observeFrame(r);
      frames.frame = r.frame;
    }
    frames.epoch = 7;
    const x = new Exposition(await registry.metrics());
    expect(x.family('tslab_frame_tick_seconds').type).toBe('HISTOGRAM');
    const h = x.histogram('tslab_frame_tick_seconds', { heap: 'g' });
    expect(h.count).toBe(3);
    expect(h.sum).toBeCloseTo(0.047, 9);
    expect(h.buckets['0.001']).toBe(0);
    expect(h.buckets['0.002']).toBe(1);
    expect(h.buckets['0.004']).toBe(1);
    expect(h.buckets['0.008']).toBe(2);
    expect(h.buckets['0.05']).toBe(3);
    expect(h.buckets['+Inf']).toBe(3);
    const g = { heap: 'g' };
    expect(x.value('tslab_frames_total', g)).toBe(5);
    expect(x.value('tslab_frame_epoch', g)).toBe(7);
    expect(x.value('tslab_frame_observed_total', g)).toBe(5);
    expect(x.value('tslab_frame_reclaimed_bytes_total', g)).toBe(196608);
    expect(x.value('tslab_frame_closed_epochs_total', g)).toBe(2);
    expect(x.value('tslab_frame_advances_total', g)).toBe(2);
    expect(x.value('tslab_frame_advance_deferred_total', g)).toBe(3);
    expect(x.value('tslab_frame_pending_epochs', g)).toBe(2);
    expect(x.value('tslab_frame_oldest_pending_frames', g)).toBe(9);

    // Samples are moved into the histogram once: a second scrape without ticks adds nothing.
    const y = new Exposition(await registry.metrics());
    expect(y.histogram('tslab_frame_tick_seconds').count).toBe(3);
    heap.check();
  });

  it('drains a full sample buffer into the histogram instead of losing samples', async () => {
    const heap = createAllocator();
    const registry = new Registry();
    const m = track(registerHeapMetrics(heap, { registry, frames: { frame: 0, epoch: 0 }, frameSampleCapacity: 16 }));
    const r = report({});
    for (let i = 1; i <= 100; i++) {
      r.frame = i;
      r.tickMs = i; // every tick a new sample
      m.observeFrame(r);
    }
    const x = new Exposition(await registry.metrics());
    const h = x.histogram('tslab_frame_tick_seconds');
    expect(h.count).toBe(100);
    expect(h.sum).toBeCloseTo(5.05, 9);
    heap.check();
  });

  it('works with a real @tslab/frame adapter, fed by observeFrame every tick', async () => {
    const heap = createAllocator({ diagnostics: true });
    const frames = createFrameEpochs(heap, { sampleEvery: 1, advanceEvery: 2 });
    const registry = new Registry();
    const m = track(registerHeapMetrics(heap, { registry, frames }));
    let reclaimed = 0;
    let closed = 0;
    let advances = 0;
    let samples = 0;
    let lastMs = 0;
    const live: number[] = [];
    for (let t = 0; t < 60; t++) {
      for (let i = 0; i < 50; i++) live.push(heap.alloc(64 + (t % 3) * 100, frames.epoch));
      while (live.length > 400) frames.retire(live.shift()!);
      const r = frames.tick();
      m.observeFrame(r);
      reclaimed += r.reclaimedBytes;
      closed += r.closedEpochs;
      if (r.advanced) advances++;
      if (r.tickMs > 0 && r.tickMs !== lastMs) {
        samples++;
        lastMs = r.tickMs;
      }
    }
    const x = new Exposition(await registry.metrics());
    const d = { heap: 'default' };
    expect(x.value('tslab_frames_total', d)).toBe(60);
    expect(x.value('tslab_frame_epoch', d)).toBe(frames.epoch);
    expect(x.value('tslab_frame_observed_total', d)).toBe(60);
    expect(x.value('tslab_frame_advances_total', d)).toBe(advances);
    expect(advances).toBe(30);
    expect(x.value('tslab_frame_closed_epochs_total', d)).toBe(closed);
    expect(x.value('tslab_frame_reclaimed_bytes_total', d)).toBe(reclaimed);
    expect(x.value('tslab_frame_advance_deferred_total', d)).toBe(frames.report.advanceDeferred);
    expect(x.histogram('tslab_frame_tick_seconds').count).toBe(samples);
    expect(samples).toBeGreaterThan(0);
    heap.check();
  });

  it('samples frames.report at scrape time when observeFrame is not called', async () => {
    const heap = createAllocator();
    const frames = createFrameEpochs(heap, { sampleEvery: 1 });
    const registry = new Registry();
    track(registerHeapMetrics(heap, { registry, frames }));
    for (let t = 0; t < 20; t++) {
      heap.alloc(64, frames.epoch);
      frames.tick();
    }
    let x = new Exposition(await registry.metrics());
    expect(x.value('tslab_frames_total')).toBe(20);
    expect(x.value('tslab_frame_advance_deferred_total')).toBe(frames.report.advanceDeferred);
    expect(x.samples('tslab_frame_observed_total')).toHaveLength(0); // per-frame sums need observeFrame
    expect(x.histogram('tslab_frame_tick_seconds').count).toBe(1);
    x = new Exposition(await registry.metrics()); // no tick since: the same sample is not counted twice
    expect(x.histogram('tslab_frame_tick_seconds').count).toBe(1);
    frames.tick();
    x = new Exposition(await registry.metrics());
    expect(x.value('tslab_frames_total')).toBe(21);
    // One new sample unless the new tick took exactly as long as the previous one (then it reads as stale).
    expect(x.histogram('tslab_frame_tick_seconds').count).toBe(frames.report.tickMs === 0 ? 1 : 2);
    heap.check();
  });

  it('observeFrame allocates nothing (heap bytes per call, measured)', () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (!gc) throw new Error('run with --expose-gc (vitest.config.ts sets it)');
    const heap = createAllocator();
    const registry = new Registry();
    const m = track(registerHeapMetrics(heap, { registry, frames: { frame: 0, epoch: 0 }, frameSampleCapacity: 1_048_576 }));
    // A literal with double fields from the start, so the loop's own stores allocate nothing.
    const r = {
      frame: 0, epoch: 0, advanced: false, closedEpochs: 0, reclaimedBytes: 0.5, allocs: 0, frees: 0,
      advanceDeferred: 0, liveBytes: 0, committedBytes: 0, tickMs: 0.5, pendingEpochs: 1, oldestPendingFrames: 1,
    };
    const run = (n: number, base: number, observe: boolean): void => {
      for (let i = 0; i < n; i++) {
        r.frame = base + i;
        r.tickMs = base + i + 0.5; // a new sample every call: the buffer path runs each time
        r.advanced = (i & 1) === 0;
        if (observe) m.observeFrame(r);
      }
    };
    /** Heap growth per call, summed over short windows (a scavenge inside a window hides garbage: skipped). */
    const measure = (observe: boolean): number => {
      let growth = 0;
      let calls = 0;
      for (let w = 0; w < 40; w++) {
        const before = process.memoryUsage().heapUsed;
        run(5_000, 1_000_000 + w * 5_000, observe);
        const after = process.memoryUsage().heapUsed;
        if (after >= before) {
          growth += after - before;
          calls += 5_000;
        }
      }
      expect(calls).toBeGreaterThan(100_000);
      return growth / calls;
    };
    for (let k = 0; k < 4; k++) run(50_000, k * 50_000, true); // warm up the exact loop
    for (let k = 0; k < 4; k++) run(50_000, k * 50_000, false);
    gc();
    const baseline = measure(false);
    gc();
    const observed = measure(true);
    console.log(`observeFrame: ${observed.toFixed(3)} heap bytes per call (loop alone: ${baseline.toFixed(3)})`);
    // A closure, array or boxed number per call would add 16+ bytes per call.
    expect(observed - baseline).toBeLessThan(1);
    heap.check();
  });
});
