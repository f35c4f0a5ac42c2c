export interface HeapPerOp {
  /** Mean heap growth per operation over the windows counted (NaN when none was). */
  bytesPerOp: number;
  windowsCounted: number;
  windows: number;
  opsPerWindow: number;
}

/** See heap-per-op.mjs. */
export function heapBytesPerOp(run: (units: number) => void, units: number, opsPerUnit: number, windows: number, warmups?: number): HeapPerOp;
