/**
 * Core allocator benchmarks (issue 2): alloc+free pair vs the floor and baselines, heap bytes per
 * operation, batch tail latency, diagnostics on/off, sustained phase shifts for both backing modes,
 * the slabBytes sweep and field access cost by backing mode. Single thread, one process, side by
 * side. BENCH_QUICK=1 runs tiny counts only to prove the suite runs.
 */
import type { BenchContext, SuiteResult } from '../lib/context.js';
import { newResult } from '../lib/context.js';
import { nowMs } from '../lib/measure.js';
import { diagnosticsSection, latencySection, pairSection } from '../lib/core-speed.js';
import { heapBytesSection, phaseSection, transferPhaseSection } from '../lib/core-memory.js';
import { fieldAccessSection, slabSweepSection } from '../lib/core-tuning.js';

export default async function core(ctx: BenchContext): Promise<SuiteResult> {
  const result = newResult('core');
  const sections: [string, (c: BenchContext, r: SuiteResult) => void][] = [
    ['1. alloc+free pair', pairSection],
    ['2. heap bytes per op', heapBytesSection],
    ['3. tail latency', latencySection],
    ['4. diagnostics on/off', diagnosticsSection],
    ['5a. phase shifts (copy)', (c, r) => void phaseSection(c, r, 'copy')],
    ['5b. phase shifts (resizable)', (c, r) => void phaseSection(c, r, 'resizable')],
    ['5c. phase shifts (transfer)', transferPhaseSection],
    ['6. slabBytes sweep', slabSweepSection],
    ['7. field access by backing', fieldAccessSection],
  ];
  const t0 = nowMs();
  for (const [name, run] of sections) {
    const s0 = nowMs();
    run(ctx, result);
    console.log(`  (${name}: ${((nowMs() - s0) / 1e3).toFixed(1)} s)`);
    // Leave each section's garbage behind before the next one measures.
    globalThis.gc?.();
  }
  console.log(`  core suite: ${((nowMs() - t0) / 1e3).toFixed(1)} s`);
  return result;
}
