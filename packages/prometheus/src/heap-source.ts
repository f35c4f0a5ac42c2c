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
  private readonly forget = (): void => {
    this.dump = null;
    this.findings = null;
  };

  constructor(
    readonly heap: StatsSource,
    /** The `heap` label value. */
    readonly name: string,
    readonly epochIds: boolean,
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

  doctorFindings(): Finding[] {
    if (this.findings === null) this.findings = diagnose(this.snapshot());
    return this.findings;
  }
}
