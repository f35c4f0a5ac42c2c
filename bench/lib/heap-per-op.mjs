/**
 * A few one-unit calls of a kernel before its first long one, so that every statement of it has
 * type feedback when V8 compiles its loop on-stack (see heapBytesPerOp below for what happens
 * otherwise). Any timed or measured kernel should start with it.
 *
 * @param {(units: number) => void} run
 */
export function primeFeedback(run) {
  for (let i = 0; i < 4; i++) run(1);
}

/**
 * Heap bytes per operation, in plain JS so the workers suite's worker (plain JS, compiled
 * @tslab/core) can use the same measurement as the core suite (measure.ts re-exports it).
 *
 * The kernel must already be warmed up (an on-stack-replacement compile inside a window adds
 * ~150 KB; an interpreted frame boxes every double it handles): `warmups` more calls run first,
 * after a few calls of one unit. Those give every statement of the kernel type feedback before a
 * long call compiles its loop on-stack: otherwise the code after the loop has none, and in some
 * runs V8 kept that code and deoptimized there on every call (27-51 times under --trace-deopt),
 * each call starting over in the interpreter (the workers suite read 0.33-0.77 B/op, not 0.03).
 * The heap is collected once, then each short window reads heapUsed before and after `run(units)`.
 * Only growth is summed: a window in which a scavenge ran shows a drop and is left out (with its
 * operations), because a collection hides the garbage made before it. The reading itself
 * allocates one small result object per window, which is included (it is tiny against the
 * window's operation count; the core suite's 'empty kernel' row shows it).
 *
 * @param {(units: number) => void} run
 * @param {number} units
 * @param {number} opsPerUnit
 * @param {number} windows
 * @param {number} [warmups]
 */
export function heapBytesPerOp(run, units, opsPerUnit, windows, warmups = 2) {
  primeFeedback(run);
  for (let i = 0; i < warmups; i++) run(units);
  globalThis.gc?.();
  let grown = 0;
  let counted = 0;
  for (let w = 0; w < windows; w++) {
    const before = process.memoryUsage().heapUsed;
    run(units);
    const after = process.memoryUsage().heapUsed;
    if (after >= before) {
      grown += after - before;
      counted++;
    }
  }
  const ops = units * opsPerUnit;
  return { bytesPerOp: counted === 0 ? Number.NaN : grown / (counted * ops), windowsCounted: counted, windows, opsPerWindow: ops };
}
