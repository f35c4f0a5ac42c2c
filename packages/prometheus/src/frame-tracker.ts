import type { FrameReportLike } from './types.js';

/**
 * Per-heap accumulator behind `observeFrame`. It runs once per game tick, so it allocates nothing:
 * numbers are summed into fields and tick samples go into a preallocated Float64Array that the
 * scrape drains into the prom-client histogram (whose `observe` creates a closure per call).
 */
export class FrameTracker {
  /** Frames passed to observeFrame. */
  observedFrames = 0;
  /** Sum of report.reclaimedBytes over observed frames. */
  reclaimedBytes = 0;
  /** Sum of report.closedEpochs over observed frames. */
  closedEpochs = 0;
  /** Observed frames whose tick advanced the epoch. */
  advances = 0;
  /** Latest report.advanceDeferred (already cumulative in the report). */
  advanceDeferred = 0;
  /** Latest report.pendingEpochs, or -1 when the report has no such field. */
  pendingEpochs = -1;
  /** Latest report.oldestPendingFrames, or -1 when the report has no such field. */
  oldestPendingFrames = -1;
  /** Latest frame number seen. */
  lastFrame = 0;

  private readonly samplesMs: Float64Array;
  private sampleCount = 0;
  private lastTickMs = 0;

  constructor(
    capacity: number,
    /** Receives each buffered tick duration in seconds when the buffer is drained. */
    private readonly sink: (seconds: number) => void,
  ) {
    this.samplesMs = new Float64Array(capacity);
  }

  /** Whether a report has been seen (by observe or sample): the report-derived families export then. */
  hasReport = false;

  /** Every tick (observeFrame): per-frame sums plus everything `sample` records. */
  observe(report: FrameReportLike): void {
    this.observedFrames++;
    this.reclaimedBytes += report.reclaimedBytes;
    this.closedEpochs += report.closedEpochs;
    if (report.advanced) this.advances++;
    this.sample(report);
  }

  /** At scrape time when the game loop does not call observeFrame: the latest report's state only. */
  sample(report: FrameReportLike): void {
    this.hasReport = true;
    this.lastFrame = report.frame;
    this.advanceDeferred = report.advanceDeferred;
    const pending = report.pendingEpochs;
    this.pendingEpochs = pending === undefined ? -1 : pending;
    const oldest = report.oldestPendingFrames;
    this.oldestPendingFrames = oldest === undefined ? -1 : oldest;
    // tickMs holds the latest *sampled* tick: a new sample shows up as a new value.
    const ms = report.tickMs;
    if (ms > 0 && ms !== this.lastTickMs) {
      this.lastTickMs = ms;
      if (this.sampleCount === this.samplesMs.length) this.drain();
      this.samplesMs[this.sampleCount++] = ms;
    }
  }

  /** Move buffered tick samples into the histogram (scrape time, or when the buffer is full). */
  drain(): void {
    const n = this.sampleCount;
    this.sampleCount = 0;
    for (let i = 0; i < n; i++) this.sink(this.samplesMs[i] / 1000);
  }
}
