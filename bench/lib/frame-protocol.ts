/** What the frame suite sends to a particle-burst child process and what it prints back. */
import type { GcSummary } from './frame-gc.js';

export type VariantName = 'plain' | 'pool' | 'soa' | 'tslab';

export interface ChildArgs {
  variant: VariantName;
  spawns: number;
  warmupFrames: number;
  frames: number;
  advanceEvery: number;
}

export interface WorkPercentiles {
  p50Us: number;
  p99Us: number;
  maxUs: number;
}

export interface ChildResult {
  variant: VariantName;
  name: string;
  spawns: number;
  frames: number;
  live: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  meanMs: number;
  gc: GcSummary;
  rssMB: number;
  maxRssMB: number;
  heapUsedMB: number;
  dataMB: number | null;
  /** tslab only: alloc + retire + tick per frame, and each part, µs. */
  allocatorWork: (WorkPercentiles & { alloc: WorkPercentiles; retire: WorkPercentiles; tick: WorkPercentiles }) | null;
  advanceDeferred: number | null;
}

export const RESULT_PREFIX = 'FRAME_RESULT ';

