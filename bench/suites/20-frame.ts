/**
 * @tslab/frame: a particle-burst game loop in Node, four variants side by side (plain objects, an
 * object pool, bare SoA typed arrays = the floor, tslab through the frame adapter), each in its own
 * process, at two burst sizes; then the JS heap bytes per call of tick/retire/scratch.
 */
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newResult, type BenchContext, type Row, type SuiteResult } from '../lib/context.js';
import { RESULT_PREFIX, type ChildArgs, type ChildResult, type VariantName } from '../lib/frame-protocol.js';
import { measureFrameHeapBytes } from '../lib/frame-heap-bytes.js';
import { measureScratchModes } from '../lib/frame-scratch-modes.js';

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const VARIANTS: readonly VariantName[] = ['plain', 'pool', 'soa', 'tslab'];
/** tslab epochs: particles live 60 frames, so an epoch every 8 frames keeps about 9 epochs in a 16-slot ring. */
const ADVANCE_EVERY = 8;

function runChild(args: ChildArgs): ChildResult {
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx/esm', join(benchDir, 'lib', 'frame-child.ts'), JSON.stringify(args)], {
    cwd: benchDir,
    encoding: 'utf8',
    maxBuffer: 16 * 2 ** 20,
    timeout: 600_000,
  });
  const line = (child.stdout ?? '').split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (child.status !== 0 || line === undefined) {
    throw new Error(`frame-child ${args.variant} ${args.spawns}/frame failed (status ${child.status}): ${child.stderr}`);
  }
  return JSON.parse(line.slice(RESULT_PREFIX.length)) as ChildResult;
}

function frameRow(r: ChildResult): Row {
  return {
    variant: r.name,
    live: r.live,
    'p50 ms': r.p50Ms,
    'p99 ms': r.p99Ms,
    'p999 ms': r.p999Ms,
    'max ms': r.maxMs,
    'minor GCs': r.gc.minor.count,
    'minor total/max ms': `${r.gc.minor.totalMs.toFixed(1)} / ${r.gc.minor.maxMs.toFixed(1)}`,
    'major GCs (+incr)': `${r.gc.major.count} (+${r.gc.incremental.count})`,
    'major total/max ms': `${(r.gc.major.totalMs + r.gc.incremental.totalMs).toFixed(1)} / ${Math.max(r.gc.major.maxMs, r.gc.incremental.maxMs).toFixed(1)}`,
    'RSS MB (max)': `${r.rssMB.toFixed(0)} (${r.maxRssMB.toFixed(0)})`,
    'JS heap MB': r.heapUsedMB,
    'committed MB': r.dataMB,
  };
}

export default async function frameSuite(ctx: BenchContext): Promise<SuiteResult> {
  const result = newResult('frame');
  const sizes = ctx.quick ? [500, 100] : [5_000, 1_000];
  const warmupFrames = ctx.quick ? 20 : 180;
  const frames = ctx.quick ? 60 : 1_200;
  const bySize = new Map<number, Map<VariantName, ChildResult>>();
  console.log('  (each variant runs alone in a child process, one after another; on a machine shared with other jobs the percentiles move from run to run: compare variants within one run)');

  for (const spawns of sizes) {
    const results = new Map<VariantName, ChildResult>();
    for (const variant of VARIANTS) {
      console.log(`  running ${variant} at ${spawns}/frame (${warmupFrames} warm-up + ${frames} measured frames)...`);
      results.set(variant, runChild({ variant, spawns, warmupFrames, frames, advanceEvery: ADVANCE_EVERY }));
    }
    bySize.set(spawns, results);
    ctx.table(
      result,
      `particle burst: ${spawns.toLocaleString('en-US')} spawns/frame living 60 frames, ${frames} measured frames, each variant in its own process (frame = spawn + update + kill + end of frame)`,
      [...results.values()].map(frameRow),
    );
    const t = results.get('tslab');
    if (t?.allocatorWork) {
      const w = t.allocatorWork;
      ctx.table(result, `tslab allocator work per frame at ${spawns}/frame (advanceEvery ${ADVANCE_EVERY}, ${t.advanceDeferred} deferred advances)`, [
        { part: 'total: alloc + retire + tick', 'p50 µs': w.p50Us, 'p99 µs': w.p99Us, 'max µs': w.maxUs },
        { part: `allocMany burst of ${spawns}`, 'p50 µs': w.alloc.p50Us, 'p99 µs': w.alloc.p99Us, 'max µs': w.alloc.maxUs },
        { part: 'retire the dead', 'p50 µs': w.retire.p50Us, 'p99 µs': w.retire.p99Us, 'max µs': w.retire.maxUs },
        { part: 'tick (frees them; advance + close 1 frame in 8)', 'p50 µs': w.tick.p50Us, 'p99 µs': w.tick.p99Us, 'max µs': w.tick.maxUs },
      ]);
    }
  }

  const heapRows = measureFrameHeapBytes(ctx.quick);
  ctx.table(
    result,
    'JS heap bytes per call (warmed-up windows of V8 used heap size; windows with a scavenge skipped; the lower of two passes)',
    heapRows.map((r) => ({ operation: r.operation, 'calls/window': r.callsPerWindow, windows: r.windows, 'bytes/call': r.bytesPerCall, 'min window B': r.minWindowBytes, 'max window B': r.maxWindowBytes })),
  );

  ctx.table(
    result,
    "scratch designs: N blocks per frame then tick() (ns and JS heap bytes per block, the tick's release included)",
    measureScratchModes(ctx.quick).map((r) => ({ mode: r.mode, 'blocks/frame': r.blocksPerFrame, 'ns/block': r.nsPerBlock, 'heap B/block': r.bytesPerBlock })),
  );

  const big = bySize.get(sizes[0]);
  const plain = big?.get('plain');
  const soa = big?.get('soa');
  const tslab = big?.get('tslab');
  if (plain && soa && tslab) {
    const label = `${sizes[0].toLocaleString('en-US')}/frame`;
    ctx.target(result, `tslab p99 <= plain objects p99 / 10 at ${label}`, `${tslab.p99Ms.toFixed(2)} ms vs ${plain.p99Ms.toFixed(2)} ms (ratio ${(plain.p99Ms / tslab.p99Ms).toFixed(1)}x)`, tslab.p99Ms * 10 <= plain.p99Ms);
    ctx.target(result, `tslab p99 <= 1.5x SoA floor p99 at ${label}`, `${tslab.p99Ms.toFixed(2)} ms vs ${soa.p99Ms.toFixed(2)} ms (${(tslab.p99Ms / soa.p99Ms).toFixed(2)}x)`, tslab.p99Ms <= 1.5 * soa.p99Ms);
    ctx.target(result, `tslab zero major GCs at ${label}`, `${tslab.gc.major.count} major, ${tslab.gc.incremental.count} incremental-marking steps`, tslab.gc.major.count === 0);
    const work = tslab.allocatorWork;
    if (work) ctx.target(result, `tslab allocator work (alloc + retire + tick) p99 < 0.5 ms at ${label}`, `${(work.p99Us / 1000).toFixed(3)} ms`, work.p99Us < 500);
  }
  const zeroRows = heapRows.filter((r) => r.operation === 'retire(h)' || r.operation === 'retirePtr(p)' || r.operation.startsWith('tick(): advance + close'));
  const worstZero = Math.max(...zeroRows.map((r) => r.bytesPerCall));
  ctx.target(result, 'retire, retirePtr and tick (clock off) allocate nothing on the JS heap (< 0.1 B/call)', `worst ${worstZero.toFixed(3)} B/call`, worstZero < 0.1);
  const scratchRow = heapRows.find((r) => r.operation === 'scratch(64)');
  if (scratchRow) {
    ctx.target(result, 'scratch allocates nothing on the JS heap (< 0.1 B/call)', `${scratchRow.bytesPerCall.toFixed(3)} B/call`, scratchRow.bytesPerCall < 0.1);
  }
  return result;
}
