/**
 * Validation of createFrameEpochs options. Programming errors throw at creation time (TypeError for
 * a wrong type or unknown key, RangeError for a number outside its range), naming the argument, the
 * value and the allowed range, so nothing has to be checked again inside the game loop.
 */

/** How `scratch()` memory is held and released at `tick()`. */
export type ScratchMode = 'auto' | 'epoch' | 'free';

export interface FrameEpochsOptions {
  /** Advance the epoch every this many frames (ticks), 1..65,535; default 1. */
  advanceEvery?: number;
  /** Read the clock for `FrameReport.tickMs` on one tick in this many, 0..65,535 (0 = never); default 16. */
  sampleEvery?: number;
  /** Initial capacity of each retire queue (it doubles when full), 1..16,777,216; default 1,024. */
  retireCapacity?: number;
  /**
   * 'epoch': scratch blocks live in one dedicated epoch opened on first use (one ring slot) and are
   * bulk-freed by `epochReset` at each tick. 'free': blocks are malloc'ed in the frame epoch and each
   * pointer is freed at the tick. 'auto' (default): the first 128 blocks of each frame as in 'free',
   * the rest as in 'epoch' (cheapest at both small and large counts, as measured).
   */
  scratchMode?: ScratchMode;
}

export interface ResolvedFrameOptions {
  advanceEvery: number;
  sampleEvery: number;
  retireCapacity: number;
  scratchMode: ScratchMode;
}

const KNOWN_KEYS: readonly string[] = ['advanceEvery', 'sampleEvery', 'retireCapacity', 'scratchMode'];

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  return typeof value;
}

function integerOption(name: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') {
    throw new TypeError(`createFrameEpochs: options.${name} must be an integer ${min}..${max}, got ${describe(value)}`);
  }
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`createFrameEpochs: options.${name} must be an integer ${min}..${max}, got ${describe(value)}`);
  }
  return value;
}

export function resolveFrameOptions(options: FrameEpochsOptions | undefined): ResolvedFrameOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`createFrameEpochs: options must be an object or undefined, got ${describe(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_KEYS.includes(key)) {
      throw new TypeError(`createFrameEpochs: unknown option ${JSON.stringify(key)} (known: ${KNOWN_KEYS.join(', ')})`);
    }
  }
  const mode: unknown = options.scratchMode;
  if (mode !== undefined && mode !== 'auto' && mode !== 'epoch' && mode !== 'free') {
    throw new TypeError(`createFrameEpochs: options.scratchMode must be 'auto', 'epoch' or 'free', got ${describe(mode)}`);
  }
  return {
    advanceEvery: integerOption('advanceEvery', options.advanceEvery, 1, 65_535, 1),
    sampleEvery: integerOption('sampleEvery', options.sampleEvery, 0, 65_535, 16),
    retireCapacity: integerOption('retireCapacity', options.retireCapacity, 1, 16_777_216, 1_024),
    scratchMode: mode ?? 'auto',
  };
}
