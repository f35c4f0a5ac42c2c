/**
 * Counts garbage-collection pauses inside a measured window from PerformanceObserver 'gc' entries.
 * Entries arrive asynchronously, so the loop must yield to the event loop between frames and call
 * finish() after the window; entries are attributed by their start time, so a forced gc() just
 * before start() is not counted.
 */
import { PerformanceObserver, constants, performance } from 'node:perf_hooks';

export interface GcPauses {
  count: number;
  totalMs: number;
  maxMs: number;
}

export interface GcSummary {
  /** Scavenges (young generation). */
  minor: GcPauses;
  /** Mark-compact (full) collections. */
  major: GcPauses;
  /** Incremental-marking steps of major collections. */
  incremental: GcPauses;
  /** Weak-callback processing. */
  weak: GcPauses;
}

function empty(): GcPauses {
  return { count: 0, totalMs: 0, maxMs: 0 };
}

export class GcCollector {
  readonly summary: GcSummary = { minor: empty(), major: empty(), incremental: empty(), weak: empty() };
  private from = Number.POSITIVE_INFINITY;
  private to = Number.POSITIVE_INFINITY;
  private readonly observer: PerformanceObserver;

  constructor() {
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (entry.startTime < this.from || entry.startTime > this.to) continue;
        const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ?? 0;
        const bucket =
          kind === constants.NODE_PERFORMANCE_GC_MINOR
            ? this.summary.minor
            : kind === constants.NODE_PERFORMANCE_GC_MAJOR
              ? this.summary.major
              : kind === constants.NODE_PERFORMANCE_GC_INCREMENTAL
                ? this.summary.incremental
                : this.summary.weak;
        bucket.count++;
        bucket.totalMs += entry.duration;
        if (entry.duration > bucket.maxMs) bucket.maxMs = entry.duration;
      }
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  start(): void {
    this.from = performance.now();
    this.to = Number.POSITIVE_INFINITY;
  }

  stop(): void {
    this.to = performance.now();
  }

  /** Lets the last entries arrive, then stops observing. */
  async finish(): Promise<GcSummary> {
    for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setTimeout(resolve, 10));
    this.observer.disconnect();
    return this.summary;
  }
}
