import os from 'node:os';
import Table from 'cli-table3';

/** One row of a printed table: column name -> value (numbers are formatted, strings printed as is). */
export type Row = Record<string, string | number | boolean | null>;

export interface SuiteResult {
  /** Stable key in the JSON output, e.g. 'core', 'frame'. */
  name: string;
  /** Tables as printed, kept for the JSON file. */
  tables: { title: string; rows: Row[] }[];
  /** Targets from the issues: what was checked, the measured value and whether it was met. */
  targets: { target: string; measured: string; met: boolean }[];
}

export interface BenchContext {
  /** BENCH_QUICK=1 (CI): small iteration counts, only proves the benches run. */
  readonly quick: boolean;
  readonly machine: string;
  /** Prints a table and records it in the suite result. */
  table(result: SuiteResult, title: string, rows: Row[]): void;
  /** Records and prints whether a target was met. */
  target(result: SuiteResult, target: string, measured: string, met: boolean): void;
}

export function machineName(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown cpu';
  return `${cpu.trim()}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`;
}

function format(value: Row[string]): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    if (Number.isInteger(value)) return value.toLocaleString('en-US');
    const abs = Math.abs(value);
    return value.toFixed(abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3);
  }
  return value === null ? '-' : String(value);
}

export function createContext(quick: boolean): BenchContext {
  return {
    quick,
    machine: machineName(),
    table(result, title, rows) {
      result.tables.push({ title, rows });
      if (rows.length === 0) return;
      const head = Object.keys(rows[0]);
      const table = new Table({ head, style: { head: [], border: [] } });
      for (const row of rows) table.push(head.map((k) => format(row[k] ?? null)));
      console.log(`\n${title}\n${table.toString()}`);
    },
    target(result, target, measured, met) {
      result.targets.push({ target, measured, met });
      console.log(`  target ${met ? 'MET   ' : 'MISSED'} ${target}: ${measured}`);
    },
  };
}

export function newResult(name: string): SuiteResult {
  return { name, tables: [], targets: [] };
}
