/**
 * Core suite sections about memory: (2) heap bytes per operation, (5) sustained phase shifts with
 * 256 MB pressure spikes, for both backing modes.
 */
import { createAllocator, type BackingMode } from '@tslab/core';
import type { BenchContext, Row, SuiteResult } from './context.js';
import { heapBytesPerOp, MiB, warmUp, type Kernel } from './measure.js';
import { HandleChurn, MallocChurn, ObjectChurn } from './core-churn.js';
import { LiveHandles, emptyKernel, isLiveKernel, offsetKernel, statsGlobalKernel } from './core-heapbytes.js';
import { DEFAULT_SIZES, driftOf, returnedFraction, runPhaseShifts, type PhaseConfig, type PhaseResult } from './core-phases.js';

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
    { op: 'alloc + free', run: (u) => churn.run(u), units: 50_000, opsPerUnit: 2, target: true },
    { op: 'malloc + freePtr', run: (u) => mallocChurn.run(u), units: 50_000, opsPerUnit: 2, target: true },
    { op: 'offset', run: offsetKernel(heap, live), units: 200_000, opsPerUnit: 1, target: true },
    { op: 'isLive', run: isLiveKernel(heap, live), units: 200_000, opsPerUnit: 1, target: true },
    { op: 'statsGlobal(into)', run: statsGlobalKernel(heap), units: 50_000, opsPerUnit: 1, target: true },
    { op: 'plain objects, created and dropped (control: must show garbage)', run: (u) => objects.run(u), units: 4_096, opsPerUnit: 1, target: false },
  ];
  const rows: Row[] = [];
  for (const c of cases) {
    warmUp(c.run, c.units, ctx.quick ? 10 : 200);
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

export function phaseConfig(quick: boolean): PhaseConfig & { warmupCycles: number; sampleEvery: number } {
  return quick
    ? { cycles: 20, epochsPerCycle: 4, objectsPerEpoch: 2_048, sizes: DEFAULT_SIZES, spikeEvery: 10, spikeBytes: 256 * MiB, spikeObjectSize: 768, warmupCycles: 2, sampleEvery: 5 }
    : { cycles: 2_000, epochsPerCycle: 4, objectsPerEpoch: 2_048, sizes: DEFAULT_SIZES, spikeEvery: 10, spikeBytes: 256 * MiB, spikeObjectSize: 768, warmupCycles: 200, sampleEvery: 100 };
}

const mb = (bytes: number): number => bytes / MiB;
const pct = (x: number): string => (Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : 'n/a');

/** Section 5: sustained phase shifts, one run per backing mode. */
export function phaseSection(ctx: BenchContext, result: SuiteResult, backing: BackingMode): PhaseResult {
  const cfg = phaseConfig(ctx.quick);
  globalThis.gc?.();
  const heap = createAllocator({ backing });
  const run = runPhaseShifts(heap, cfg);
  heap.check();
  if (run.failures !== 0) throw new Error(`phase shifts (${backing}): ${run.failures} null allocations or rejected frees`);

  const sampled = run.cooldowns.filter((s) => s.cycle % cfg.sampleEvery === 0 || s.cycle === cfg.cycles - 1);
  ctx.table(
    result,
    `5${backing === 'copy' ? 'a' : 'b'}. phase shifts, backing '${backing}': cooldown after each cycle (sampled every ${cfg.sampleEvery} cycles)`,
    sampled.map((s) => ({ cycle: s.cycle, 'committed MB': mb(s.committedBytes), 'reserved MB': mb(s.reservedBytes), 'RSS MB': mb(s.rssBytes) })),
  );
  const spikesShown = run.spikes.filter((s, i) => i === 0 || (s.cycle + 1) % cfg.sampleEvery === 0);
  ctx.table(
    result,
    `5${backing === 'copy' ? 'a' : 'b'}. phase shifts, backing '${backing}': ${mb(cfg.spikeBytes)} MB spikes (sampled; RSS in MB)`,
    spikesShown.map((s) => ({
      cycle: s.cycle,
      before: mb(s.rssBefore),
      peak: mb(s.rssPeak),
      'after close': mb(s.rssAfterClose),
      'after gc': mb(s.rssAfterGc),
      'returned by close': pct(returnedFraction(s, s.rssAfterClose)),
      'returned after gc': pct(returnedFraction(s, s.rssAfterGc)),
      'reserved peak MB': mb(s.reservedPeak),
      'reserved after close MB': mb(s.reservedAfterClose),
      'close ms': s.closeMs,
    })),
  );

  const committed = driftOf(run.cooldowns, cfg.warmupCycles, (s) => s.committedBytes);
  const rss = driftOf(run.cooldowns, cfg.warmupCycles, (s) => s.rssBytes);
  const byClose = run.spikes.map((s) => returnedFraction(s, s.rssAfterClose));
  const byGc = run.spikes.map((s) => returnedFraction(s, s.rssAfterGc));
  const minOf = (xs: number[]): number => xs.reduce((a, b) => Math.min(a, b), Infinity);
  const spikeFailures = run.spikes.reduce((a, s) => a + s.allocFailures, 0);
  const summary: Row = {
    backing,
    cycles: cfg.cycles,
    spikes: run.spikes.length,
    'committed start MB': mb(committed.start),
    'committed end MB': mb(committed.end),
    'committed drift': pct(committed.drift),
    'RSS start MB': mb(rss.start),
    'RSS end MB': mb(rss.end),
    'RSS drift': pct(rss.drift),
    'RSS spread': pct(rss.spread),
    'min returned by close': pct(minOf(byClose)),
    'min returned after gc': pct(minOf(byGc)),
    'spike alloc failures': spikeFailures,
    seconds: run.elapsedMs / 1e3,
  };
  ctx.table(result, `5${backing === 'copy' ? 'a' : 'b'}. phase shifts summary (drift: mean of last tenth vs first tenth of post-warm-up cooldowns, warm-up ${cfg.warmupCycles} cycles)`, [summary]);
  ctx.target(result, `phase shifts '${backing}': committed drift under 1%`, pct(committed.drift), Math.abs(committed.drift) < 0.01);
  ctx.target(result, `phase shifts '${backing}': RSS drift under 5%`, pct(rss.drift), Math.abs(rss.drift) < 0.05);
  ctx.target(result, `phase shifts '${backing}': every spike returns >= 90% of its RSS within the close calls`, `min ${pct(minOf(byClose))} (after gc: min ${pct(minOf(byGc))})`, minOf(byClose) >= 0.9);
  return run;
}
