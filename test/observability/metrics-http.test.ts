/**
 * A real HTTP round trip: a heap driven by a frame loop with a known workload, served by
 * serveMetrics on 127.0.0.1 (ephemeral port), scraped with fetch and parsed with
 * parse-prometheus-text-format, each value checked against the workload and the heap's own stats.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAllocator, diagnose } from '@tslab/core';
import type { SlabAllocator } from '@tslab/core';
import { createFrameEpochs } from '@tslab/frame';
import type { FrameEpochs } from '@tslab/frame';
import { serveMetrics } from '@tslab/prometheus';
import type { MetricsServer } from '@tslab/prometheus';
import { Exposition } from './exposition.js';

const SIZES = [48, 48, 150, 150, 700]; // classes 64, 64, 192, 192, 768
const PER_TICK = 25;
const TICKS = 40;
const KEEP_TICKS = 10; // objects live 10 ticks, then are retired

let heap: SlabAllocator;
let frames: FrameEpochs;
let server: MetricsServer;
let ticksWithNewSample = 0;

beforeAll(async () => {
  heap = createAllocator({ diagnostics: true });
  frames = createFrameEpochs(heap, { sampleEvery: 1, advanceEvery: 4 });
  server = await serveMetrics(heap, { port: 0, host: '127.0.0.1', frames, name: 'arena' });
  const born: number[][] = [];
  let lastMs = 0;
  for (let t = 0; t < TICKS; t++) {
    const now: number[] = [];
    for (let i = 0; i < PER_TICK; i++) now.push(heap.alloc(SIZES[i % SIZES.length], frames.epoch));
    born.push(now);
    if (t >= KEEP_TICKS) for (const h of born[t - KEEP_TICKS]) frames.retire(h);
    const report = frames.tick();
    server.metrics.observeFrame(report);
    if (report.tickMs > 0 && report.tickMs !== lastMs) {
      ticksWithNewSample++;
      lastMs = report.tickMs;
    }
  }
});

afterAll(async () => {
  await server?.close();
});

async function scrape(): Promise<Exposition> {
  const res = await fetch(`${server.url}/metrics`);
  expect(res.status).toBe(200);
  return new Exposition(await res.text());
}

describe('/metrics over real HTTP', () => {
  it('matches the known workload', async () => {
    const x = await scrape();
    const a = { heap: 'arena' };
    const allocs = TICKS * PER_TICK;
    const frees = (TICKS - KEEP_TICKS) * PER_TICK;
    const perClass = (size: number, total: number): number => (total / SIZES.length) * SIZES.filter((s) => s === size).length;
    expect(x.value('tslab_allocs_total', { ...a, object_size: '64' })).toBe(perClass(48, allocs));
    expect(x.value('tslab_allocs_total', { ...a, object_size: '192' })).toBe(perClass(150, allocs));
    expect(x.value('tslab_allocs_total', { ...a, object_size: '768' })).toBe(perClass(700, allocs));
    expect(x.value('tslab_frees_total', { ...a, object_size: '64' })).toBe(perClass(48, frees));
    expect(x.value('tslab_live_objects', a)).toBe(allocs - frees);
    expect(x.value('tslab_live_bytes', a)).toBe((allocs - frees) / 5 * (64 * 2 + 192 * 2 + 768));
    expect(x.value('tslab_frames_total', a)).toBe(TICKS);
    expect(x.value('tslab_frame_observed_total', a)).toBe(TICKS);
    expect(x.value('tslab_frame_advances_total', a)).toBe(TICKS / 4);
    expect(x.histogram('tslab_frame_tick_seconds', a).count).toBe(ticksWithNewSample);
    expect(ticksWithNewSample).toBeGreaterThan(0);
  });

  it("matches the heap's own stats, class by class and epoch by epoch", async () => {
    const x = await scrape();
    const dump = heap.statsDump();
    for (const c of dump.classes) {
      const l = { heap: 'arena', class: String(c.classIndex), object_size: String(c.objectSize) };
      expect(x.value('tslab_allocs_total', l)).toBe(c.totalAllocs);
      expect(x.value('tslab_frees_total', l)).toBe(c.totalFrees);
      expect(x.value('tslab_slow_path_hits_total', l)).toBe(c.slowPathHits);
      expect(x.value('tslab_empty_slabs_recycled_total', l)).toBe(c.emptySlabRecycled);
      expect(x.value('tslab_reclaimed_bytes_total', l)).toBe(c.reclaimedBytes);
      expect(x.value('tslab_class_live_objects', l)).toBe(c.liveObjects);
      expect(x.value('tslab_class_committed_bytes', l)).toBe(c.committedBytes);
      expect(x.value('tslab_class_slabs', l)).toBe(c.slabs);
    }
    const g = dump.global;
    expect(x.value('tslab_committed_bytes', { heap: 'arena' })).toBe(g.committedBytes);
    expect(x.value('tslab_reserved_bytes', { heap: 'arena' })).toBe(g.reservedBytes);
    expect(x.value('tslab_peak_bytes', { heap: 'arena' })).toBe(g.peakBytes);
    expect(x.value('tslab_buffer_reclaimed_bytes_total', { heap: 'arena' })).toBe(g.reclaimedBytes);
    expect(x.value('tslab_epochs_advanced_total', { heap: 'arena' })).toBe(g.epochsAdvanced);
    expect(x.value('tslab_frame_epoch', { heap: 'arena' })).toBe(frames.epoch);

    // One series per busy ring slot, each equal to statsEpoch of its epoch.
    expect(x.samples('tslab_epoch_live_objects')).toHaveLength(dump.epochs.length);
    let live = 0;
    for (const e of dump.epochs) {
      const l = { heap: 'arena', epoch: String(e.epoch), slot: String(e.ringSlot), state: e.state };
      expect(x.value('tslab_epoch_live_objects', l)).toBe(e.liveObjects);
      expect(x.value('tslab_epoch_bytes', l)).toBe(e.bytes);
      expect(x.value('tslab_epoch_age_epochs', l)).toBe(e.age);
      live += e.liveObjects;
    }
    expect(live).toBe(g.liveObjects);

    const findings = diagnose(dump);
    for (const severity of ['info', 'warn', 'error'] as const) {
      expect(x.value('tslab_doctor_findings', { heap: 'arena', severity })).toBe(findings.filter((f) => f.severity === severity).length);
    }
    heap.check();
  });

  it('serves /stats.json equal to heap.statsDump()', async () => {
    const res = await fetch(`${server.url}/stats.json`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(heap.statsDump())));
    heap.check();
  });
});
