/**
 * One particle-burst variant in its own process (so GC counts, RSS and JIT state of one variant do
 * not leak into another): warm up, force a GC, run the measured frames yielding to the event loop
 * between frames (so GC entries arrive), print one JSON line prefixed with FRAME_RESULT.
 * Usage: node --expose-gc --import tsx/esm lib/frame-child.ts '{"variant":"tslab","spawns":5000,...}'
 */
import { performance } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { build, type Histogram } from 'hdr-histogram-js';
import { GcCollector } from './frame-gc.js';
import { type ParticleSim, LIFE_FRAMES, resetRandom } from './frame-sim.js';
import { ObjectPoolSim, PlainObjectsSim } from './frame-particles-js.js';
import { SoaSim, TslabSim, type AllocatorWorkHistograms } from './frame-particles-typed.js';
import { RESULT_PREFIX, type ChildArgs, type ChildResult, type WorkPercentiles } from './frame-protocol.js';

function makeSim(args: ChildArgs, work: AllocatorWorkHistograms): ParticleSim {
  const capacity = args.spawns * (LIFE_FRAMES + 2);
  switch (args.variant) {
    case 'plain':
      return new PlainObjectsSim();
    case 'pool':
      return new ObjectPoolSim(capacity);
    case 'soa':
      return new SoaSim(capacity);
    case 'tslab':
      return new TslabSim({ capacity, advanceEvery: args.advanceEvery, allocatorWork: work });
  }
}

function percentilesUs(h: Histogram): WorkPercentiles {
  return { p50Us: h.getValueAtPercentile(50) / 1000, p99Us: h.getValueAtPercentile(99) / 1000, maxUs: h.maxValue / 1000 };
}

function summarize(work: AllocatorWorkHistograms): NonNullable<ChildResult['allocatorWork']> {
  return { ...percentilesUs(work.total), alloc: percentilesUs(work.alloc), retire: percentilesUs(work.retire), tick: percentilesUs(work.tick) };
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as ChildArgs;
  const gc = globalThis.gc;
  if (typeof gc !== 'function') throw new Error('frame-child: run under node --expose-gc');
  resetRandom();
  const frameUs = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const nsHistogram = () => build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000_000, numberOfSignificantValueDigits: 3 });
  const work: AllocatorWorkHistograms = { total: nsHistogram(), alloc: nsHistogram(), retire: nsHistogram(), tick: nsHistogram() };
  const sim = makeSim(args, work);

  for (let f = 0; f < args.warmupFrames; f++) {
    sim.frame(args.spawns);
    await nextTurn();
  }
  for (const h of Object.values(work)) h.reset();
  gc();
  await nextTurn();

  const collector = new GcCollector();
  collector.start();
  for (let f = 0; f < args.frames; f++) {
    const t0 = performance.now();
    sim.frame(args.spawns);
    const t1 = performance.now();
    frameUs.recordValue(Math.max(1, Math.round((t1 - t0) * 1000)));
    await nextTurn();
  }
  collector.stop();
  const memory = process.memoryUsage();
  const gcSummary = await collector.finish();

  const tslab = sim instanceof TslabSim ? sim : null;
  const result: ChildResult = {
    variant: args.variant,
    name: sim.name,
    spawns: args.spawns,
    frames: args.frames,
    live: sim.liveCount(),
    p50Ms: frameUs.getValueAtPercentile(50) / 1000,
    p99Ms: frameUs.getValueAtPercentile(99) / 1000,
    p999Ms: frameUs.getValueAtPercentile(99.9) / 1000,
    maxMs: frameUs.maxValue / 1000,
    meanMs: frameUs.mean / 1000,
    gc: gcSummary,
    rssMB: memory.rss / 2 ** 20,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    heapUsedMB: memory.heapUsed / 2 ** 20,
    dataMB: sim.dataBytes() === null ? null : (sim.dataBytes() ?? 0) / 2 ** 20,
    allocatorWork: tslab === null ? null : summarize(work),
    advanceDeferred: tslab === null ? null : tslab.frames.report.advanceDeferred,
  };
  if (tslab !== null) tslab.heap.check();
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

await main();
