/**
 * Core suite sections about memory: (2) heap bytes per operation, (5) sustained phase shifts with
 * 256 MB pressure spikes, for each plain backing: 'copy', 'resizable' and (5c) 'transfer'.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAllocator, type BackingMode } from '@tslab/core';
import { PHASE_PREFIX } from './core-phase-child.js';
import type { BenchContext, Row, SuiteResult } from './context.js';
import { heapBytesPerOp, MiB, summarize, warmUp, type Kernel } from './measure.js';
import { HandleChurn, MallocChurn, ObjectChurn } from './core-churn.js';
import { LiveHandles, emptyKernel, isLiveKernel, offsetKernel, statsGlobalKernel } from './core-heapbytes.js';
import { DEFAULT_SIZES, driftOf, isBigSpike, returnedFraction, runPhaseShifts, type PhaseConfig, type PhaseResult, type SpikeSample } from './core-phases.js';

/** Section 2: heap bytes per operation (under --expose-gc). */
export function heapBytesSection(ctx: BenchContext, result: SuiteResult): void {
  const windows = ctx.quick ? 5 : 40;
  const heap = createAllocator();
  const churn = new HandleChurn(heap, 128);
  const mallocChurn = new MallocChurn(heap, 128);
  const live = new LiveHandles(heap, 10_240, 128);
  const objects = new ObjectChurn();
  const cases: { op: string; run: Kernel; units: number; opsPerUnit: number; target: boolean }[] = [
    { op: 'empty loop (measurement overhead)', run: emptyKernel(), units: 200_000, opsPerUnit: 1, target: false },
    { op: 'alloc + free', run: (u) => churn.run(u), units: 51_200, opsPerUnit: 2, target: true },
    { op: 'malloc + freePtr', run: (u) => mallocChurn.run(u), units: 51_200, opsPerUnit: 2, target: true },
    { op: 'offset', run: offsetKernel(heap, live), units: 200_000, opsPerUnit: 1, target: true },
    { op: 'isLive', run: isLiveKernel(heap, live), units: 200_000, opsPerUnit: 1, target: true },
    { op: 'statsGlobal(into)', run: statsGlobalKernel(heap), units: 50_000, opsPerUnit: 1, target: true },
    { op: 'plain objects, created and dropped (control: must show garbage)', run: (u) => objects.run(u), units: 4_096, opsPerUnit: 1, target: false },
  ];
  const rows: Row[] = [];
  for (const c of cases) {
    warmUp(c.run, c.units, ctx.quick ? 60 : 200); // quick: long enough to optimize (10 ms left malloc at 0.2 B/op)
    const m = heapBytesPerOp(c.run, c.units, c.opsPerUnit, windows);
    rows.push({ operation: c.op, 'B/op': m.bytesPerOp, 'ops/window': m.opsPerWindow, 'windows counted': `${m.windowsCounted}/${m.windows}` });
    if (c.target) ctx.target(result, `${c.op}: under 0.1 heap B/op`, `${m.bytesPerOp.toFixed(4)} B/op`, m.bytesPerOp < 0.1);
  }
  if (churn.failures() + mallocChurn.failures() !== 0) throw new Error('heap bytes section: failed allocations or frees');
  churn.dispose();
  mallocChurn.dispose();
  live.dispose();
  objects.dispose();
  heap.check();
  ctx.table(result, '2. heap bytes per operation (heapUsed growth over warmed-up windows; windows with a collection left out)', rows);
}

/**
 * Full mode keeps the seed's 2,000 cycles with a spike every 10th cycle. With backing 'resizable'
 * and 'transfer' (section 5c), every spike carries the seed's 256 MB: the test as written
 * (resizable: ~0.3 s to grow and fill, ~0.15 s to close here; transfer: ~0.5 s and ~0.05 s,
 * 2 minutes for the run). With plain 'copy' (section 5a) only
 * four spikes (cycles 99, 599, 1,099, 1,599) are 256 MB and the other 196 are 8 MB: without
 * transfer every replaced buffer waits for a GC, and growing to 256 MB took 1.1-5 s here, so 200 of
 * them would take many minutes. The RSS after global.gc() is read on the 256 MB spikes and on one
 * 8 MB spike per 100 cycles (see gcEveryCycles). The per-cycle working set is 4 epochs x 2,048 objects (sizes
 * cycling over the 8 default classes, ~2.5 MB). Warm-up (200 cycles) includes the first 256 MB
 * spike, which sets the slab metadata's high-water mark.
 */
export function phaseConfig(quick: boolean, backing: BackingMode): PhaseConfig & { warmupCycles: number; sampleEvery: number } {
  const common = { epochsPerCycle: 4, objectsPerEpoch: 2_048, sizes: DEFAULT_SIZES, spikeEvery: 10, spikeBytes: 8 * MiB, bigSpikeBytes: 256 * MiB, spikeObjectSize: 768 };
  if (quick) return { ...common, cycles: 20, bigSpikeEvery: 0, bigSpikeAt: 0, gcEveryCycles: 10, warmupCycles: 10, sampleEvery: 5 };
  const full = { ...common, cycles: 2_000, gcEveryCycles: 100, warmupCycles: 200, sampleEvery: 100 };
  return backing !== 'copy' ? { ...full, bigSpikeEvery: 10, bigSpikeAt: 9 } : { ...full, bigSpikeEvery: 500, bigSpikeAt: 99 };
}

/** Bytes as MiB; null (printed '-') when not measured. */
const mb = (bytes: number): number | null => (Number.isNaN(bytes) ? null : bytes / MiB);
const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a');

function spikeRows(spikes: readonly SpikeSample[]): Row[] {
  return spikes.map((s) => ({
    cycle: s.cycle,
    'spike MB': mb(s.bytes),
    'RSS before': mb(s.rssBefore),
    'RSS peak': mb(s.rssPeak),
    'RSS after close': mb(s.rssAfterClose),
    'RSS after gc': mb(s.rssAfterGc),
    'RSS after 2nd gc': mb(s.rssAfterGc2),
    'returned: close': pct(returnedFraction(s, s.rssAfterClose)),
    'returned: gc': pct(returnedFraction(s, s.rssAfterGc)),
    'returned: 2nd gc': pct(returnedFraction(s, s.rssAfterGc2)),
    'reserved peak MB': mb(s.reservedPeak),
    'reserved after close MB': mb(s.reservedAfterClose),
    'alloc ms': s.allocMs,
    'close ms': s.closeMs,
  }));
}

/** Smallest finite value (a spike whose RSS did not grow has no returned fraction); NaN if none. */
function finiteMin(xs: readonly number[]): number {
  const finite = xs.filter(Number.isFinite);
  return finite.length === 0 ? Number.NaN : Math.min(...finite);
}

/** Distribution of returned fractions over a set of spikes (percent, via hdr-histogram). */
function returnedRow(label: string, spikes: readonly SpikeSample[]): Row {
  const at = (pick: (s: SpikeSample) => number): number[] => spikes.map((s) => returnedFraction(s, pick(s)));
  const close = at((s) => s.rssAfterClose);
  const gc = at((s) => s.rssAfterGc);
  const gc2 = at((s) => s.rssAfterGc2);
  // Minimum exact (it can be negative: RSS grew); median through hdr-histogram (negatives as 0).
  const min = (xs: number[]): string => pct(finiteMin(xs));
  const median = (xs: number[]): string => pct(summarize(xs.map((x) => x * 100)).p50 / 100);
  return {
    spikes: label,
    count: spikes.length,
    'RSS grew < 1/4 spike (left out)': close.filter((x) => !Number.isFinite(x)).length,
    'gc sampled': spikes.filter((s) => !Number.isNaN(s.rssAfterGc)).length,
    'close: min': min(close),
    'close: p50': median(close),
    'gc: min': min(gc),
    'gc: p50': median(gc),
    '2nd gc: min': min(gc2),
    '2nd gc: p50': median(gc2),
    'alloc ms p50': summarize(spikes.map((s) => s.allocMs)).p50,
    'close ms p50': summarize(spikes.map((s) => s.closeMs)).p50,
    'close ms max': summarize(spikes.map((s) => s.closeMs)).max,
    'gc ms p50': summarize(spikes.filter((s) => s.gcMs > 0).map((s) => s.gcMs)).p50,
    'spikes total s': spikes.reduce((a, s) => a + s.allocMs + s.closeMs + s.gcMs, 0) / 1e3,
  };
}

/** Section 5: sustained phase shifts, one run per backing mode. */
export function phaseSection(ctx: BenchContext, result: SuiteResult, backing: BackingMode): PhaseResult {
  const cfg = phaseConfig(ctx.quick, backing);
  const mode = `'${backing}'`;
  const tag = `5${backing === 'copy' ? 'a' : backing === 'resizable' ? 'b' : 'c'}. phase shifts, backing ${mode}`;
  globalThis.gc?.();
  const heap = createAllocator({ backing });
  const run = runPhaseShifts(heap, cfg);
  heap.check();
  if (run.failures !== 0) throw new Error(`phase shifts (${mode}): ${run.failures} null allocations or rejected frees`);
  const spikeFailures = run.spikes.reduce((a, s) => a + s.allocFailures, 0);
  if (spikeFailures !== 0) throw new Error(`phase shifts (${mode}): ${spikeFailures} failed allocations or frees in spikes`);

  const sampled = run.cooldowns.filter((s) => s.cycle % cfg.sampleEvery === 0 || s.cycle === cfg.cycles - 1);
  ctx.table(
    result,
    `${tag}: cooldown after each cycle (sampled every ${cfg.sampleEvery} cycles; on spike cycles the sample is taken after the spike)`,
    sampled.map((s) => ({ cycle: s.cycle, 'committed MB': mb(s.committedBytes), 'reserved MB': mb(s.reservedBytes), 'RSS MB': mb(s.rssBytes) })),
  );
  const big = run.spikes.filter((s) => isBigSpike(cfg, s.cycle));
  const small = run.spikes.filter((s) => !isBigSpike(cfg, s.cycle));
  // The first spike and those ending a sampled hundred, plus every big spike when they are few.
  const sampledSpike = (s: SpikeSample, i: number): boolean => i === 0 || (s.cycle + 1) % cfg.sampleEvery === 0;
  const everyBig = big.length <= 8;
  const shown = [...(everyBig ? big : big.filter(sampledSpike)), ...small.filter(sampledSpike)].sort((a, b) => a.cycle - b.cycle);
  const bigLabel = big.length === 0 ? '' : `${everyBig ? 'every' : 'sampled'} ${cfg.bigSpikeBytes / MiB} MB spike${everyBig ? '' : 's'}`;
  const smallLabel = small.length === 0 ? '' : `sampled ${cfg.spikeBytes / MiB} MB spikes`;
  const labels = [bigLabel, smallLabel].filter((l) => l !== '').join(', ');
  ctx.table(result, `${tag}: spikes (${labels}; RSS in MB)`, spikeRows(shown));

  const committed = driftOf(run.cooldowns, cfg.warmupCycles, (s) => s.committedBytes);
  const rss = driftOf(run.cooldowns, cfg.warmupCycles, (s) => s.rssBytes);
  ctx.table(result, `${tag}: share of each spike's RSS growth returned`, [
    ...(big.length > 0 ? [returnedRow(`${cfg.bigSpikeBytes / MiB} MB`, big)] : []),
    ...(small.length > 0 ? [returnedRow(`${cfg.spikeBytes / MiB} MB`, small)] : []),
  ]);
  ctx.table(result, `${tag}: drift (mean of the last tenth vs the first tenth of post-warm-up cooldowns of non-spike cycles; warm-up ${cfg.warmupCycles} cycles)`, [
    {
      cycles: cfg.cycles,
      spikes: run.spikes.length,
      'committed start MB': mb(committed.start),
      'committed end MB': mb(committed.end),
      'committed drift': pct(committed.drift),
      'committed spread': pct(committed.spread),
      'RSS start MB': mb(rss.start),
      'RSS end MB': mb(rss.end),
      'RSS drift': pct(rss.drift),
      'RSS spread': pct(rss.spread),
      seconds: run.elapsedMs / 1e3,
    },
  ]);
  const minClose = finiteMin(run.spikes.map((s) => returnedFraction(s, s.rssAfterClose)));
  const minGc2 = finiteMin(run.spikes.map((s) => returnedFraction(s, s.rssAfterGc2)));
  ctx.target(result, `phase shifts ${mode}: committed drift under 1%`, pct(committed.drift), Math.abs(committed.drift) < 0.01);
  ctx.target(result, `phase shifts ${mode}: RSS drift under 5%`, pct(rss.drift), Math.abs(rss.drift) < 0.05);
  ctx.target(
    result,
    `phase shifts ${mode}: every spike returns >= 90% of its RSS growth within the close calls`,
    `min ${pct(minClose)} (after two gc() calls: min ${pct(minGc2)})`,
    minClose >= 0.9,
  );
  return run;
}

/**
 * Section 5c: the phase shifts of a 'transfer' heap, in a child Node that has
 * ArrayBuffer.prototype.transfer (with --harmony-rab-gsab-transfer on Node 20, which lacks it by
 * default): the heap resizes by transfer and each replaced buffer is freed at once. A child of its
 * own also keeps the detached buffers (and the detached check they put on every typed-array access)
 * out of this process. Its tables and targets join this suite's.
 */
export function transferPhaseSection(ctx: BenchContext, result: SuiteResult): void {
  const native = typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer === 'function';
  const here = dirname(fileURLToPath(import.meta.url));
  const child = spawnSync(
    process.execPath,
    ['--expose-gc', ...(native ? [] : ['--harmony-rab-gsab-transfer']), '--import', 'tsx/esm', join(here, 'core-phase-child.ts')],
    { cwd: join(here, '..'), encoding: 'utf8', maxBuffer: 64 * MiB, timeout: 600_000, env: process.env },
  );
  const line = (child.stdout ?? '').split('\n').find((l) => l.startsWith(PHASE_PREFIX));
  if (child.status !== 0 || line === undefined) throw new Error(`core-phase-child failed (status ${child.status}): ${child.stderr}`);
  const sub = JSON.parse(line.slice(PHASE_PREFIX.length)) as SuiteResult;
  const flag = native ? '' : ' (node --harmony-rab-gsab-transfer)';
  for (const t of sub.tables) ctx.table(result, `${t.title}${flag}`, t.rows);
  for (const t of sub.targets) ctx.target(result, t.target, t.measured, t.met);
}
