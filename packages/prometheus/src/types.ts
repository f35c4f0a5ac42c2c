import type { Registry } from 'prom-client';
import type { StatsDump } from '@tslab/core';

/**
 * What the collectors need from a heap: one JSON-ready snapshot per scrape. A `SlabAllocator`
 * satisfies it, and so does a worker's attached view or a test double.
 */
export interface StatsSource {
  statsDump(): StatsDump;
}

/**
 * What the collectors read from a frame adapter at scrape time. Structural, so `FrameEpochs` from
 * `@tslab/frame` satisfies it without this package depending on its internals.
 */
export interface FrameSource {
  /** Frames ticked so far. */
  readonly frame: number;
  /** The epoch the current frame allocates into. */
  readonly epoch: number;
  /**
   * The latest tick's report (`FrameEpochs.report`). When present and `observeFrame` is never
   * called, each scrape samples it: one histogram observation per new tick sample, plus the
   * cumulative and current fields (the per-frame sums need `observeFrame`).
   */
  readonly report?: FrameReportLike;
}

/**
 * The fields of `@tslab/frame`'s `FrameReport` that `observeFrame` reads. Extra fields are ignored;
 * the optional ones are exported when present.
 */
export interface FrameReportLike {
  readonly frame: number;
  readonly epoch: number;
  readonly advanced: boolean;
  /** Epochs this tick closed. */
  readonly closedEpochs: number;
  /** Bytes the heap gave back during this frame. */
  readonly reclaimedBytes: number;
  readonly allocs: number;
  readonly frees: number;
  /** Ticks that wanted to advance but found no free ring slot (cumulative). */
  readonly advanceDeferred: number;
  readonly liveBytes: number;
  readonly committedBytes: number;
  /** Duration of the latest sampled tick in milliseconds; 0 before the first sample. */
  readonly tickMs: number;
  /** Closed epochs still holding live objects (exported as a gauge when present). */
  readonly pendingEpochs?: number;
  /** Frames since the oldest pending epoch was closed (exported as a gauge when present). */
  readonly oldestPendingFrames?: number;
}

export interface HeapMetricsOptions {
  /** Registry to register into; default prom-client's global `register`. */
  registry?: Registry;
  /** Metric name prefix; default 'tslab_'. */
  prefix?: string;
  /** Value of the `heap` label on every series, so several heaps can share one registry; default 'default'. */
  name?: string;
  /** Frame adapter (e.g. `createFrameEpochs(heap)`): enables the `*frame*` metrics and `observeFrame`. */
  frames?: FrameSource;
  /**
   * Put the epoch id in the per-epoch series' `epoch` label (default true). Epoch ids grow for ever,
   * so a server advancing many epochs per second creates many short series in the TSDB; set false to
   * label per-epoch series by ring `slot` only.
   */
  epochIds?: boolean;
  /** Upper bounds (seconds) of the frame tick histogram buckets; default 0.25 ms .. 250 ms. */
  frameBuckets?: readonly number[];
  /**
   * Tick samples `observeFrame` buffers between scrapes without allocating, 16..1,048,576; default
   * 4,096. When the buffer fills before a scrape it is drained into the histogram at once.
   */
  frameSampleCapacity?: number;
}

/** The handle `registerHeapMetrics` returns. */
export interface HeapMetrics {
  readonly registry: Registry;
  readonly prefix: string;
  /** The `heap` label value. */
  readonly name: string;
  /**
   * Feed one frame report: call it with what `frames.tick()` returns, every tick. Allocates nothing:
   * tick samples are buffered and moved into the histogram at scrape time. A new `tickMs` sample is
   * recognised by a change of value, so an adapter that reads the clock one tick in `sampleEvery`
   * contributes one histogram observation per sampled tick. Without observeFrame, a `frames` adapter
   * that exposes `report` is sampled at each scrape instead (no per-frame sums then).
   * Throws TypeError when the metrics were registered without the `frames` option.
   */
  observeFrame(report: FrameReportLike): void;
  /** Remove this heap's series; the metric families go when the last heap of the registry/prefix goes. */
  unregister(): void;
}
