/**
 * Browser benchmark, back to back: the demo's stores in Chromium, frames following each other with
 * no idle time (paired-frames-page.ts), in two designs: taking turns frame by frame in one page
 * ('turns'), and each mode alone in a page of its own ('alone'). It answers what bench-browser.ts
 * cannot:
 * - Machine drift. Rows of bench-browser.ts run one after another, minutes apart, in separate
 *   pages, and this machine's speed moves by a third over seconds; taking turns, every mode sees
 *   the same moments.
 * - Idle time. In the demo page the simulation leaves most of each 16.7 ms frame idle, and
 *   Chromium runs garbage collection there, between frames, where the update time does not see
 *   it. Here frames follow each other with no idle time, as in a game that uses its whole frame
 *   budget, so a collection lands inside some frame. Taking turns, it can land in another mode's
 *   frame than the one whose garbage made it necessary; alone, every pause is the mode's own.
 * Each frame: 5,000 spawns, 60-frame life (295,000 live), move every particle, remove the dead;
 * sprites are per-slot arrays as in the demo, without Pixi.
 *
 * Run: npm run bench:paired -w @tslab/test (builds nothing: the page script is bundled here).
 * Env: PAIRED_FRAMES (measured frames per mode, default 900), PAIRED_ROUNDS (default 2),
 * PAIRED_MODES (comma list of tslab-raw, tslab, plain, bitecs; default all four), PAIRED_ALONE=0
 * (only the 'turns' design), BENCH_QUICK=1
 * (one round of 60 frames, written to bench-paired-quick.json: CI's check that the script runs).
 * Writes test-output/bench-paired.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Table from 'cli-table3';
import { build } from 'vite';
import { launchBrowser, OUTPUT_DIR, REPO_ROOT } from './harness.js';
import { percentiles } from './percentiles.js';
import type { PairedMode, PairedResult } from './paired-frames-page.js';

const SPAWNS = 5_000;
const LIFE = 60;
/** BENCH_QUICK=1 (CI): one short round, so the script never rots; the figures mean nothing. */
const QUICK = process.env.BENCH_QUICK === '1';
const WARMUP = QUICK ? 30 : 120;
const MEASURED = Number(process.env.PAIRED_FRAMES ?? (QUICK ? 60 : 900));
const ROUNDS = Number(process.env.PAIRED_ROUNDS ?? (QUICK ? 1 : 2));
/** PAIRED_ALONE=0 skips the 'alone' design (each mode in a page of its own). */
const ALONE = process.env.PAIRED_ALONE !== '0';
type Design = 'turns' | 'alone';
const ALL_MODES: readonly PairedMode[] = ['tslab-raw', 'tslab', 'plain', 'bitecs'];
const MODES: PairedMode[] = (process.env.PAIRED_MODES?.split(',') ?? ALL_MODES).map((m) => {
  const mode = ALL_MODES.find((known) => known === m.trim());
  if (mode === undefined) throw new Error(`PAIRED_MODES: unknown mode ${JSON.stringify(m)} (known: ${ALL_MODES.join(', ')})`);
  return mode;
});

/** The page script as one classic script (an IIFE). */
async function bundlePage(): Promise<string> {
  const entry = join(dirname(fileURLToPath(import.meta.url)), 'paired-frames-page.ts');
  const result = await build({
    configFile: false,
    root: REPO_ROOT,
    logLevel: 'warn',
    build: { write: false, minify: true, lib: { entry, formats: ['iife'], name: 'tslabPaired', fileName: 'paired' } },
  });
  const outputs = Array.isArray(result) ? result : [result];
  for (const out of outputs) {
    if ('output' in out) for (const chunk of out.output) if (chunk.type === 'chunk') return chunk.code;
  }
  throw new Error('vite build produced no chunk for paired-frames-page.ts');
}

async function main(): Promise<void> {
  const script = await bundlePage();
  // Cross-origin isolated, so performance.now() is precise to 5 µs instead of 100.
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
    res.end('<!doctype html><title>tslab paired frames</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const browser = await launchBrowser();
  const loadBefore = loadavg()[0];
  /*
   * Two designs. 'turns': every mode in one page, taking turns frame by frame, so all see the same
   * moments of the machine, but a collection that plain objects' garbage makes necessary can finish
   * in another mode's turn. 'alone': each mode in a page of its own, so every pause in a mode's
   * frames is its own (the runs are seconds apart, so they see different moments).
   */
  const rounds: { design: Design; round: number; results: PairedResult[] }[] = [];
  const runInFreshPage = async (modes: PairedMode[]): Promise<PairedResult[]> => {
    await browser.page.goto(`http://127.0.0.1:${address.port}/`);
    await browser.page.addScriptTag({ content: script });
    return browser.page.evaluate(
      ([m, s, l, w, f]) => (globalThis as unknown as { runPairedFrames: (...a: unknown[]) => PairedResult[] }).runPairedFrames(m, s, l, w, f),
      [modes, SPAWNS, LIFE, WARMUP, MEASURED] as const,
    );
  };
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // The order of the modes alternates between rounds.
      const modes = round % 2 === 0 ? MODES : [...MODES].reverse();
      process.stderr.write(`round ${round + 1}, taking turns: ${modes.join(', ')} ...\n`);
      rounds.push({ design: 'turns', round: round + 1, results: await runInFreshPage(modes) });
      if (!ALONE) continue;
      process.stderr.write(`round ${round + 1}, each alone: ${modes.join(', ')} ...\n`);
      const alone: PairedResult[] = [];
      for (const mode of modes) alone.push(...(await runInFreshPage([mode])));
      rounds.push({ design: 'alone', round: round + 1, results: alone });
    }
    if (browser.problems.length > 0) throw new Error(`page problems: ${browser.problems.join('; ')}`);
  } finally {
    await browser.close();
    server.close();
  }

  const table = new Table({ head: ['design', 'round', 'storage', 'frame p50 ms', 'p99 ms', 'max ms', 'p99 / plain p99'] });
  const rows: { design: Design; round: number; mode: PairedMode; p50: number; p99: number; max: number; p99OverPlain: number }[] = [];
  for (const { design, round, results } of rounds) {
    const stats = results.map((res) => {
      const us = percentiles(res.frameMs.map((ms) => ms * 1000));
      return { mode: res.mode, p50: us.p50 / 1000, p99: us.p99 / 1000, max: us.max / 1000 };
    });
    const plain = stats.find((s) => s.mode === 'plain');
    for (const s of stats) {
      const p99OverPlain = plain === undefined ? NaN : s.p99 / plain.p99;
      rows.push({ design, round, ...s, p99OverPlain });
      table.push([design, round, s.mode, s.p50.toFixed(2), s.p99.toFixed(2), s.max.toFixed(1), plain === undefined ? '-' : `${(p99OverPlain * 100).toFixed(0)}%`]);
    }
  }
  console.log(table.toString());
  console.log(`${SPAWNS.toLocaleString('en-US')} spawns a frame, ${LIFE}-frame life, ${WARMUP} warm-up + ${MEASURED} measured frames per mode, back to back; 'turns': the modes take turns frame by frame in one page; 'alone': each mode in a page of its own`);
  console.log(`load average ${loadBefore.toFixed(1)} -> ${loadavg()[0].toFixed(1)}; one run, noisy machine`);
  mkdirSync(OUTPUT_DIR, { recursive: true });
  writeFileSync(
    join(OUTPUT_DIR, QUICK ? 'bench-paired-quick.json' : 'bench-paired.json'),
    JSON.stringify({ env: { date: new Date().toISOString(), spawns: SPAWNS, life: LIFE, warmup: WARMUP, measured: MEASURED, alone: ALONE, loadAverageBefore: loadBefore, loadAverageAfter: loadavg()[0] }, rows }, null, 2),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
