/**
 * @tslab/bitecs against bitECS 0.4 native typed-array stores, in the same run:
 * 1. the five noctjs/ecs-benchmark cases (op/s, interleaved rounds, medians);
 * 2. memory of a sparse component (ids scattered up to 1,000,000);
 * 3. a particle burst written as a bitECS world both ways (frame p50/p99, GCs, committed bytes),
 *    each store in its own process.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newResult, type BenchContext, type Row, type SuiteResult } from '../lib/context.js';
import { compareInterleaved, heapBytesPerOp, MiB, warmUp } from '../lib/measure.js';
import { buildCase, CASE_NAMES, CHURN_CASES, ITERATION_CASES, type CaseName, type StoreKind } from '../lib/ecs-cases.js';
import { measureSparse } from '../lib/ecs-sparse.js';
import { bitecsKernel, HOOK_PAIRS_PER_UNIT, heapKernel, hookKernel } from '../lib/ecs-hooks.js';
import { BURST_PREFIX, type BurstArgs, type BurstResult } from '../lib/ecs-burst.js';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const ITERATION_TARGET = 1.3;
const CHURN_TARGET = 1.1;

function storesFor(name: CaseName): StoreKind[] {
  return CHURN_CASES.includes(name) ? ['native', 'slab', 'slab+frames'] : ['native', 'slab', 'slab eid-map'];
}

/** Runs 5 steps on fresh instances of every store and checks they computed the same data. */
function checkSameWork(name: CaseName, stores: readonly StoreKind[]): void {
  const sums = stores.map((kind) => {
    const c = buildCase(name, kind);
    for (let i = 0; i < 5; i++) c.step();
    const sum = c.checksum();
    c.dispose();
    return sum;
  });
  if (sums.some((s) => s !== sums[0])) throw new Error(`${name}: stores disagree after 5 steps: ${sums.join(' / ')}`);
}

function runBurstChild(args: BurstArgs): BurstResult {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx/esm', join(benchDir, 'lib', 'ecs-burst-child.ts'), JSON.stringify(args)], {
    cwd: benchDir,
    encoding: 'utf8',
    maxBuffer: 16 * MiB,
    timeout: 900_000,
  });
  const line = (child.stdout ?? '').split('\n').find((l) => l.startsWith(BURST_PREFIX));
  if (child.status !== 0 || line === undefined) {
    throw new Error(`ecs-burst-child ${args.store} failed (status ${child.status}): ${child.stderr}`);
  }
  return JSON.parse(line.slice(BURST_PREFIX.length)) as BurstResult;
}

export default async function ecsSuite(ctx: BenchContext): Promise<SuiteResult> {
  const result = newResult('ecs');

  // ---- 1. noctjs/ecs-benchmark cases ----
  // Many short interleaved samples (100 per store): with 10 samples of 50 ms, the churn ratios
  // moved between 1.04x and 1.18x from one run to the next on this shared machine.
  // bitECS makes garbage on every add and remove, and not the same amount with each store (its
  // observers' notify allocates; slab components bypass it). Each store's turn starts with an empty
  // young generation, so a store pays for its own scavenges, not for the previous store's garbage.
  const compare = ctx.quick
    ? { rounds: 2, samplesPerRound: 1, sampleMs: 25, warmupMs: 20, settleYoungGeneration: true }
    : { rounds: 20, samplesPerRound: 5, sampleMs: 10, warmupMs: 300, settleYoungGeneration: true };
  const rows: Row[] = [];
  for (const name of CASE_NAMES) {
    const stores = storesFor(name);
    checkSameWork(name, stores);
    const instances = stores.map((kind) => buildCase(name, kind));
    const timed = compareInterleaved(
      instances.map((c, i) => ({
        name: stores[i],
        run: (units: number) => {
          for (let u = 0; u < units; u++) c.step();
        },
      })),
      compare,
    );
    const opsPerSec = timed.map((t) => 1e9 / t.ns.p50);
    const slowdown = opsPerSec[0] / opsPerSec[1];
    const third = (kind: StoreKind): number | null => (stores[2] === kind ? opsPerSec[2] : null);
    const framesOps = third('slab+frames');
    const eidMapOps = third('slab eid-map');
    rows.push({
      case: name,
      'native op/s': Math.round(opsPerSec[0]),
      'slab op/s': Math.round(opsPerSec[1]),
      'native/slab': slowdown,
      'slab+frames op/s': framesOps === null ? null : Math.round(framesOps),
      'native/(slab+frames)': framesOps === null ? null : opsPerSec[0] / framesOps,
      'slab eid-map op/s': eidMapOps === null ? null : Math.round(eidMapOps),
      'native/(slab eid-map)': eidMapOps === null ? null : opsPerSec[0] / eidMapOps,
      'native storage KiB': instances[0].storageBytes() / 1024,
      'slab storage KiB': instances[1].storageBytes() / 1024,
    });
    instances.forEach((c) => c.dispose());
    const limit = ITERATION_CASES.includes(name) ? ITERATION_TARGET : CHURN_TARGET;
    ctx.target(result, `${name}: slab within ${limit}x of native op/s`, `${slowdown.toFixed(2)}x slower`, slowdown <= limit);
  }
  ctx.table(result, 'noctjs/ecs-benchmark cases, bitECS 0.4 (op/s: median of interleaved samples; storage after the run)', rows);

  // ---- 1b. the store's own add/remove cost ----
  const kernels = [
    { name: 'heap.alloc(8) + heap.free (floor)', run: heapKernel() },
    { name: 'slab add + remove hooks', run: hookKernel(false) },
    { name: 'slab add + remove hooks, frames (retire + tick)', run: hookKernel(true) },
    { name: 'bitECS addComponent + removeComponent, native store', run: bitecsKernel('native') },
    { name: 'bitECS addComponent + removeComponent, slab store', run: bitecsKernel('slab') },
  ];
  const hookTimes = compareInterleaved(kernels, compare);
  ctx.table(
    result,
    "Cost per add+remove pair: the store alone (its hooks called directly), then whole bitECS calls (1,000 entities per round)",
    kernels.map((k, i) => {
      warmUp(k.run, 1, ctx.quick ? 20 : 500); // re-warm this exact kernel: a recompile inside a window shows as garbage
      const bytes = heapBytesPerOp(k.run, ctx.quick ? 2 : 20, HOOK_PAIRS_PER_UNIT, ctx.quick ? 3 : 20);
      return {
        path: k.name,
        'ns per pair (p50)': hookTimes[i].ns.p50 / HOOK_PAIRS_PER_UNIT,
        'ns per pair (best)': hookTimes[i].ns.min / HOOK_PAIRS_PER_UNIT,
        'JS heap bytes per pair': bytes.bytesPerOp,
      };
    }),
  );

  // ---- 2. sparse ids ----
  const sparse = ctx.quick ? measureSparse(100, 100_000) : measureSparse(1_000, 1_000_000);
  ctx.table(result, `Sparse component: ${sparse.live.toLocaleString('en-US')} live entities, ids up to ${sparse.maxId.toLocaleString('en-US')} ({ x: f32, y: f32, life: u16 })`, [
    { store: 'native typed arrays (length max id + 1)', KiB: sparse.nativeBytes / 1024 },
    { store: 'slab records (16-byte class, + sink)', KiB: sparse.slabRecordBytes / 1024 },
    { store: 'slab eid map (directory + pools)', KiB: sparse.slabMapBytes / 1024 },
    { store: 'slab heap committed (slab + metadata)', KiB: sparse.heapCommittedBytes / 1024 },
  ]);

  // ---- 3. particle burst ----
  const base = ctx.quick
    ? { spawns: 200, life: 10, warmupFrames: 10, frames: 40, advanceEvery: 4 }
    : { spawns: 5_000, life: 60, warmupFrames: 120, frames: 1_200, advanceEvery: 8 };
  const burst: BurstResult[] = [];
  for (const store of ['native', 'slab'] as const) {
    console.log(`  particle burst, ${store} store: ${base.spawns}/frame x ${base.life} frames, ${base.warmupFrames} + ${base.frames} frames...`);
    burst.push(runBurstChild({ store, ...base }));
  }
  ctx.table(
    result,
    `Particle burst as a bitECS world: ${base.spawns.toLocaleString('en-US')} spawns/frame living ${base.life} frames, ${base.frames} measured frames (own process each)`,
    burst.map((b) => ({
      store: b.store,
      live: b.live,
      'max eid': b.maxEid,
      'p50 ms': b.p50Ms,
      'p99 ms': b.p99Ms,
      'max ms': b.maxMs,
      'minor GCs': b.minorGcs,
      'major GCs': b.majorGcs,
      'GC ms (max)': `${b.gcMs.toFixed(0)} (${b.maxGcMs.toFixed(1)})`,
      'storage MiB': b.storageBytes / MiB,
      'committed MiB': b.committedBytes === null ? null : b.committedBytes / MiB,
      'live records MiB': b.liveRecordBytes === null ? null : b.liveRecordBytes / MiB,
      'eid map MiB': b.mapBytes === null ? null : b.mapBytes / MiB,
      'RSS MiB': b.rssMB,
    })),
  );
  const slab = burst[1];
  const bound = 1.5 * (slab.liveRecordBytes ?? 0) + (slab.cacheBoundBytes ?? 0);
  ctx.target(
    result,
    'burst: committed <= 1.5 x live record bytes + slabBytes x classes x cacheSlabs',
    `${((slab.committedBytes ?? 0) / MiB).toFixed(1)} MiB <= ${(bound / MiB).toFixed(1)} MiB (live records ${((slab.liveRecordBytes ?? 0) / MiB).toFixed(1)} MiB)`,
    (slab.committedBytes ?? Infinity) <= bound,
  );
  return result;
}
