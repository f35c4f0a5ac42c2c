import { afterEach, describe, expect, it } from 'vitest';
import { Registry, register as globalRegistry } from 'prom-client';
import { createAllocator, diagnose } from '@tslab/core';
import type { SlabAllocator, StatsDump } from '@tslab/core';
import { metricCatalog, registerHeapMetrics } from '@tslab/prometheus';
import type { HeapMetrics } from '@tslab/prometheus';
import { Exposition } from './exposition.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function track(m: HeapMetrics): HeapMetrics {
  cleanups.push(() => m.unregister());
  return m;
}

async function scrape(registry: Registry): Promise<Exposition> {
  return new Exposition(await registry.metrics());
}

/**
 * 300 objects of 48 B (64-byte class) and 120 of 200 B (256-byte class) in epoch 0 labelled
 * 'level-1'; advance; free 100 of the small ones; one refused allocation into the closing epoch.
 */
function knownWorkload(): { heap: SlabAllocator; small: number[]; big: number[]; e0: number; e1: number } {
  const heap = createAllocator({ diagnostics: true });
  const e0 = heap.epochCurrent();
  heap.epochLabel(e0, 'level-1');
  const small: number[] = [];
  const big: number[] = [];
  for (let i = 0; i < 300; i++) small.push(heap.alloc(48));
  for (let i = 0; i < 120; i++) big.push(heap.alloc(200));
  const e1 = heap.epochAdvance();
  for (let i = 0; i < 100; i++) expect(heap.free(small[i])).toBe(true);
  expect(heap.alloc(64, e0)).toBe(0);
  return { heap, small, big, e0, e1 };
}

describe('registerHeapMetrics', () => {
  it('exports per-class counters and gauges equal to the known workload and to the heap stats', async () => {
    const { heap } = knownWorkload();
    const registry = new Registry();
    track(registerHeapMetrics(heap, { registry, name: 'world' }));
    const x = await scrape(registry);

    const small = { heap: 'world', object_size: '64' };
    const big = { heap: 'world', object_size: '256' };
    expect(x.family('tslab_allocs_total').type).toBe('COUNTER');
    expect(x.value('tslab_allocs_total', small)).toBe(300);
    expect(x.value('tslab_allocs_total', big)).toBe(120);
    expect(x.value('tslab_frees_total', small)).toBe(100);
    expect(x.value('tslab_frees_total', big)).toBe(0);
    expect(x.value('tslab_class_live_objects', small)).toBe(200);
    expect(x.value('tslab_class_live_bytes', big)).toBe(120 * 256);
    expect(x.value('tslab_slow_path_epoch_closed_total', small)).toBe(1);
    expect(x.value('tslab_live_objects', { heap: 'world' })).toBe(320);
    expect(x.value('tslab_live_bytes', { heap: 'world' })).toBe(200 * 64 + 120 * 256);

    // Every class counter against the heap's own statsClass(i).
    for (let i = 0; i < heap.classCount; i++) {
      const s = heap.statsClass(i);
      const labels = { heap: 'world', class: String(i), object_size: String(s.objectSize) };
      expect(x.value('tslab_allocs_total', labels)).toBe(s.totalAllocs);
      expect(x.value('tslab_frees_total', labels)).toBe(s.totalFrees);
      expect(x.value('tslab_slow_path_hits_total', labels)).toBe(s.slowPathHits);
      expect(x.value('tslab_slow_path_cache_misses_total', labels)).toBe(s.slowPathCacheMiss);
      expect(x.value('tslab_slow_path_epoch_closed_total', labels)).toBe(s.slowPathEpochClosed);
      expect(x.value('tslab_empty_slabs_recycled_total', labels)).toBe(s.emptySlabRecycled);
      expect(x.value('tslab_empty_slabs_overflowed_total', labels)).toBe(s.emptySlabOverflowed);
      expect(x.value('tslab_reclaimed_bytes_total', labels)).toBe(s.reclaimedBytes);
      expect(x.value('tslab_lock_acquisitions_total', labels)).toBe(s.lockAcquisitions);
      expect(x.value('tslab_lock_contended_total', labels)).toBe(s.lockContended);
      expect(x.value('tslab_cas_attempts_total', labels)).toBe(s.casAttempts);
      expect(x.value('tslab_cas_retries_total', labels)).toBe(s.casRetries);
      expect(x.value('tslab_class_slabs', labels)).toBe(s.slabs);
      expect(x.value('tslab_class_committed_bytes', labels)).toBe(s.committedBytes);
      expect(x.value('tslab_class_empty_slabs', labels)).toBe(s.emptySlabs);
    }
    const g = heap.statsGlobal();
    const h = { heap: 'world' };
    expect(x.value('tslab_committed_bytes', h)).toBe(g.committedBytes);
    expect(x.value('tslab_reserved_bytes', h)).toBe(g.reservedBytes);
    expect(x.value('tslab_peak_bytes', h)).toBe(g.peakBytes);
    expect(x.value('tslab_buffer_bytes', h)).toBe(g.bufferBytes);
    expect(x.value('tslab_current_epoch', h)).toBe(g.currentEpoch);
    expect(x.value('tslab_closing_epochs', h)).toBe(1);
    expect(x.value('tslab_epochs_advanced_total', h)).toBe(g.epochsAdvanced);
    expect(x.value('tslab_view_replacements_total', h)).toBe(g.viewVersion);
    expect(x.value('tslab_diagnostics_enabled', h)).toBe(1);
    expect(x.family('tslab_heap_info').metrics[0].labels).toMatchObject({ heap: 'world', backing: 'copy', diagnostics: 'true', slab_bytes: String(heap.statsDump().config.slabBytes) });
    heap.check();
  });

  it('exports one series per busy ring slot with epoch, state and label, and drops drained epochs', async () => {
    const { heap, small, big, e0, e1 } = knownWorkload();
    const registry = new Registry();
    track(registerHeapMetrics(heap, { registry }));
    let x = await scrape(registry);
    const series = x.samples('tslab_epoch_live_objects');
    expect(series).toHaveLength(2);
    expect(x.value('tslab_epoch_live_objects', { epoch: String(e0), state: 'closing', label: 'level-1' })).toBe(320);
    expect(x.value('tslab_epoch_live_objects', { epoch: String(e1), state: 'open' })).toBe(0);
    expect(x.value('tslab_epoch_age_epochs', { epoch: String(e0) })).toBe(1);
    expect(x.value('tslab_epoch_bytes', { epoch: String(e0) })).toBe(heap.statsEpoch(e0).bytes);

    for (let i = 100; i < small.length; i++) heap.free(small[i]);
    for (const b of big) heap.free(b);
    expect(heap.epochState(e0)).toBe('free');
    x = await scrape(registry);
    expect(x.samples('tslab_epoch_live_objects')).toHaveLength(1);
    expect(x.samples('tslab_epoch_live_objects', { epoch: String(e0) })).toHaveLength(0);
    expect(x.value('tslab_live_objects', { heap: 'default' })).toBe(0);
    heap.check();
  });

  it('labels epoch series by slot only with epochIds: false', async () => {
    const { heap } = knownWorkload();
    const registry = new Registry();
    track(registerHeapMetrics(heap, { registry, epochIds: false }));
    const x = await scrape(registry);
    for (const m of x.samples('tslab_epoch_bytes')) expect(Object.keys(m.labels ?? {}).sort()).toEqual(['heap', 'label', 'slot', 'state']);
    expect(x.samples('tslab_epoch_bytes')).toHaveLength(2);
    heap.check();
  });

  it('counts doctor findings by severity like diagnose()', async () => {
    const { heap } = knownWorkload();
    const registry = new Registry();
    track(registerHeapMetrics(heap, { registry }));
    const findings = diagnose(heap.statsDump());
    expect(findings.some((f) => f.id === 'epoch-closed-allocs')).toBe(true);
    const x = await scrape(registry);
    for (const severity of ['info', 'warn', 'error'] as const) {
      expect(x.value('tslab_doctor_findings', { severity })).toBe(findings.filter((f) => f.severity === severity).length);
    }
    // A heap that hit maxBytes has an error finding.
    const small = createAllocator({ maxBytes: 1 << 20 });
    track(registerHeapMetrics(small, { registry, name: 'tiny' }));
    let refused = 0;
    for (let i = 0; i < 100_000 && refused === 0; i++) if (small.alloc(768) === 0) refused++;
    expect(refused).toBe(1);
    const y = await scrape(registry);
    expect(y.value('tslab_doctor_findings', { heap: 'tiny', severity: 'error' })).toBeGreaterThanOrEqual(1);
    expect(y.value('tslab_alloc_failed_max_bytes_total', { heap: 'tiny' })).toBe(1);
    heap.check();
    small.check();
  });

  it('takes exactly one statsDump per heap per scrape, read at scrape time', async () => {
    const heap = createAllocator();
    let calls = 0;
    const counting = {
      statsDump(): StatsDump {
        calls++;
        return heap.statsDump();
      },
    };
    const registry = new Registry();
    track(registerHeapMetrics(counting, { registry }));
    expect(calls).toBe(0);
    await registry.metrics();
    expect(calls).toBe(1);
    heap.alloc(64);
    const x = await scrape(registry);
    expect(calls).toBe(2);
    expect(x.value('tslab_allocs_total', { object_size: '64' })).toBe(1);
    heap.check();
  });

  it('lets several heaps share a registry under their own heap label, and unregister cleanly', async () => {
    const a = createAllocator();
    const b = createAllocator();
    for (let i = 0; i < 7; i++) a.alloc(64);
    for (let i = 0; i < 3; i++) b.alloc(64);
    const registry = new Registry();
    const ma = registerHeapMetrics(a, { registry, name: 'world' });
    const mb = track(registerHeapMetrics(b, { registry, name: 'particles' }));
    expect(() => registerHeapMetrics(b, { registry, name: 'world' })).toThrow(/already registered/);
    let x = await scrape(registry);
    expect(x.value('tslab_allocs_total', { heap: 'world', object_size: '64' })).toBe(7);
    expect(x.value('tslab_allocs_total', { heap: 'particles', object_size: '64' })).toBe(3);
    ma.unregister();
    x = await scrape(registry);
    expect(x.samples('tslab_allocs_total', { heap: 'world' })).toHaveLength(0);
    expect(x.value('tslab_allocs_total', { heap: 'particles', object_size: '64' })).toBe(3);
    mb.unregister();
    expect(registry.getMetricsAsArray()).toHaveLength(0);
    // A different prefix is an independent set of families.
    track(registerHeapMetrics(a, { registry, prefix: 'game_heap_' }));
    x = await scrape(registry);
    expect(x.value('game_heap_allocs_total', { object_size: '64' })).toBe(7);
    a.check();
    b.check();
  });

  it("defaults to prom-client's global registry", async () => {
    const heap = createAllocator();
    heap.alloc(100);
    const m = registerHeapMetrics(heap);
    try {
      expect(m.registry).toBe(globalRegistry);
      const x = new Exposition(await globalRegistry.metrics());
      expect(x.value('tslab_allocs_total', { object_size: '128' })).toBe(1);
    } finally {
      m.unregister();
    }
    expect(globalRegistry.getSingleMetric('tslab_allocs_total')).toBeUndefined();
    heap.check();
  });

  it('exports exactly the families of metricCatalog() with the catalogued types', async () => {
    const heap = createAllocator();
    const registry = new Registry();
    track(registerHeapMetrics(heap, { registry, frames: { frame: 0, epoch: 0 } }));
    const names = registry.getMetricsAsArray().map((m) => m.name).sort();
    const catalog = metricCatalog();
    expect(names).toEqual(catalog.map((c) => c.name).sort());
    const metrics = await registry.getMetricsAsJSON();
    for (const c of catalog) expect(metrics.find((m) => m.name === c.name)?.type, c.name).toBe(c.type);
    for (const c of catalog) {
      const plural = c.type === 'counter';
      expect(c.name.endsWith('_total'), c.name).toBe(plural);
    }
    heap.check();
  });

  it('rejects bad arguments naming the option and the value', () => {
    const heap = createAllocator();
    const registry = new Registry();
    expect(() => registerHeapMetrics({} as never, { registry })).toThrow(TypeError);
    expect(() => registerHeapMetrics(heap, { registry, prefix: '9bad' })).toThrow(/options\.prefix.*"9bad"/);
    expect(() => registerHeapMetrics(heap, { registry, name: '' })).toThrow(/options\.name/);
    expect(() => registerHeapMetrics(heap, { registry, frames: {} as never })).toThrow(/options\.frames/);
    expect(() => registerHeapMetrics(heap, { registry, frames: { frame: 0, epoch: 0 }, frameSampleCapacity: 3 })).toThrow(RangeError);
    expect(() => registerHeapMetrics(heap, { registry, frames: { frame: 0, epoch: 0 }, frameBuckets: [0.1, 0.01] })).toThrow(/ascending/);
    expect(registry.getMetricsAsArray()).toHaveLength(0);
    const m = track(registerHeapMetrics(heap, { registry }));
    expect(() => m.observeFrame({} as never)).toThrow(/without options\.frames/);
    heap.check();
  });
});
