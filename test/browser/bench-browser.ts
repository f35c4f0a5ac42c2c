/**
 * Browser benchmark: each storage mode of the demo at 5,000 spawns per frame, each particle living
 * 60 frames (about 300k live), in Chromium with --enable-precise-memory-info. Reports the JS update
 * time per frame (spawn + simulate + tick, measured in the page) at p50/p99/max, and the longest
 * frame (time between two animation frames). Drawing is off (`render=0`): headless Chromium
 * rasterizes on the CPU (SwiftShader), which at 300k sprites would dominate every frame and compete
 * with the JS under test for the same cores; sprites are still updated every frame in every mode.
 *
 * Run: npm run bench:browser -w @tslab/test (builds nothing: build the demo first).
 * The 'storage only' rows add `sync=0`: positions are not copied into the Pixi sprites (300k JS
 * objects in every mode), which isolates what the storage itself costs.
 * Env: BENCH_FRAMES (measured frames per mode, default 240), BENCH_MODES (comma list of modes).
 * Writes test-output/bench-browser.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import Table from 'cli-table3';
import * as hdr from 'hdr-histogram-js';
import { CHROMIUM, CHROMIUM_FLAGS, DEMO_ROOT, OUTPUT_DIR, launchBrowser, startDemoPreview } from './harness.js';
import { hook, waitFrames } from './page-helpers.js';

const SPAWNS_PER_FRAME = 5_000;
const LIFE_FRAMES = 60;
const CADENCE = 8;
const WARMUP_FRAMES = 60;
const MEASURED_FRAMES = Number(process.env.BENCH_FRAMES ?? 240);

interface Variant {
  name: string;
  query: string;
}

const VARIANTS: readonly Variant[] = [
  { name: 'tslab + bitECS (SharedArrayBuffer heap)', query: 'mode=tslab' },
  { name: 'tslab + bitECS (ArrayBuffer heap)', query: 'mode=tslab&heap=arraybuffer' },
  { name: 'tslab records (SharedArrayBuffer heap)', query: 'mode=tslab-raw' },
  { name: 'tslab records (ArrayBuffer heap)', query: 'mode=tslab-raw&heap=arraybuffer' },
  { name: 'plain JS objects', query: 'mode=plain' },
  { name: 'bitECS typed arrays', query: 'mode=bitecs' },
  // The records simulation in a Web Worker over the shared heap: the page's update time is only the
  // copy into the sprites (not comparable with the rows above, so no ratio is printed for it).
  { name: 'tslab records in a Web Worker (page: sprite copy only)', query: 'mode=worker' },
  // Storage alone: the same frames without copying positions into the 300k Pixi sprites.
  { name: 'storage only: tslab + bitECS (ArrayBuffer heap)', query: 'mode=tslab&heap=arraybuffer&sync=0' },
  { name: 'storage only: tslab records (ArrayBuffer heap)', query: 'mode=tslab-raw&heap=arraybuffer&sync=0' },
  { name: 'storage only: plain JS objects', query: 'mode=plain&sync=0' },
  { name: 'storage only: bitECS typed arrays', query: 'mode=bitecs&sync=0' },
];

interface Row {
  variant: string;
  query: string;
  frames: number;
  liveParticles: number;
  updateP50Ms: number;
  updateP99Ms: number;
  updateMaxMs: number;
  frameP99Ms: number;
  longestFrameMs: number;
  jsHeapMB: number;
  /** Worker mode: the worker's own time per frame (spawn + update + tick); null in the other modes. */
  workerP50Ms: number | null;
  workerP99Ms: number | null;
}

function percentiles(values: number[]): { p50: number; p99: number; max: number } {
  // Microsecond resolution, up to 100 s, 3 significant digits.
  const h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 100_000_000, numberOfSignificantValueDigits: 3 });
  for (const v of values) h.recordValue(Math.max(1, Math.round(v)));
  const out = { p50: h.getValueAtPercentile(50), p99: h.getValueAtPercentile(99), max: h.maxValue };
  h.destroy();
  return out;
}

async function measure(url: string, v: Variant): Promise<Row> {
  const browser = await launchBrowser(['--enable-precise-memory-info']);
  try {
    const page = browser.page;
    const query = `${v.query}&burst=${SPAWNS_PER_FRAME}&every=1&life=${LIFE_FRAMES}&cadence=${CADENCE}&render=0`;
    await page.goto(`${url}?${query}`);
    await page.waitForFunction(() => (window as unknown as { __tslabDemo?: unknown }).__tslabDemo !== undefined, undefined, { timeout: 60_000 });
    const steady = SPAWNS_PER_FRAME * (LIFE_FRAMES - 1);
    await page.waitForFunction((n) => (window as unknown as { __tslabDemo: { particleCount(): number } }).__tslabDemo.particleCount() >= n, steady, {
      timeout: 600_000,
      polling: 200,
    });
    await waitFrames(page, WARMUP_FRAMES, 600_000);
    await page.evaluate(() => (window as unknown as { __tslabDemo: { resetSamples(): void } }).__tslabDemo.resetSamples());
    await waitFrames(page, MEASURED_FRAMES, 1_200_000);
    const samples = await hook(page, 'samples');
    const live = await hook(page, 'particleCount');
    const jsHeap = await page.evaluate(() => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize);
    if (browser.problems.length > 0) throw new Error(`${v.name}: page problems: ${browser.problems.join('; ')}`);
    const update = percentiles(samples.updateMicros);
    const frame = percentiles(samples.frameMs.slice(1).map((ms) => ms * 1000));
    const workerTimes = samples.workerMicros.filter((us) => us >= 0);
    const worker = workerTimes.length > 0 ? percentiles(workerTimes) : null;
    return {
      variant: v.name,
      query,
      frames: samples.updateMicros.length,
      liveParticles: live,
      updateP50Ms: update.p50 / 1000,
      updateP99Ms: update.p99 / 1000,
      updateMaxMs: update.max / 1000,
      frameP99Ms: frame.p99 / 1000,
      longestFrameMs: frame.max / 1000,
      jsHeapMB: jsHeap / 1_048_576,
      workerP50Ms: worker === null ? null : worker.p50 / 1000,
      workerP99Ms: worker === null ? null : worker.p99 / 1000,
    };
  } finally {
    await browser.close();
  }
}

function chromiumVersion(): string {
  try {
    return execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(DEMO_ROOT, 'dist', 'index.html'))) {
    throw new Error('demo/dist is missing: run `npm run build -w @tslab/demo` first');
  }
  const only = process.env.BENCH_MODES?.split(',').map((s) => s.trim());
  const variants = only === undefined ? VARIANTS : VARIANTS.filter((v) => only.some((o) => v.query === `mode=${o}` || v.query.startsWith(`mode=${o}&`) || v.name === o));
  const server = await startDemoPreview();
  const rows: Row[] = [];
  const loadBefore = loadavg()[0];
  try {
    for (const v of variants) {
      process.stderr.write(`measuring ${v.name} ...\n`);
      rows.push(await measure(server.url, v));
    }
  } finally {
    await server.close();
  }

  const table = new Table({
    head: ['storage', 'live', 'update p50 ms', 'update p99 ms', 'update max ms', 'frame p99 ms', 'longest frame ms', 'JS heap MB', 'worker p50 / p99 ms'],
  });
  const f = (n: number): string => n.toFixed(n < 10 ? 2 : 1);
  for (const r of rows) {
    const worker = r.workerP50Ms === null || r.workerP99Ms === null ? '-' : `${f(r.workerP50Ms)} / ${f(r.workerP99Ms)}`;
    table.push([r.variant, r.liveParticles.toLocaleString('en-US'), f(r.updateP50Ms), f(r.updateP99Ms), f(r.updateMaxMs), f(r.frameP99Ms), f(r.longestFrameMs), f(r.jsHeapMB), worker]);
  }
  // Each tslab row against the plain-objects row measured the same way (with or without sprite sync).
  const synced = (r: Row): boolean => !r.query.includes('sync=0');
  const ratios: { variant: string; p99OverPlainP99: number }[] = [];
  for (const r of rows) {
    const plain = rows.find((p) => p.query.startsWith('mode=plain') && synced(p) === synced(r));
    if (r.query.startsWith('mode=tslab') && plain !== undefined) ratios.push({ variant: r.variant, p99OverPlainP99: r.updateP99Ms / plain.updateP99Ms });
  }
  const env = {
    date: new Date().toISOString(),
    chromium: chromiumVersion(),
    flags: [...CHROMIUM_FLAGS, '--enable-precise-memory-info'],
    spawnsPerFrame: SPAWNS_PER_FRAME,
    lifeFrames: LIFE_FRAMES,
    cadence: CADENCE,
    warmupFrames: WARMUP_FRAMES,
    measuredFrames: MEASURED_FRAMES,
    render: false,
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadavg()[0],
  };
  console.log(table.toString());
  for (const r of ratios) console.log(`${r.variant}: update p99 = ${(r.p99OverPlainP99 * 100).toFixed(0)}% of plain objects' (target <= 20%)`);
  console.log(`load average ${env.loadAverageBefore.toFixed(1)} -> ${env.loadAverageAfter.toFixed(1)} on ${env.chromium}; one run, noisy machine`);
  mkdirSync(OUTPUT_DIR, { recursive: true });
  writeFileSync(join(OUTPUT_DIR, 'bench-browser.json'), `${JSON.stringify({ env, rows, ratios }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
