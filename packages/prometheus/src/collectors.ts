import { Counter, Gauge, Histogram } from 'prom-client';
import type { Registry } from 'prom-client';
import {
  CLASS_LABELS,
  CLASS_SPECS,
  DOCTOR_HELP,
  DOCTOR_SUFFIX,
  EPOCH_LABELS_BY_SLOT,
  EPOCH_LABELS_WITH_ID,
  EPOCH_SPECS,
  FRAME_SPECS,
  HEAP_LABELS,
  HEAP_SPECS,
  INFO_HELP,
  INFO_LABELS,
  INFO_SUFFIX,
} from './catalog.js';
import type { ClassSpec, EpochSpec, HeapSpec } from './catalog.js';
import type { HeapSource } from './heap-source.js';
import type { FrameTracker } from './frame-tracker.js';

/**
 * The metric families of one (registry, prefix) pair and the heaps they read. Every family reads
 * its values in `collect()` at scrape time: nothing is pushed from the game loop except the frame
 * tracker's numbers, and series of a heap or epoch that went away vanish because each collector
 * resets before it fills.
 */
export class MetricGroup {
  readonly sources: HeapSource[] = [];
  readonly names: string[] = [];
  tickHistogram: Histogram<'heap'> | null = null;

  constructor(
    readonly registry: Registry,
    readonly prefix: string,
    readonly epochIds: boolean,
  ) {}

  registerHeapFamilies(): void {
    for (const spec of CLASS_SPECS) this.classFamily(spec);
    for (const spec of HEAP_SPECS) this.heapFamily(spec);
    for (const spec of EPOCH_SPECS) this.epochFamily(spec);
    this.doctorFamily();
    this.infoFamily();
  }

  registerFrameFamilies(buckets: readonly number[]): void {
    const group = this;
    this.tickHistogram = new Histogram({
      name: this.name(FRAME_SPECS.tick.suffix),
      help: FRAME_SPECS.tick.help,
      labelNames: HEAP_LABELS,
      buckets: [...buckets],
      registers: [this.registry],
      collect() {
        for (const s of group.sources) s.frameTracker()?.drain();
      },
    });
    this.frameSourceGauge(FRAME_SPECS.frames, 'counter', (s) => (s.frames ? s.frames.frame : -1));
    this.frameSourceGauge(FRAME_SPECS.epoch, 'gauge', (s) => (s.frames ? s.frames.epoch : -1));
    // Sums over frames exist only when observeFrame sees every tick; state fields also when sampled.
    this.frameTrackerFamily(FRAME_SPECS.observed, 'counter', true, (t) => t.observedFrames);
    this.frameTrackerFamily(FRAME_SPECS.reclaimed, 'counter', true, (t) => t.reclaimedBytes);
    this.frameTrackerFamily(FRAME_SPECS.closed, 'counter', true, (t) => t.closedEpochs);
    this.frameTrackerFamily(FRAME_SPECS.advances, 'counter', true, (t) => t.advances);
    this.frameTrackerFamily(FRAME_SPECS.deferred, 'counter', false, (t) => t.advanceDeferred);
    this.frameTrackerFamily(FRAME_SPECS.pending, 'gauge', false, (t) => t.pendingEpochs);
    this.frameTrackerFamily(FRAME_SPECS.oldestPending, 'gauge', false, (t) => t.oldestPendingFrames);
  }

  unregisterAll(): void {
    for (const name of this.names) this.registry.removeSingleMetric(name);
    this.names.length = 0;
    this.tickHistogram = null;
  }

  private name(suffix: string): string {
    const full = this.prefix + suffix;
    this.names.push(full);
    return full;
  }

  private classFamily(spec: ClassSpec): void {
    const group = this;
    const fill = function (this: Counter<string> | Gauge<string>): void {
      this.reset();
      for (const s of group.sources) {
        const heap = s.name;
        for (const c of s.snapshot().classes) {
          const labels = { heap, class: String(c.classIndex), object_size: String(c.objectSize) };
          const value = spec.read(c);
          if (this instanceof Counter) this.inc(labels, value);
          else this.set(labels, value);
        }
      }
    };
    const config = { name: this.name(spec.suffix), help: spec.help, labelNames: CLASS_LABELS, registers: [this.registry], collect: fill };
    if (spec.type === 'counter') new Counter(config);
    else new Gauge(config);
  }

  private heapFamily(spec: HeapSpec): void {
    const group = this;
    const fill = function (this: Counter<string> | Gauge<string>): void {
      this.reset();
      for (const s of group.sources) {
        const value = spec.read(s.snapshot());
        if (this instanceof Counter) this.inc({ heap: s.name }, value);
        else this.set({ heap: s.name }, value);
      }
    };
    const config = { name: this.name(spec.suffix), help: spec.help, labelNames: HEAP_LABELS, registers: [this.registry], collect: fill };
    if (spec.type === 'counter') new Counter(config);
    else new Gauge(config);
  }

  /** One series per ring slot that is not free; reset each scrape so drained epochs disappear. */
  private epochFamily(spec: EpochSpec): void {
    const group = this;
    const withIds = this.epochIds;
    new Gauge({
      name: this.name(spec.suffix),
      help: spec.help,
      labelNames: withIds ? EPOCH_LABELS_WITH_ID : EPOCH_LABELS_BY_SLOT,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const s of group.sources) {
          for (const e of s.snapshot().epochs) {
            const labels: Record<string, string> = { heap: s.name, slot: String(e.ringSlot), state: e.state, label: e.label };
            if (withIds) labels.epoch = String(e.epoch);
            this.set(labels, spec.read(e));
          }
        }
      },
    });
  }

  private doctorFamily(): void {
    const group = this;
    new Gauge({
      name: this.name(DOCTOR_SUFFIX),
      help: DOCTOR_HELP,
      labelNames: ['heap', 'severity'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const s of group.sources) {
          let info = 0;
          let warn = 0;
          let error = 0;
          for (const f of s.doctorFindings()) {
            if (f.severity === 'error') error++;
            else if (f.severity === 'warn') warn++;
            else info++;
          }
          this.set({ heap: s.name, severity: 'info' }, info);
          this.set({ heap: s.name, severity: 'warn' }, warn);
          this.set({ heap: s.name, severity: 'error' }, error);
        }
      },
    });
  }

  private infoFamily(): void {
    const group = this;
    new Gauge({
      name: this.name(INFO_SUFFIX),
      help: INFO_HELP,
      labelNames: INFO_LABELS,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const s of group.sources) {
          const c = s.snapshot().config;
          this.set(
            {
              heap: s.name,
              backing: c.backing,
              shared: String(c.shared),
              diagnostics: String(c.diagnostics),
              slab_bytes: String(c.slabBytes),
              cache_slabs: String(c.cacheSlabs),
            },
            1,
          );
        }
      },
    });
  }

  /** Values read from the frame adapter itself (no observeFrame needed). */
  private frameSourceGauge(spec: { suffix: string; help: string }, type: 'counter' | 'gauge', read: (s: HeapSource) => number): void {
    const group = this;
    const fill = function (this: Counter<string> | Gauge<string>): void {
      this.reset();
      for (const s of group.sources) {
        if (!s.frames) continue;
        const value = read(s);
        if (this instanceof Counter) this.inc({ heap: s.name }, value);
        else this.set({ heap: s.name }, value);
      }
    };
    const config = { name: this.name(spec.suffix), help: spec.help, labelNames: HEAP_LABELS, registers: [this.registry], collect: fill };
    if (type === 'counter') new Counter(config);
    else new Gauge(config);
  }

  /**
   * Values from frame reports. `perFrame` families need observeFrame on every tick; the others
   * also come from scrape-time sampling of `frames.report`. A heap with neither exports no series.
   */
  private frameTrackerFamily(spec: { suffix: string; help: string }, type: 'counter' | 'gauge', perFrame: boolean, read: (t: FrameTracker) => number): void {
    const group = this;
    const fill = function (this: Counter<string> | Gauge<string>): void {
      this.reset();
      for (const s of group.sources) {
        const t = s.frameTracker();
        if (!t || (perFrame ? t.observedFrames === 0 : !t.hasReport)) continue;
        const value = read(t);
        if (value < 0) continue; // field not reported by this frame adapter
        if (this instanceof Counter) this.inc({ heap: s.name }, value);
        else this.set({ heap: s.name }, value);
      }
    };
    const config = { name: this.name(spec.suffix), help: spec.help, labelNames: HEAP_LABELS, registers: [this.registry], collect: fill };
    if (type === 'counter') new Counter(config);
    else new Gauge(config);
  }
}
