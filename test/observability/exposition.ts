import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { ParsedFamily, ParsedSample } from 'parse-prometheus-text-format';

export interface HistogramValue {
  count: number;
  sum: number;
  /** Upper bound as printed ('0.005', '+Inf') -> cumulative count. */
  buckets: Record<string, number>;
}

/**
 * Parsed /metrics text, indexed by family name. Test helper, not a test.
 *
 * parse-prometheus-text-format 1.1.1 folds a histogram into one sample and drops its labels when
 * the series carry labels other than `le` (ours carry `heap`), so histograms are read from a second
 * parse in which their TYPE line says untyped: the library then returns the `_bucket`, `_sum` and
 * `_count` series as families of their own, labels intact.
 */
export class Exposition {
  readonly families = new Map<string, ParsedFamily>();
  private readonly raw = new Map<string, ParsedFamily>();

  constructor(readonly text: string) {
    for (const f of parsePrometheusTextFormat(text)) this.families.set(f.name, f);
    const untyped = text.replace(/^# TYPE (\S+) histogram$/gm, '# TYPE $1 untyped');
    for (const f of parsePrometheusTextFormat(untyped)) this.raw.set(f.name, f);
  }

  family(name: string): ParsedFamily {
    const f = this.families.get(name);
    if (!f) throw new Error(`no metric family ${name}`);
    return f;
  }

  /** Samples of a family whose labels include every given label. */
  samples(name: string, labels: Record<string, string> = {}): ParsedSample[] {
    return this.family(name).metrics.filter((m) => matches(m, labels));
  }

  /** The single numeric value of the sample matching the labels (throws unless exactly one). */
  value(name: string, labels: Record<string, string> = {}): number {
    const found = this.samples(name, labels);
    if (found.length !== 1) throw new Error(`${name}${JSON.stringify(labels)}: ${found.length} samples`);
    return Number(found[0].value);
  }

  /** The histogram series matching the labels. */
  histogram(name: string, labels: Record<string, string> = {}): HistogramValue {
    if (this.family(name).type !== 'HISTOGRAM') throw new Error(`${name} is not a histogram`);
    const one = (suffix: string): number => {
      const found = (this.raw.get(name + suffix)?.metrics ?? []).filter((m) => matches(m, labels));
      if (found.length !== 1) throw new Error(`${name}${suffix}${JSON.stringify(labels)}: ${found.length} samples`);
      return Number(found[0].value);
    };
    const buckets: Record<string, number> = {};
    for (const m of this.raw.get(`${name}_bucket`)?.metrics ?? []) {
      if (matches(m, labels) && m.labels?.le !== undefined) buckets[m.labels.le] = Number(m.value);
    }
    return { count: one('_count'), sum: one('_sum'), buckets };
  }
}

function matches(m: ParsedSample, labels: Record<string, string>): boolean {
  return Object.entries(labels).every(([k, v]) => m.labels?.[k] === v);
}
