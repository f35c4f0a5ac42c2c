export interface HeapPerOp {
  /** Heap bytes grown per operation, summed over windows without a collection (NaN when none was). */
  bytesPerOp: number;
  /** Windows whose heapUsed did not shrink (no collection inside): the ones counted. */
  windowsCounted: number;
  windows: number;
  opsPerWindow: number;
}

/** See heap-per-op.mjs. */
export function heapBytesPerOp(run: (units: number) => void, units: number, opsPerUnit: number, windows: number, warmups?: number): HeapPerOp;

/** See heap-per-op.mjs: a few one-unit calls of a kernel before its first long one. */
export function primeFeedback(run: (units: number) => void): void;
