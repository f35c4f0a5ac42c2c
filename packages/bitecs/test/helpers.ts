import { createAllocator, type SlabAllocator } from '@tslab/core';

/** A heap with small classes so 8..64-byte records are not rounded up to 64 bytes. */
export function smallHeap(): SlabAllocator {
  return createAllocator({ sizeClasses: [16, 24, 32, 48, 64, 96, 128, 256], slabBytes: 16384, diagnostics: true });
}

/** The values a typed array of `type` would store for `value` (reference for conversions). */
export function stored(type: 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'f64', value: number): number {
  const ctor = {
    u8: Uint8Array,
    i8: Int8Array,
    u16: Uint16Array,
    i16: Int16Array,
    u32: Uint32Array,
    i32: Int32Array,
    f32: Float32Array,
    f64: Float64Array,
  }[type];
  const a = new ctor(1);
  a[0] = value;
  return a[0];
}

/**
 * Heap bytes allocated per call of `fn`, after a warm-up: the smallest growth over several short
 * windows (real garbage shows in every window; unrelated background allocation does not).
 */
export function heapBytesPerCall(fn: () => void, calls = 200, windows = 7): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run the tests with --expose-gc (vitest.config.ts sets it)');
  for (let i = 0; i < calls * 10; i++) fn();
  let best = Infinity;
  for (let w = 0; w < windows; w++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < calls; i++) fn();
    best = Math.min(best, process.memoryUsage().heapUsed - before);
  }
  return best / calls;
}

/** Deterministic pseudo-random numbers in [0, 1) (xorshift32), so a failing run can be replayed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}
