import * as hdr from 'hdr-histogram-js';

/** p50, p99 and max of samples in microseconds (the browser benchmarks' one way of reading them). */
export function percentiles(values: number[]): { p50: number; p99: number; max: number } {
  // Microsecond resolution, up to 100 s, 3 significant digits.
  const h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 100_000_000, numberOfSignificantValueDigits: 3 });
  for (const v of values) h.recordValue(Math.max(1, Math.round(v)));
  const out = { p50: h.getValueAtPercentile(50), p99: h.getValueAtPercentile(99), max: h.maxValue };
  h.destroy();
  return out;
}
