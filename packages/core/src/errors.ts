import type { EpochId } from './types.js';

/** Thrown by epochAdvance / epochOpen / domain when every ring slot holds an open epoch or live objects. */
export class EpochRingFullError extends Error {
  override readonly name = 'EpochRingFullError';
  /** Epochs that still hold live objects or are open, oldest first. */
  readonly undrained: readonly EpochId[];
  constructor(undrained: readonly EpochId[], details: string) {
    super(
      `epoch ring full: all ${undrained.length} slots are open or hold live objects (${details}); ` +
        'close drained epochs, free or reset old ones, or raise epochSlots',
    );
    this.undrained = undrained;
  }
}

/** Thrown by check() on the first violated heap invariant. */
export class HeapCheckError extends Error {
  override readonly name = 'HeapCheckError';
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  return Object.prototype.toString.call(value);
}

/** Throws TypeError for a non-number / non-integer, RangeError for an integer outside [min, max]. */
export function assertInteger(name: string, value: unknown, min: number, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${name} must be an integer in ${min}..${max}, got ${show(value)}`);
  }
  if (value < min || value > max) {
    throw new RangeError(`${name} must be an integer in ${min}..${max}, got ${show(value)}`);
  }
}

export function invalid(name: string, value: unknown, allowed: string): TypeError {
  return new TypeError(`${name} must be ${allowed}, got ${show(value)}`);
}

export function outOfRange(name: string, value: unknown, allowed: string): RangeError {
  return new RangeError(`${name} must be ${allowed}, got ${show(value)}`);
}

/** The table arguments of a batch call (allocMany): a Float64Array and a range inside it. */
export function assertTableRange(table: unknown, start: unknown, count: unknown): void {
  if (!(table instanceof Float64Array)) throw invalid('table', table, 'a Float64Array');
  assertInteger('start', start, 0, table.length);
  assertInteger('count', count, 0, table.length - start);
}
