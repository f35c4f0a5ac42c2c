/**
 * Field access cost by backing mode: a particle update (x, y, vx, vy, life as f32) reading and
 * writing through `heap.f32` for 'copy' backing (plain ArrayBuffer) and 'resizable' backing
 * (resizable ArrayBuffer, length-tracking views), against a plain Float32Array with the very same
 * record offsets. The three update loops are identical copies on purpose: one shared function would
 * see two typed-array kinds and go polymorphic, slowing every case (NOTES.md: measure each kind in
 * its own monomorphic function).
 */
import type { SlabAllocator } from '@tslab/core';

export const PARTICLE_BYTES = 64;
const DT = 1 / 60;
const GRAVITY = 9.8;

/** Allocates `n` particle records and returns their f32 indices (offset / 4). */
export function allocParticles(heap: SlabAllocator, n: number): { handles: Float64Array; base: Int32Array } {
  const handles = new Float64Array(n);
  const base = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const h = heap.alloc(PARTICLE_BYTES);
    if (h === 0) throw new Error(`allocParticles: heap.alloc(${PARTICLE_BYTES}) returned null at particle ${i}`);
    handles[i] = h;
  }
  // Offsets are read after every alloc is done: growth in 'copy' mode may replace views, never offsets.
  for (let i = 0; i < n; i++) base[i] = heap.offset(handles[i]) >> 2;
  const f = heap.f32;
  for (let i = 0; i < n; i++) initParticle(f, base[i], i);
  return { handles, base };
}

export function initParticle(f: Float32Array, b: number, i: number): void {
  f[b] = i % 640;
  f[b + 1] = i % 480;
  f[b + 2] = (i % 7) - 3;
  f[b + 3] = (i % 5) - 2;
  f[b + 4] = 1 + (i % 60);
}

export function updateCopy(f: Float32Array, base: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const b = base[i];
    f[b + 3] -= GRAVITY * DT;
    f[b] += f[b + 2] * DT;
    f[b + 1] += f[b + 3] * DT;
    const life = f[b + 4] - DT;
    f[b + 4] = life > 0 ? life : 60;
  }
}

export function updateResizable(f: Float32Array, base: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const b = base[i];
    f[b + 3] -= GRAVITY * DT;
    f[b] += f[b + 2] * DT;
    f[b + 1] += f[b + 3] * DT;
    const life = f[b + 4] - DT;
    f[b + 4] = life > 0 ? life : 60;
  }
}

export function updatePlain(f: Float32Array, base: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const b = base[i];
    f[b + 3] -= GRAVITY * DT;
    f[b] += f[b + 2] * DT;
    f[b + 1] += f[b + 3] * DT;
    const life = f[b + 4] - DT;
    f[b + 4] = life > 0 ? life : 60;
  }
}
