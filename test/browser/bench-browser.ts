/**
 * Browser benchmark: each storage mode of the demo at 5,000 spawns per frame, each particle living
 * 60 frames (about 300k live), in Chromium with --enable-precise-memory-info. Reports the JS update
 * time per frame (spawn + simulate + tick, measured in the page) at p50/p99/max, and the longest
 * frame (time between two animation frames). Drawing is off (`render=0`): headless Chromium
 * rasterizes on the CPU (SwiftShader), which at 300k sprites would dominate every frame and compete
 * with the JS under test for the same cores; sprites are still updated every frame in every mode.
 * Compositing is software for the same reason (BENCH_FLAGS).
 *
 * Run: npm run bench:browser -w @tslab/test (builds nothing: build the demo first).
 * The 'storage only' rows add `sync=0`: positions are not copied into the Pixi sprites (300k JS
 * objects in every mode), which isolates what the storage itself costs.
 * A Chromium trace of the measured frames (category devtools.timeline) adds what the page clock
 * cannot tell apart: the main thread's CPU time per frame (the thread time of the frame's
 * animation-frame callbacks, so time the thread spent descheduled is left out) and the main
 * thread's GC pauses (MinorGC and MajorGC events).
 * When a frame leaves idle time, Chromium runs V8's collections after the frame's animation-frame
 * callbacks (plain objects, 2026-11-28: each scavenge started 0.5-0.8 ms after the callbacks ended,
 * reason "allocation failure"; the major GCs end in "finalize incremental marking via task"), so
 * the pauses that plain objects cause land between frames and never in the page's update time;
 * they show in the frame interval. The 'rAF wall + GC after'
 * column adds to each frame's callbacks the pauses that ran after them, before the next frame:
 * what the frame's work cost the main thread, collections included.
 * Env: BENCH_FRAMES (measured frames per mode, default 1200), BENCH_MODES (comma list of modes),
 * BENCH_GC_LOG=1 (each GC pause of the measured frames, with its reason),
 * BENCH_QUICK=1 (60 frames of three modes, written to bench-browser-quick.json: CI's check that the
 * script still runs).
 * Writes test-output/bench-browser.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import Table from 'cli-table3';
import { CHROMIUM, CHROMIUM_FLAGS, DEMO_ROOT, OUTPUT_DIR, launchBrowser, startDemoPreview } from './harness.js';
import { hook, waitFrames } from './page-helpers.js';
import { percentiles } from './percentiles.js';

const SPAWNS_PER_FRAME = 5_000;
const LIFE_FRAMES = 60;
const CADENCE = 8;
const WARMUP_FRAMES = 60;
/** Frames between the forced collection and the measured ones. */
const SETTLE_FRAMES = 30;
/** BENCH_GC_LOG=1: print each main-thread GC pause of the measured frames, with its reason. */
const GC_LOG = process.env.BENCH_GC_LOG === '1';
/*
 * A p99 over 240 frames is the third-slowest frame, so one stray descheduling moves it; over 1,200
 * it is the twelfth (two 240-frame runs of the same code, 2026-11-27, read 39% and 20% of plain
 * objects' p99 for the same row).
 */
/** BENCH_QUICK=1 (CI): a few frames of three modes, so the script never rots; the figures mean nothing. */
const QUICK = process.env.BENCH_QUICK === '1';
const MEASURED_FRAMES = Number(process.env.BENCH_FRAMES ?? (QUICK ? 60 : 1200));

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
  /** Main-thread CPU time of each frame's animation-frame callbacks (trace thread time), p50 / p99. */
  rafCpuP50Ms: number;
  rafCpuP99Ms: number;
  /** The same callbacks' wall time (trace), p99: above the CPU p99 by what descheduling cost. */
  rafWallP99Ms: number;
  /** The callbacks' wall time plus the GC pauses between them and the next frame, p99. */
  rafWallWithGcP99Ms: number;
  /** Main-thread GC pauses (MinorGC + MajorGC trace events) over the measured frames. */
  gcPauses: number;
  gcMsPerFrame: number;
  /** Worker mode: the worker's own time per frame (spawn + update + tick); null in the other modes. */
  workerP50Ms: number | null;
  workerP99Ms: number | null;
}

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  /** GC events: the reason ("allocation failure", "finalize incremental marking via task") and heap sizes. */
  args?: Record<string, unknown>;
}

interface FrameCosts {
  cpuMs: number[];
  wallMs: number[];
  /**
   * Per frame, the callbacks' wall time plus the GC pauses that ran on the main thread after them,
   * before the next frame: what the frame's work cost the main thread, collections included.
   */
  wallWithGcMs: number[];
  gcPauses: number;
  gcMs: number;
}

/**
 * Per frame, the wall and thread time of the main thread's FireAnimationFrame events (a frame runs
 * two callbacks back to back, Pixi's system ticker and the demo's: events less than 50 µs apart
 * are one frame, while the style, layout and commit work between frames keeps frames further
 * apart even when they run back to back), and the main thread's GC pauses.
 */
function frameCosts(events: readonly TraceEvent[]): FrameCosts {
  const fired = events.filter((e) => e.name === 'FireAnimationFrame' && e.ph === 'X').sort((a, b) => a.ts - b.ts);
  if (fired.length === 0) throw new Error('the trace has no FireAnimationFrame events');
  const { pid, tid } = fired[0];
  const cpuMs: number[] = [];
  const wallMs: number[] = [];
  const frameStarts: number[] = [];
  const frameEnds: number[] = [];
  let end = -Infinity;
  for (const e of fired) {
    if (e.pid !== pid || e.tid !== tid) continue;
    const dur = (e.dur ?? 0) / 1000;
    const tdur = (e.tdur ?? e.dur ?? 0) / 1000;
    if (e.ts - end < 50) {
      cpuMs[cpuMs.length - 1] += tdur;
      wallMs[wallMs.length - 1] += dur;
    } else {
      cpuMs.push(tdur);
      wallMs.push(dur);
      frameStarts.push(e.ts);
      frameEnds.push(0);
    }
    end = e.ts + (e.dur ?? 0);
    frameEnds[frameEnds.length - 1] = end;
  }
  const gc = events
    .filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X' && (e.name === 'MinorGC' || e.name === 'MajorGC'))
    .sort((a, b) => a.ts - b.ts);
  // A pause that starts after frame i's callbacks ended and before frame i + 1's belongs to frame i
  // (pauses inside a callback are already in its wall time; those before the first frame are not
  // counted).
  const wallWithGcMs = wallMs.slice();
  let frame = 0;
  for (const e of gc) {
    while (frame + 1 < frameEnds.length && frameEnds[frame + 1] <= e.ts) frame++;
    const beforeNext = frame + 1 === frameStarts.length || e.ts < frameStarts[frame + 1];
    if (e.ts >= frameEnds[frame] && beforeNext) wallWithGcMs[frame] += (e.dur ?? 0) / 1000;
  }
  if (GC_LOG) {
    for (const e of gc) {
      const next = frameStarts.findIndex((t) => t > e.ts);
      const frameIndex = (next < 0 ? frameStarts.length : next) - 1;
      const where = frameIndex < 0 ? 'before the first frame' : e.ts < frameEnds[frameIndex] ? `inside frame ${frameIndex}` : `${((e.ts - frameEnds[frameIndex]) / 1000).toFixed(2)} ms after frame ${frameIndex}`;
      process.stderr.write(`  ${e.name} ${where}: ${((e.dur ?? 0) / 1000).toFixed(1)} ms ${JSON.stringify(e.args ?? {})}\n`);
    }
  }
  return { cpuMs, wallMs, wallWithGcMs, gcPauses: gc.length, gcMs: gc.reduce((sum, e) => sum + (e.dur ?? 0) / 1000, 0) };
}

/*
 * Software compositing (--disable-gpu-compositing). With the GL compositor on SwiftShader, the GPU
 * process redrew the whole 1280x800 page on the CPU every frame (the overlay changes every frame)
 * and took most of the machine's two cores (top -H, tslab records, 2026-11-28: its threads at 100%,
 * 66% and 65%; the page's main thread at 25%). The main thread then waited for a core for about
 * half of its slowest frames: rAF wall p99 12.3 ms against a CPU p99 of 6.3 ms. The software
 * compositor redraws only what changed (7% of a core): wall p99 6.5 against CPU 6.3 ms. On a
 * machine with a GPU compositing costs the CPU little, which is what this keeps.
 */
const BENCH_FLAGS: readonly string[] = ['--enable-precise-memory-info', '--disable-gpu-compositing'];
/**
 * The software compositor reads the WebGL canvas back once (nothing draws into it afterwards with
 * render=0) and Chromium logs that as a console warning: expected here, a problem anywhere else.
 */
const SOFTWARE_COMPOSITING_WARNING = 'GPU stall due to ReadPixels';

async function measure(url: string, v: Variant): Promise<Row> {
  const browser = await launchBrowser(BENCH_FLAGS);
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
    const cdp = await browser.context.newCDPSession(page);
    /*
     * Every mode starts its measured frames from a collected heap. Without this a tslab row could
     * carry the one collection of the page's start-up objects (Pixi, 295k sprites, entities): two
     * pauses of about 18 ms (a scavenge of 14 MB, then a major GC) in the SharedArrayBuffer rows of
     * 3 of 6 runs on 2026-11-28; after a collection the same rows' one scavenge took 0.7-0.8 ms.
     * Plain objects reach their own steady state again within the settling frames.
     */
    await cdp.send('HeapProfiler.collectGarbage');
    await waitFrames(page, SETTLE_FRAMES, 60_000);
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', (e) => {
      for (const value of e.value) events.push(value as unknown as TraceEvent);
    });
    const traced = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.start', { categories: 'devtools.timeline', transferMode: 'ReportEvents' });
    await page.evaluate(() => (window as unknown as { __tslabDemo: { resetSamples(): void } }).__tslabDemo.resetSamples());
    await waitFrames(page, MEASURED_FRAMES, 1_200_000);
    await cdp.send('Tracing.end');
    await traced;
    const costs = frameCosts(events);
    process.stderr.write(`  trace: ${costs.cpuMs.length} frames\n`);
    // Only the traced frames: the page goes on while the trace is handed over, and those frames pay
    // for it (one run of 2026-11-28: 12 of its 25 slowest updates were among the last 20 samples).
    const all = await hook(page, 'samples');
    const samples = { updateMicros: all.updateMicros.slice(0, MEASURED_FRAMES), frameMs: all.frameMs.slice(0, MEASURED_FRAMES), workerMicros: all.workerMicros.slice(0, MEASURED_FRAMES) };
    const live = await hook(page, 'particleCount');
    const jsHeap = await page.evaluate(() => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize);
    const problems = browser.problems.filter((p) => !p.includes(SOFTWARE_COMPOSITING_WARNING));
    if (problems.length > 0) throw new Error(`${v.name}: page problems: ${problems.join('; ')}`);
    const update = percentiles(samples.updateMicros);
    const frame = percentiles(samples.frameMs.slice(1).map((ms) => ms * 1000));
    const cpu = percentiles(costs.cpuMs.map((ms) => ms * 1000));
    const rafWall = percentiles(costs.wallMs.map((ms) => ms * 1000));
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
      rafCpuP50Ms: cpu.p50 / 1000,
      rafCpuP99Ms: cpu.p99 / 1000,
      rafWallP99Ms: rafWall.p99 / 1000,
      rafWallWithGcP99Ms: percentiles(costs.wallWithGcMs.map((ms) => ms * 1000)).p99 / 1000,
      gcPauses: costs.gcPauses,
      gcMsPerFrame: costs.gcMs / Math.max(1, costs.cpuMs.length),
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
  const only = (process.env.BENCH_MODES ?? (QUICK ? 'plain JS objects,tslab records (ArrayBuffer heap),tslab + bitECS (ArrayBuffer heap)' : undefined))
    ?.split(',')
    .map((s) => s.trim());
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
    head: ['storage', 'live', 'update p50 ms', 'update p99 ms', 'update max ms', 'frame p99 ms', 'longest frame ms', 'rAF CPU p50 / p99 ms', 'rAF wall p99 ms', 'rAF wall + GC after p99 ms', 'GC pauses (ms / frame)', 'JS heap MB', 'worker p50 / p99 ms'],
  });
  const f = (n: number): string => n.toFixed(n < 10 ? 2 : 1);
  for (const r of rows) {
    const worker = r.workerP50Ms === null || r.workerP99Ms === null ? '-' : `${f(r.workerP50Ms)} / ${f(r.workerP99Ms)}`;
    table.push([
      r.variant, r.liveParticles.toLocaleString('en-US'), f(r.updateP50Ms), f(r.updateP99Ms), f(r.updateMaxMs), f(r.frameP99Ms), f(r.longestFrameMs),
      `${f(r.rafCpuP50Ms)} / ${f(r.rafCpuP99Ms)}`, f(r.rafWallP99Ms), f(r.rafWallWithGcP99Ms), `${r.gcPauses} (${f(r.gcMsPerFrame)})`, f(r.jsHeapMB), worker,
    ]);
  }
  // Each tslab row against the plain-objects row measured the same way (with or without sprite sync).
  const synced = (r: Row): boolean => !r.query.includes('sync=0');
  const plainFor = (r: Row): Row | undefined => rows.find((p) => p.query.startsWith('mode=plain') && synced(p) === synced(r));
  const ratios: { variant: string; p99OverPlainP99: number; rafCpuP99OverPlain: number; wallWithGcP99OverPlain: number }[] = [];
  for (const r of rows) {
    const plain = plainFor(r);
    if (r.query.startsWith('mode=tslab') && plain !== undefined) {
      ratios.push({ variant: r.variant, p99OverPlainP99: r.updateP99Ms / plain.updateP99Ms, rafCpuP99OverPlain: r.rafCpuP99Ms / plain.rafCpuP99Ms,
        wallWithGcP99OverPlain: r.rafWallWithGcP99Ms / plain.rafWallWithGcP99Ms,
      });
    }
  }
  const env = {
    date: new Date().toISOString(),
    chromium: chromiumVersion(),
    flags: [...CHROMIUM_FLAGS, ...BENCH_FLAGS],
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
  for (const r of ratios) {
    console.log(
      `${r.variant}: update p99 = ${(r.p99OverPlainP99 * 100).toFixed(0)}% of plain objects' (target <= 20%; Chromium runs plain objects' collections ` +
        `between frames, mostly outside any update); rAF wall + GC after p99 = ${(r.wallWithGcP99OverPlain * 100).toFixed(0)}% ` +
        `(${r.wallWithGcP99OverPlain <= 0.2 ? 'within' : 'over'} 20%, collections counted with the frame they follow); ` +
        `rAF CPU p99 = ${(r.rafCpuP99OverPlain * 100).toFixed(0)}%`,
    );
  }
  /*
   * What the update-time ratio can reach at all: bitECS's typed arrays allocate nothing and have no
   * allocator, only one array per field, so their update is about the least any storage can spend
   * on the same particles. When their p99 is far above a fifth of plain objects', no storage meets
   * the target on that measure: plain objects' collections are not in it.
   */
  const floorRatios: string[] = [];
  for (const r of rows) {
    const plain = plainFor(r);
    if (r.query.startsWith('mode=bitecs') && plain !== undefined) floorRatios.push(`${(r.updateP99Ms / plain.updateP99Ms * 100).toFixed(0)}% (${synced(r) ? 'with sprites' : 'storage only'})`);
  }
  if (floorRatios.length > 0) {
    console.log(`least any storage spends (bitECS typed arrays: nothing allocated, no allocator): update p99 = ${floorRatios.join(', ')} of plain objects'`);
  }
  console.log(`load average ${env.loadAverageBefore.toFixed(1)} -> ${env.loadAverageAfter.toFixed(1)} on ${env.chromium}; one run, noisy machine`);
  mkdirSync(OUTPUT_DIR, { recursive: true });
  writeFileSync(join(OUTPUT_DIR, QUICK ? 'bench-browser-quick.json' : 'bench-browser.json'), `${JSON.stringify({ env, rows, ratios }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
