/**
 * `npm run bench`: runs every suite in bench/suites (sorted by file name) in one process, prints
 * tables and target checks, and writes bench/results/latest.json. `BENCH_QUICK=1` (CI) runs tiny
 * iteration counts only to prove the suites still run. A suite file exports
 * `default async function (ctx: BenchContext): Promise<SuiteResult>`.
 * `node --expose-gc --import tsx/esm run.ts core frame` runs only suites whose file name contains a word.
 *
 * tsx/esm, not tsx: tsx's CommonJS hook transforms CommonJS dependencies (hdr-histogram-js) in this
 * thread, and something on that path detaches an ArrayBuffer. Once any ArrayBuffer in a process
 * has been detached, V8 adds a detached check to every typed-array access in optimized code (seen
 * in --print-opt-code: a buffer load and a test per access): +34% instructions for the bare-stack
 * floor, +27% for the tslab pair (cachegrind). The ESM-only loader leaves CommonJS to Node.
 */
import { readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createContext, type BenchContext, type SuiteResult } from './lib/context.js';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.env.BENCH_QUICK === '1';
const filters = process.argv.slice(2);
const ctx = createContext(quick);

if (typeof globalThis.gc !== 'function') {
  console.error('bench: run under node --expose-gc (npm run bench does)');
  process.exit(2);
}

console.log(`tslab bench${quick ? ' (quick pass: figures are not meaningful)' : ''}\nmachine: ${ctx.machine}`);
const files = readdirSync(join(here, 'suites'))
  .filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts') && !f.startsWith('_'))
  .filter((f) => filters.length === 0 || filters.some((w) => f.includes(w)))
  .sort();

const results: SuiteResult[] = [];
let failed = 0;
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const mod = (await import(pathToFileURL(join(here, 'suites', file)).href)) as {
    default: (c: BenchContext) => Promise<SuiteResult>;
  };
  try {
    results.push(await mod.default(ctx));
  } catch (error) {
    failed++;
    console.error(`suite ${file} failed:`, error);
  }
}

mkdirSync(join(here, 'results'), { recursive: true });
const out = join(here, 'results', quick ? 'quick.json' : 'latest.json');
writeFileSync(out, JSON.stringify({ machine: ctx.machine, date: new Date().toISOString(), quick, results }, null, 2));
const missed = results.flatMap((r) => r.targets.filter((t) => !t.met).map((t) => `${r.name}: ${t.target} (${t.measured})`));
console.log(`\nwrote ${out}`);
if (missed.length > 0) console.log(`targets missed:\n  ${missed.join('\n  ')}`);
if (failed > 0) process.exit(1);
