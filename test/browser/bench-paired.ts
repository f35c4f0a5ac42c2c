/**
 * Browser benchmark, paired: the demo's stores in one Chromium page, taking turns frame by frame
 * and back to back (paired-frames-page.ts). It answers what bench-browser.ts cannot:
 * - Machine drift. Rows of bench-browser.ts run one after another, minutes apart, in separate
 *   pages, and this machine's speed moves by a third over seconds; here every mode sees the same
 *   moments.
 * - Idle time. In the demo page the simulation leaves most of each 16.7 ms frame idle, and
 *   Chromium runs garbage collection there, between frames, where the update time does not see
 *   it. Here frames follow each other with no idle time, as in a game that uses its whole frame
 *   budget, so a collection lands inside some frame.
 * Each frame: 5,000 spawns, 60-frame life (295,000 live), move every particle, remove the dead;
 * sprites are per-slot arrays as in the demo, without Pixi.
 *
 * Run: npm run bench:paired -w @tslab/test (builds nothing: the page script is bundled here).
 * Env: PAIRED_FRAMES (measured frames per mode, default 900), PAIRED_ROUNDS (default 2),
 * PAIRED_MODES (comma list of tslab-raw, tslab, plain, bitecs; default all four), BENCH_QUICK=1
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
  const rounds: PairedResult[][] = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // A fresh page each round; the order of the modes alternates between rounds.
      await browser.page.goto(`http://127.0.0.1:${address.port}/`);
      await browser.page.addScriptTag({ content: script });
      const modes = round % 2 === 0 ? MODES : [...MODES].reverse();
      process.stderr.write(`round ${round + 1}: ${modes.join(', ')} ...\n`);
      const results = await browser.page.evaluate(
        ([m, s, l, w, f]) => (globalThis as unknown as { runPairedFrames: (...a: unknown[]) => PairedResult[] }).runPairedFrames(m, s, l, w, f),
        [modes, SPAWNS, LIFE, WARMUP, MEASURED] as const,
      );
      rounds.push(results);
    }
    if (browser.problems.length > 0) throw new Error(`page problems: ${browser.problems.join('; ')}`);
  } finally {
    await browser.close();
    server.close();
  }

  const table = new Table({ head: ['round', 'storage', 'frame p50 ms', 'p99 ms', 'max ms', 'p99 / plain p99'] });
  const rows: { round: number; mode: PairedMode; p50: number; p99: number; max: number; p99OverPlain: number }[] = [];
  rounds.forEach((results, r) => {
    const stats = results.map((res) => {
      const us = percentiles(res.frameMs.map((ms) => ms * 1000));
      return { mode: res.mode, p50: us.p50 / 1000, p99: us.p99 / 1000, max: us.max / 1000 };
    });
    const plain = stats.find((s) => s.mode === 'plain');
    for (const s of stats) {
      const p99OverPlain = plain === undefined ? NaN : s.p99 / plain.p99;
      rows.push({ round: r + 1, ...s, p99OverPlain });
      table.push([r + 1, s.mode, s.p50.toFixed(2), s.p99.toFixed(2), s.max.toFixed(1), plain === undefined ? '-' : `${(p99OverPlain * 100).toFixed(0)}%`]);
    }
  });
  console.log(table.toString());
  console.log(`${SPAWNS.toLocaleString('en-US')} spawns a frame, ${LIFE}-frame life, ${WARMUP} warm-up + ${MEASURED} measured frames per mode, modes taking turns frame by frame`);
  console.log(`load average ${loadBefore.toFixed(1)} -> ${loadavg()[0].toFixed(1)}; one run, noisy machine`);
  mkdirSync(OUTPUT_DIR, { recursive: true });
  writeFileSync(
    join(OUTPUT_DIR, QUICK ? 'bench-paired-quick.json' : 'bench-paired.json'),
    JSON.stringify({ env: { date: new Date().toISOString(), spawns: SPAWNS, life: LIFE, warmup: WARMUP, measured: MEASURED, loadAverageBefore: loadBefore, loadAverageAfter: loadavg()[0] }, rows }, null, 2),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
