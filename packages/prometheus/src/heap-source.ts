import { diagnose } from '@tslab/core';
import type { Finding, StatsDump } from '@tslab/core';
import type { FrameTracker } from './frame-tracker.js';
import type { FrameSource, StatsSource } from './types.js';

/**
 * One registered heap. prom-client calls every metric's `collect()` synchronously within one
 * `registry.metrics()` call, so the first collector of a scrape takes the snapshot and a queued
 * microtask drops it once the scrape's synchronous pass is over: each scrape costs exactly one
 * `statsDump()` (and one `diagnose()`) per heap, however many metric families read it, and every
 * family of one scrape sees the same instant.
 */
export class HeapSource {
  private dump: StatsDump | null = null;
  private findings: Finding[] | null = null;
  private framesSampled = false;
  private readonly forget = (): void => {
    this.dump = null;
    this.findings = null;
    this.framesSampled = false;
  };

  constructor(
    readonly heap: StatsSource,
    /** The `heap` label value. */
    readonly name: string,
    readonly frames: FrameSource | undefined,
    readonly tracker: FrameTracker | undefined,
  ) {}

  snapshot(): StatsDump {
    if (this.dump === null) {
      this.dump = this.heap.statsDump();
      queueMicrotask(this.forget);
    }
    return this.dump;
  }

  /**
   * The frame tracker, brought up to date for this scrape: when the game loop never calls
   * observeFrame, the adapter's latest `report` is sampled (once per scrape).
   */
  frameTracker(): FrameTracker | undefined {
    const t = this.tracker;
    if (t === undefined || this.framesSampled) return t;
    this.framesSampled = true;
    queueMicrotask(this.forget);
    const report = this.frames?.report;
    if (t.observedFrames === 0 && report !== undefined && report !== null) t.sample(report);
    return t;
  }

  doctorFindings(): Finding[] {
    if (this.findings === null) this.findings = diagnose(this.snapshot());
    return this.findings;
  }
}
