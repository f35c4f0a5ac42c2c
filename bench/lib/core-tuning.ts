/**
 * Core suite sections about tuning: (6) the slabBytes sweep that picks the default, (7) field
 * access cost by backing mode (why 'copy' is the default).
 */
import { createAllocator, type SlabAllocator } from '@tslab/core';
import type { BenchContext, Row, SuiteResult } from './context.js';
import { compareInterleaved, MiB, type CompareOptions } from './measure.js';
import { HandleChurn, CHURN_BATCH } from './core-churn.js';
import { slowPathShare } from './core-stats.js';
import { FrameChurn, FRAME_SPAWN } from './core-frame-churn.js';
import { allocParticles, initParticle, updateCopy, updatePlain, updateResizable } from './core-fields.js';

const SLAB_SIZES = [16, 32, 64, 128, 256].map((k) => k * 1024);

/** Short samples (~0.25 ms), many of them, interleaved: see compareOptions in core-speed.ts for why. */
function options(quick: boolean): CompareOptions {
  return quick
    ? { rounds: 2, samplesPerRound: 2, sampleMs: 0.25, warmupMs: 20 }
    : { rounds: 60, samplesPerRound: 8, sampleMs: 0.25, warmupMs: 150 };
}

/** Section 6: alloc+free pair and frame-like churn at each slabBytes. */
export function slabSweepSection(ctx: BenchContext, result: SuiteResult): void {
  const heaps: SlabAllocator[] = [];
  const pairs: HandleChurn[] = [];
  const frames: FrameChurn[] = [];
  for (const slabBytes of SLAB_SIZES) {
    // Pair and frame churn get their own heaps so their slabs do not interact.
    const pairHeap = createAllocator({ slabBytes });
    const frameHeap = createAllocator({ slabBytes });
    heaps.push(pairHeap, frameHeap);
    pairs.push(new HandleChurn(pairHeap, 128, `pair ${slabBytes / 1024}K`));
    frames.push(new FrameChurn(frameHeap));
  }
  const statsBefore = heaps.map((h) => h.statsGlobal());
  const results = compareInterleaved(
    [
      ...pairs.map((k) => ({ name: k.name, run: (u: number) => k.run(u), granule: CHURN_BATCH })),
      ...frames.map((k, i) => ({ name: `frame ${SLAB_SIZES[i] / 1024}K`, run: (u: number) => k.run(u), granule: FRAME_SPAWN })),
    ],
    options(ctx.quick),
  );
  const n = SLAB_SIZES.length;
  const rows: Row[] = SLAB_SIZES.map((slabBytes, i) => {
    const frameHeap = heaps[2 * i + 1];
    const g = frameHeap.statsGlobal();
    return {
      slabBytes: `${slabBytes / 1024}K`,
      'pair ns p50': results[i].ns.p50,
      'pair slow-path allocs': slowPathShare(heaps[2 * i], statsBefore[2 * i]),
      'frame ns/object p50': results[n + i].ns.p50,
      'frame peak reserved MB': g.peakBytes / MiB,
      'frame reserved now MB': g.reservedBytes / MiB,
      'frame buffer replacements': g.viewVersion - statsBefore[2 * i + 1].viewVersion,
      'frame deferred advances': frames[i].deferredAdvances(),
    };
  });
  for (const k of [...pairs, ...frames]) {
    if (k.failures() !== 0) throw new Error(`slab sweep: ${k.failures()} failed allocations or frees`);
    k.dispose();
  }
  for (const h of heaps) h.check();
  // Score: each median relative to the best of its column, summed; the lowest score wins.
  const bestPair = Math.min(...results.slice(0, n).map((r) => r.ns.p50));
  const bestFrame = Math.min(...results.slice(n).map((r) => r.ns.p50));
  const scores = SLAB_SIZES.map((_, i) => results[i].ns.p50 / bestPair + results[n + i].ns.p50 / bestFrame);
  rows.forEach((r, i) => (r.score = scores[i]));
  // Speed first, then memory: among the sizes within 10% of the best score (closer than this shared
  // machine can resolve), the one with the smallest peak footprint wins.
  const bestScore = Math.min(...scores);
  const peaks = heaps.filter((_, k) => k % 2 === 1).map((h) => h.statsGlobal().peakBytes);
  let best = -1;
  scores.forEach((score, i) => {
    if (score <= bestScore * 1.1 && (best < 0 || peaks[i] < peaks[best])) best = i;
  });
  ctx.table(result, '6. slabBytes sweep (score = pair/best pair + frame/best frame; lower is better)', rows);
  console.log(
    `  slabBytes sweep: best ${SLAB_SIZES[best] / 1024}K (score ${scores[best].toFixed(2)}, fastest score ${bestScore.toFixed(2)}; rule: smallest peak footprint among scores within 10% of the fastest)`,
  );
}

/** Section 7: particle update through heap.f32 by backing mode, vs a plain Float32Array. */
export function fieldAccessSection(ctx: BenchContext, result: SuiteResult): void {
  const particles = 16_384;
  const copyHeap = createAllocator({ backing: 'copy' });
  const resizableHeap = createAllocator({ backing: 'resizable' });
  const copy = allocParticles(copyHeap, particles);
  const resizable = allocParticles(resizableHeap, particles);
  // Same record offsets as the 'copy' heap, in a plain Float32Array of the same length.
  const plain = new Float32Array(copyHeap.f32.length);
  for (let i = 0; i < particles; i++) initParticle(plain, copy.base[i], i);
  const results = compareInterleaved(
    [
      // One unit = one frame over every particle; views are re-read once per frame, as users must.
      { name: 'plain Float32Array', run: (frames: number) => { for (let k = 0; k < frames; k++) updatePlain(plain, copy.base, particles); } },
      { name: "tslab heap.f32, backing 'copy'", run: (frames: number) => { for (let k = 0; k < frames; k++) updateCopy(copyHeap.f32, copy.base, particles); } },
      { name: "tslab heap.f32, backing 'resizable'", run: (frames: number) => { for (let k = 0; k < frames; k++) updateResizable(resizableHeap.f32, resizable.base, particles); } },
    ],
    options(ctx.quick),
  );
  const perParticle = results.map((r) => ({ name: r.name, p50: r.ns.p50 / particles, p90: r.ns.p90 / particles, count: r.ns.count }));
  const base = perParticle[0].p50;
  ctx.table(
    result,
    `7. field access by backing mode: particle update (5 f32 fields, ${particles.toLocaleString('en-US')} particles of 64 B)`,
    perParticle.map((r) => ({ 'user data': r.name, 'ns/particle p50': r.p50, 'ns/particle p90': r.p90, 'x plain': r.p50 / base, samples: r.count })),
  );
  console.log(`  field access: 'resizable' costs ${(perParticle[2].p50 / perParticle[1].p50).toFixed(2)}x 'copy' per particle update`);
  for (let i = 0; i < particles; i++) {
    copyHeap.free(copy.handles[i]);
    resizableHeap.free(resizable.handles[i]);
  }
  copyHeap.check();
  resizableHeap.check();
}
