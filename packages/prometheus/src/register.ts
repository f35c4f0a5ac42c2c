import { register as globalRegistry } from 'prom-client';
import type { Registry } from 'prom-client';
import { MetricGroup } from './collectors.js';
import { FrameTracker } from './frame-tracker.js';
import { HeapSource } from './heap-source.js';
import type { FrameReportLike, HeapMetrics, HeapMetricsOptions, StatsSource } from './types.js';

/** Frame tick histogram buckets in seconds: 0.25 ms .. 250 ms, around the 16.7 / 33.3 ms frame budgets. */
export const DEFAULT_FRAME_BUCKETS: readonly number[] = [
  0.00025, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.0167, 0.0333, 0.05, 0.1, 0.25,
];

const PREFIX_RE = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const groups = new WeakMap<Registry, Map<string, MetricGroup>>();

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === null ? 'null' : typeof value;
}

function checkOptions(heap: unknown, options: HeapMetricsOptions): void {
  if (typeof heap !== 'object' || heap === null || typeof (heap as StatsSource).statsDump !== 'function') {
    throw new TypeError(`registerHeapMetrics: heap must have a statsDump() method (a SlabAllocator), got ${describe(heap)}`);
  }
  if (options.prefix !== undefined && (typeof options.prefix !== 'string' || !PREFIX_RE.test(options.prefix))) {
    throw new TypeError(`registerHeapMetrics: options.prefix must match ${PREFIX_RE.source} (e.g. 'tslab_'), got ${describe(options.prefix)}`);
  }
  if (options.name !== undefined && (typeof options.name !== 'string' || options.name.length === 0)) {
    throw new TypeError(`registerHeapMetrics: options.name must be a non-empty string, got ${describe(options.name)}`);
  }
  const frames = options.frames;
  if (frames !== undefined && (typeof frames !== 'object' || frames === null || typeof frames.frame !== 'number')) {
    throw new TypeError(`registerHeapMetrics: options.frames must be a frame adapter with a numeric 'frame' (createFrameEpochs(heap)), got ${describe(frames)}`);
  }
  const cap = options.frameSampleCapacity;
  if (cap !== undefined && (typeof cap !== 'number' || !Number.isInteger(cap) || cap < 16 || cap > 1_048_576)) {
    throw new RangeError(`registerHeapMetrics: options.frameSampleCapacity must be an integer 16..1048576, got ${describe(cap)}`);
  }
  const buckets = options.frameBuckets;
  if (buckets !== undefined) {
    const ok = Array.isArray(buckets) && buckets.length > 0 && buckets.every((b, i) => typeof b === 'number' && b > 0 && Number.isFinite(b) && (i === 0 || b > buckets[i - 1]));
    if (!ok) throw new RangeError(`registerHeapMetrics: options.frameBuckets must be ascending positive finite seconds, got ${describe(buckets)}`);
  }
}

/**
 * Register collectors that read `heap.statsDump()` at scrape time (one snapshot per scrape per heap)
 * and export it as Prometheus metrics. Several heaps can share a registry and prefix when their
 * `name`s differ: each series carries a `heap` label.
 */
export function registerHeapMetrics(heap: StatsSource, options: HeapMetricsOptions = {}): HeapMetrics {
  checkOptions(heap, options);
  const registry = options.registry ?? globalRegistry;
  const prefix = options.prefix ?? 'tslab_';
  const name = options.name ?? 'default';
  const epochIds = options.epochIds ?? true;

  let byPrefix = groups.get(registry);
  if (!byPrefix) {
    byPrefix = new Map();
    groups.set(registry, byPrefix);
  }
  let group = byPrefix.get(prefix);
  if (group) {
    if (group.sources.some((s) => s.name === name)) {
      throw new TypeError(`registerHeapMetrics: a heap named ${describe(name)} is already registered with prefix ${describe(prefix)}; pass a different options.name`);
    }
    if (group.epochIds !== epochIds) {
      throw new TypeError(`registerHeapMetrics: options.epochIds must match the other heaps of prefix ${describe(prefix)} (${group.epochIds}), got ${epochIds}`);
    }
  } else {
    group = new MetricGroup(registry, prefix, epochIds);
    group.registerHeapFamilies();
    byPrefix.set(prefix, group);
  }

  let tracker: FrameTracker | undefined;
  if (options.frames) {
    if (!group.tickHistogram) group.registerFrameFamilies(options.frameBuckets ?? DEFAULT_FRAME_BUCKETS);
    const histogram = group.tickHistogram!;
    const labels = { heap: name };
    tracker = new FrameTracker(options.frameSampleCapacity ?? 4096, (seconds) => histogram.observe(labels, seconds));
  }
  const source = new HeapSource(heap, name, options.frames, tracker);
  group.sources.push(source);

  const owner = group;
  const ownerMap = byPrefix;
  let registered = true;
  return {
    registry,
    prefix,
    name,
    observeFrame(report: FrameReportLike): void {
      if (tracker === undefined) {
        throw new TypeError(`observeFrame: heap ${describe(name)} was registered without options.frames; pass frames: createFrameEpochs(heap)`);
      }
      tracker.observe(report);
    },
    unregister(): void {
      if (!registered) return;
      registered = false;
      const i = owner.sources.indexOf(source);
      if (i >= 0) owner.sources.splice(i, 1);
      if (owner.sources.length === 0) {
        owner.unregisterAll();
        ownerMap.delete(prefix);
      }
    },
  };
}
