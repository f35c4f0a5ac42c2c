/**
 * Core suite sections about speed: (1) alloc+free pair side by side with the floor and baselines,
 * (3) tail latency of 4,096-operation batches, (4) diagnostics on vs off.
 */
import { createAllocator } from '@tslab/core';
import type { BenchContext, Row, SuiteResult } from './context.js';
import { compareInterleaved, type CompareOptions } from './measure.js';
import { HandleChurn, MallocChurn, ObjectChurn, StackChurn, ThingChurn, type ChurnKernel, WORKING_SET, CHURN_BATCH } from './core-churn.js';
import { HandleFloorChurn, SlabFloorChurn } from './core-floors.js';
import { BatchLatency, BATCH_OPS, handleTarget, mallocTarget, stackTarget } from './core-latency.js';

const OBJECT_BYTES = 128;

/**
 * Full mode: `rounds` x `samplesPerRound` samples of ~0.25 ms per case, interleaved. Samples are
 * short on purpose: on this shared 2-core machine (load 8-10 from other agents) a 2 ms sample was
 * preempted more often than not, which moved medians by 2x between runs; a 0.25 ms sample is
 * usually not, and 0.25 ms is still ~5,000x the cost of the clock read.
 */
function compareOptions(quick: boolean, rounds: number, samplesPerRound = 20): CompareOptions {
  return quick
    ? { rounds: 2, samplesPerRound: 3, sampleMs: 0.25, warmupMs: 20 }
    : { rounds, samplesPerRound, sampleMs: 0.25, warmupMs: 300 };
}

function checkFailures(kernels: readonly ChurnKernel[]): void {
  for (const k of kernels) {
    if (k.failures() !== 0) throw new Error(`${k.name}: ${k.failures()} null allocations or rejected frees during the churn`);
  }
}

/** Section 1: ns per alloc+free pair, 128 B, steady state. */
export function pairSection(ctx: BenchContext, result: SuiteResult): void {
  const handleHeap = createAllocator();
  const mallocHeap = createAllocator();
  const sequentialHeap = createAllocator();
  const handleFloor = new HandleFloorChurn();
  const slabFloor = new SlabFloorChurn();
  const kernels: ChurnKernel[] = [
    new StackChurn(),
    new HandleChurn(handleHeap, OBJECT_BYTES, 'tslab alloc/free (handle)'),
    new MallocChurn(mallocHeap, OBJECT_BYTES),
    new ObjectChurn(),
    new ThingChurn(OBJECT_BYTES),
    new HandleChurn(sequentialHeap, OBJECT_BYTES, 'tslab alloc/free, sequential frees (best case, context only)', 'sequential'),
    handleFloor,
    slabFloor,
  ];
  const results = compareInterleaved(
    kernels.map((k) => ({ name: k.name, run: (units: number) => k.run(units), granule: CHURN_BATCH })),
    compareOptions(ctx.quick, 40),
  );
  checkFailures(kernels);
  for (const h of [handleHeap, mallocHeap, sequentialHeap]) h.check();
  const floor = results[0].ns.p50;
  const thing = results[4].ns.p50;
  const rows: Row[] = results.map((r, i) => ({
    implementation: r.name,
    'ns/pair p50': r.ns.p50,
    'ns/pair p90': r.ns.p90,
    'x floor': r.ns.p50 / floor,
    'thi.ng / this': thing / r.ns.p50,
    'slow-path allocs': kernels[i].slowPathShare?.() ?? null,
    samples: r.ns.count,
    'pairs/sample': r.unitsPerSample,
  }));
  ctx.table(
    result,
    `1. alloc+free pair, ${OBJECT_BYTES} B, steady state (${WORKING_SET.toLocaleString('en-US')} live, rounds of ${CHURN_BATCH} random frees then ${CHURN_BATCH} allocs; malloc(128) lands in the 192 B class)`,
    rows,
  );
  const handle = results[1].ns.p50;
  ctx.target(result, 'tslab handle pair within 3x of the bare stack', `${(handle / floor).toFixed(2)}x (${handle.toFixed(1)} vs ${floor.toFixed(1)} ns)`, handle <= 3 * floor);
  // Where the distance to the floor goes (see core-floors.ts): the contract's handles alone, then
  // per-slab free stacks, then tslab's classes, epochs and counters.
  const timesFloor = (k: ChurnKernel): string => (results[kernels.indexOf(k)].ns.p50 / floor).toFixed(2);
  console.log(`  lower bounds: generation-checked handles ${timesFloor(handleFloor)}x the floor; with per-slab free stacks ${timesFloor(slabFloor)}x; tslab ${(handle / floor).toFixed(2)}x`);
  ctx.target(result, 'tslab handle pair at least 20x faster than @thi.ng/malloc', `${(thing / handle).toFixed(1)}x (${thing.toFixed(1)} vs ${handle.toFixed(1)} ns)`, thing >= 20 * handle);
  for (const k of kernels) k.dispose();
}

/** Section 3: p50/p99/p999/max per 4,096-operation batch. */
export function latencySection(ctx: BenchContext, result: SuiteResult): void {
  const batches = ctx.quick ? 400 : 4_000;
  const warmup = ctx.quick ? 40 : 1_000;
  const handleHeap = createAllocator();
  const mallocHeap = createAllocator();
  const cases = [
    { name: 'bare Uint32Array free stack', run: new BatchLatency(stackTarget()) },
    { name: 'tslab handle (allocInto/freeFrom)', run: new BatchLatency(handleTarget(handleHeap, OBJECT_BYTES)) },
    { name: 'tslab malloc/freePtr', run: new BatchLatency(mallocTarget(mallocHeap, OBJECT_BYTES)) },
  ];
  const rows: Row[] = [];
  const measured = cases.map((c) => {
    const m = c.run.measure(batches, warmup);
    if (m.failures !== 0) throw new Error(`${c.name}: ${m.failures} failed operations in the latency run`);
    rows.push({
      implementation: c.name,
      'p50 us': m.ns.p50 / 1e3,
      'p99 us': m.ns.p99 / 1e3,
      'p999 us': m.ns.p999 / 1e3,
      'max us': m.ns.max / 1e3,
      'p999/p50': m.ns.p999 / m.ns.p50,
      'ns/op p50': m.ns.p50 / BATCH_OPS,
      batches: m.ns.count,
    });
    return m;
  });
  handleHeap.check();
  mallocHeap.check();
  for (const c of cases) c.run.dispose();
  ctx.table(result, `3. tail latency per ${BATCH_OPS.toLocaleString('en-US')}-operation batch (cycle: churn, alloc burst, churn, free burst; clock read per batch)`, rows);
  const floor = measured[0].ns;
  console.log(`  the floor's own p999/p50 is ${(floor.p999 / floor.p50).toFixed(1)}x: that much tail comes from the machine (other processes, GC), not from any allocator`);
  for (const i of [1, 2]) {
    const ns = measured[i].ns;
    ctx.target(result, `${cases[i].name}: batch p999 within 4x of p50`, `${(ns.p999 / ns.p50).toFixed(2)}x (p50 ${(ns.p50 / 1e3).toFixed(1)} us, p999 ${(ns.p999 / 1e3).toFixed(1)} us)`, ns.p999 <= 4 * ns.p50);
  }
}

/** Section 4: diagnostics on vs off, interleaved rounds, medians compared. */
export function diagnosticsSection(ctx: BenchContext, result: SuiteResult): void {
  const off = new HandleChurn(createAllocator({ diagnostics: false }), OBJECT_BYTES, 'diagnostics off');
  const on = new HandleChurn(createAllocator({ diagnostics: true }), OBJECT_BYTES, 'diagnostics on');
  const results = compareInterleaved(
    [off, on].map((k) => ({ name: k.name, run: (units: number) => k.run(units), granule: CHURN_BATCH })),
    // Fine interleaving (5 samples per turn) so load changes on the shared machine hit both alike.
    compareOptions(ctx.quick, 200, 5),
  );
  checkFailures([off, on]);
  const base = results[0].ns.p50;
  ctx.table(
    result,
    '4. diagnostics on vs off: tslab alloc+free pair, 128 B (interleaved rounds)',
    results.map((r) => ({ allocator: r.name, 'ns/pair p50': r.ns.p50, 'ns/pair p90': r.ns.p90, 'vs off': `${(((r.ns.p50 - base) / base) * 100).toFixed(1)}%`, samples: r.ns.count })),
  );
  const diff = Math.abs(results[1].ns.p50 - base) / base;
  ctx.target(result, 'diagnostics on vs off: pair medians under 5% apart', `${(diff * 100).toFixed(1)}%`, diff < 0.05);
  off.dispose();
  on.dispose();
}
