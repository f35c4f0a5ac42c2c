/**
 * Shared measurement helpers for the benchmarks: batched timing loops, interleaved side-by-side
 * comparisons, percentiles through hdr-histogram-js (never hand-written), heap bytes per operation
 * and process RSS.
 *
 * A "kernel" is a function `run(units)` that performs `units` units of work (e.g. alloc+free pairs)
 * without allocating. The clock is read once per sample (a batch of units), never per unit: on Node
 * 20 each clock read allocates a heap number, and tiny bodies need batching to rise above the
 * clock's own cost.
 */
import { build, type Histogram } from 'hdr-histogram-js';

/** Runs `units` units of work. */
export type Kernel = (units: number) => void;

/** Percentiles of a set of samples, in the samples' own unit. */
export interface Distribution {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

/**
 * hdr-histogram records integers: values are multiplied by `scale` before recording (1000 keeps
 * three decimals of a nanosecond figure), and divided back on the way out.
 */
export function newHistogram(): Histogram {
  return build({ lowestDiscernibleValue: 1, numberOfSignificantValueDigits: 3, autoResize: true });
}

/**
 * Percentiles of `values`. Negative values are recorded as 0 (hdr-histogram records non-negative
 * integers); non-finite values (NaN: nothing to measure) are skipped.
 */
export function summarize(values: ArrayLike<number>, count: number = values.length, scale = 1000): Distribution {
  const h = newHistogram();
  for (let i = 0; i < count; i++) {
    const v = values[i];
    if (Number.isFinite(v)) h.recordValue(Math.max(0, Math.round(v * scale)));
  }
  return distributionOf(h, scale);
}

export function distributionOf(h: Histogram, scale = 1000): Distribution {
  return {
    count: h.totalCount,
    min: h.totalCount === 0 ? 0 : h.getValueAtPercentile(0) / scale,
    p50: h.getValueAtPercentile(50) / scale,
    p90: h.getValueAtPercentile(90) / scale,
    p99: h.getValueAtPercentile(99) / scale,
    p999: h.getValueAtPercentile(99.9) / scale,
    max: h.maxValue / scale,
    mean: h.totalCount === 0 ? 0 : h.mean / scale,
  };
}

/** Milliseconds, sub-microsecond resolution. Allocates a heap number: call per batch only. */
export function nowMs(): number {
  return performance.now();
}

/**
 * Finds how many units make one sample last about `targetMs`, so that per-unit timing is far above
 * the clock's resolution and cost. Also warms the kernel up (the calls compile it).
 */
export function calibrate(run: Kernel, targetMs: number, granule = 1, maxUnits = 1 << 26): number {
  let units = granule;
  for (let attempt = 0; attempt < 40; attempt++) {
    let elapsed = timeOnce(run, units);
    if (elapsed >= targetMs / 4 || units >= maxUnits) {
      // The fastest of three: one preempted measurement made samples 15x too short (128 instead of
      // ~1,900 alloc+free pairs), and each short sample then started on caches the other cases had
      // filled, which doubled the median (108 against 55 ns a pair, back-to-back runs).
      elapsed = Math.min(elapsed, timeOnce(run, units), timeOnce(run, units));
      const scaled = Math.round((units * targetMs) / Math.max(elapsed, 1e-3));
      return Math.max(granule, Math.ceil(Math.min(maxUnits, scaled) / granule) * granule);
    }
    units *= 2;
  }
  return units;
}

function timeOnce(run: Kernel, units: number): number {
  const t0 = nowMs();
  run(units);
  return nowMs() - t0;
}

/** Calls the kernel repeatedly for about `ms` milliseconds (bounded), so it is optimized before timing. */
export function warmUp(run: Kernel, units: number, ms: number, maxCalls = 10_000): void {
  const end = nowMs() + ms;
  for (let i = 0; i < maxCalls && nowMs() < end; i++) run(units);
}

export interface TimedCase {
  name: string;
  run: Kernel;
  /** Units per sample; 0 = calibrate to `sampleMs`. */
  units?: number;
  /** The kernel works in whole multiples of this many units (e.g. a round or a frame). */
  granule?: number;
}

export interface CompareOptions {
  /** Rounds; each round takes `samplesPerRound` samples of every case in turn. */
  rounds: number;
  samplesPerRound: number;
  /** Target duration of one sample. */
  sampleMs: number;
  warmupMs: number;
  /**
   * Empty the young generation (a minor GC, needs --expose-gc) before each case's turn, so that a
   * case that makes garbage pays for its own scavenges and not for the previous case's.
   */
  settleYoungGeneration?: boolean;
}

export interface CaseResult {
  name: string;
  unitsPerSample: number;
  /** Nanoseconds per unit over all samples. */
  ns: Distribution;
}

/**
 * Times several cases side by side: rounds interleave the cases so that machine drift (other
 * processes on a shared 2-core box, thermal state) hits every case alike; medians are then compared.
 */
type GcFunction = (options?: { type: 'minor' | 'major' }) => void;

function minorGc(): void {
  const gc = (globalThis as { gc?: GcFunction }).gc;
  if (gc === undefined) throw new Error('settleYoungGeneration needs node --expose-gc (npm run bench passes it)');
  gc({ type: 'minor' });
}

export function compareInterleaved(cases: readonly TimedCase[], options: CompareOptions): CaseResult[] {
  // Warm up first (small batches, so slow cold code does not eat the budget), then calibrate the
  // sample size on optimized code.
  cases.forEach((c) => warmUp(c.run, (c.granule ?? 1) * 16, options.warmupMs));
  const units = cases.map((c) => (c.units && c.units > 0 ? c.units : calibrate(c.run, options.sampleMs, c.granule ?? 1)));
  const perCase = options.rounds * options.samplesPerRound;
  const samples = cases.map(() => new Float64Array(perCase));
  let n = 0;
  for (let round = 0; round < options.rounds; round++) {
    for (let i = 0; i < cases.length; i++) {
      const run = cases[i].run;
      const u = units[i];
      const out = samples[i];
      if (options.settleYoungGeneration) minorGc();
      for (let s = 0; s < options.samplesPerRound; s++) {
        const t0 = nowMs();
        run(u);
        out[n + s] = ((nowMs() - t0) * 1e6) / u;
      }
    }
    n += options.samplesPerRound;
  }
  return cases.map((c, i) => ({ name: c.name, unitsPerSample: units[i], ns: summarize(samples[i]) }));
}

// Heap bytes per operation: one implementation, in plain JS, shared with the workers suite's worker.
export { heapBytesPerOp, type HeapPerOp } from './heap-per-op.mjs';

/** Resident set size of the process in bytes (cheap: no object is built). */
export function rssBytes(): number {
  return process.memoryUsage.rss();
}

export const MiB = 1024 * 1024;

/** Formats a ratio as "2.35x". */
export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`;
}

/** A small deterministic PRNG (xorshift32) so every run and every case sees the same sequence. */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/**
 * `permutations` Fisher-Yates shuffles of 0..n-1, concatenated: any run of up to n consecutive
 * entries starting at a multiple of n is free of repeats, so a batch drawn from it never frees the
 * same slot twice.
 */
export function shuffledIndices(n: number, permutations: number, seed = 12345): Uint32Array {
  const next = xorshift32(seed);
  const out = new Uint32Array(n * permutations);
  for (let p = 0; p < permutations; p++) {
    const base = p * n;
    for (let i = 0; i < n; i++) out[base + i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = next() % (i + 1);
      const t = out[base + i];
      out[base + i] = out[base + j];
      out[base + j] = t;
    }
  }
  return out;
}
