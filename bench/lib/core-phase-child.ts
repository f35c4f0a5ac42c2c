/**
 * Section 5c in its own process: phase shifts of a 'transfer' heap in a Node whose ArrayBuffer has
 * `transfer` (browsers and Node 21+ natively; Node 20 with --harmony-rab-gsab-transfer), where each
 * replaced buffer is freed at once instead of at the next GC. Prints the section's tables and
 * targets as one JSON line after PHASE_PREFIX.
 */
import { machineName, newResult, type BenchContext } from './context.js';
import { phaseSection } from './core-memory.js';

export const PHASE_PREFIX = 'PHASE_RESULT ';

if (process.argv[1]?.endsWith('core-phase-child.ts')) {
  if (typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer !== 'function') {
    throw new Error('core-phase-child: this Node has no ArrayBuffer.prototype.transfer');
  }
  const quiet: BenchContext = {
    quick: process.env.BENCH_QUICK === '1',
    machine: machineName(),
    table: (result, title, rows) => void result.tables.push({ title, rows }),
    target: (result, target, measured, met) => void result.targets.push({ target, measured, met }),
  };
  const result = newResult('phase');
  phaseSection(quiet, result, 'transfer');
  console.log(PHASE_PREFIX + JSON.stringify(result));
}
