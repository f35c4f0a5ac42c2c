import type { SlabAllocator } from '@tslab/core';
import type { FrameEpochs } from '@tslab/frame';
import type { StorageMode } from '../settings.js';

/**
 * Where a store writes its particles' sprites: Pixi particles on the page (ParticleSprites), or the
 * shared render buffer when the simulation runs in a worker (RenderBufferSprites). Slot `i` is
 * particle `i` of the store's dense list; removal is a swap with the last slot.
 *
 * Positions and colours are per-slot typed arrays that the stores' update loops write directly,
 * read into locals once per frame: measured in Chromium (295k particles, two stores alternating
 * frames in one page, three runs), the records loop took about a fifth less time per frame (3.45
 * against 4.36 ms, 5.02 against 6.06, 3.28 against 4.23) than with a `set(slot, x, y, color)` call
 * per particle, which reloaded the sink's arrays on every iteration.
 */
export interface SpriteSink {
  readonly count: number;
  /** Per-slot x, y and colour (0xAABBGGRR, Pixi's packed particle colour). `add` may replace them. */
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly color: Uint32Array;
  /** False: the stores leave positions and colours unwritten (benchmark mode `?sync=0`). */
  readonly sync: boolean;
  /** Appends a sprite; returns its slot. */
  add(x: number, y: number, color: number): number;
  /** Swap-remove: the last sprite moves into `slot`; returns the slot it came from, or -1. */
  removeAt(slot: number): number;
  /** Once per frame, after the changes. */
  commit(): void;
  /** Removes every sprite. */
  clear(): void;
}

/** A sink that can also take a whole frame of sprites at once (the page's sprites, fed by a worker). */
export interface SpriteFrameSink extends SpriteSink {
  /** Makes the sprites exactly the first `count` entries of these per-slot arrays. */
  copyFrom(x: Float32Array, y: Float32Array, color: Uint32Array, count: number): void;
}

/**
 * One way of keeping particle state. Every mode simulates the same thing the same way (frame-based:
 * one step per frame, lifetimes counted in frames, so no clock is read per particle) and drives the
 * same shared sprites; only where the per-particle state lives differs.
 */
export interface ParticleStore {
  readonly mode: StorageMode;
  /** Live particles. */
  readonly count: number;
  /** The tslab heap and frame adapter (tslab mode only), for the overlay. */
  readonly heap: SlabAllocator | null;
  readonly frames: FrameEpochs | null;
  /** Spawns up to `n` particles at (x, y) living `life` frames; returns how many were spawned. */
  spawn(n: number, x: number, y: number, life: number): number;
  /** One simulation step: moves and ages every particle, removes the dead, writes the sprites. */
  update(): void;
  /** End of frame bookkeeping (tslab: `frames.tick()`, which frees what died this frame). */
  endFrame(): void;
  /** Removes every particle and releases the store's memory. */
  destroy(): void;
}

/** px per frame squared. */
export const GRAVITY = 0.045;
export const MIN_SPEED = 0.6;
export const MAX_SPEED = 5.2;

/**
 * Launch velocities (px per frame), drawn once. Drawing them per particle with Math.random(),
 * Math.cos and Math.sin made Chromium box a double per spawn: its heap sampling profiler put
 * 85 KiB a frame on Math.random at 5,000 spawns per frame, in every mode, enough garbage for a
 * scavenge every couple of seconds in modes that otherwise make none. A burst starts at a random
 * entry (`startBurst`) and takes consecutive ones (`nextLaunch`): 65,536 directions and speeds,
 * the speed denser towards the maximum so a burst opens like a firework shell.
 */
const LAUNCH_ENTRIES = 1 << 16;
export const LAUNCH_VX = new Float32Array(LAUNCH_ENTRIES);
export const LAUNCH_VY = new Float32Array(LAUNCH_ENTRIES);
for (let i = 0; i < LAUNCH_ENTRIES; i++) {
  const angle = Math.random() * Math.PI * 2;
  const speed = MIN_SPEED + (MAX_SPEED - MIN_SPEED) * Math.sqrt(Math.random());
  LAUNCH_VX[i] = Math.cos(angle) * speed;
  LAUNCH_VY[i] = Math.sin(angle) * speed - 1.5;
}
let launchCursor = 0;

/** Once per burst: where in the launch table it starts. */
export function startBurst(): void {
  launchCursor = (Math.random() * LAUNCH_ENTRIES) | 0;
}

/** The launch-table entry of the next particle of the burst (an integer: nothing is boxed). */
export function nextLaunch(): number {
  launchCursor = (launchCursor + 1) & (LAUNCH_ENTRIES - 1);
  return launchCursor;
}

/** Burst colours (0xRRGGBB); each burst picks the next one. */
export const PALETTE: readonly number[] = [0x4fc3f7, 0xffb74d, 0x81c784, 0xf06292, 0xba68c8, 0xfff176, 0x4dd0e1, 0xff8a65];

let paletteCursor = 0;
/** Next burst colour, 0xRRGGBB. */
export function nextBurstColor(): number {
  paletteCursor = (paletteCursor + 1) % PALETTE.length;
  return PALETTE[paletteCursor];
}

/**
 * True once a particle of `age` frames out of `life` fades: its last half. Before that its sprite
 * keeps the full-alpha colour it was spawned with (swap-removal moves the colour with the slot), so
 * update loops write the colour only for fading particles: in Node, pass 1 over 295,000 records took
 * 2.95-2.96 ms against 3.34-4.40 ms writing every colour (three runs, both loops in one process).
 */
export function fading(age: number, life: number): boolean {
  return life - age < life >> 1;
}

/** Alpha 0..255 for a particle of `age` frames out of `life`: full, then fading over the last half. */
export function fadeAlpha(age: number, life: number): number {
  const left = life - age;
  const half = life >> 1;
  return left >= half ? 255 : ((left * 255) / half) | 0;
}

/**
 * `a` when it has room for `length` elements, else a copy of it with room for at least twice as
 * many: the stores' growable typed arrays (grown while warming up, then reused every frame).
 */
export function withRoom<T extends Int32Array | Uint32Array | Float32Array | Float64Array>(a: T, length: number): T {
  if (a.length >= length) return a;
  const grown = new (a.constructor as new (n: number) => T)(Math.max(length, a.length * 2));
  grown.set(a);
  return grown;
}
