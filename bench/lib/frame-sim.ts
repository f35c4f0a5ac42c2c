/** What every particle-burst variant shares: the per-frame contract and the spawn parameters. */

export interface ParticleSim {
  readonly name: string;
  /** One frame: spawn `spawns` particles, integrate all live ones, kill the dead (and end the frame). */
  frame(spawns: number): void;
  liveCount(): number;
  /** Bytes held for particle data outside the JS heap (typed arrays or the slab heap), null for JS objects. */
  dataBytes(): number | null;
}

export const LIFE_FRAMES = 60;
export const GRAVITY = 0.05;

/**
 * Deterministic LCG so every variant spawns the same particles. The state lives in a typed array: a
 * module-level `let` holding values above 2^31 would allocate a heap number on every write.
 */
const state = new Uint32Array(1);
const SEED = 0x2545f491;
state[0] = SEED;
export function nextRandom(): number {
  state[0] = Math.imul(state[0], 1664525) + 1013904223;
  return state[0] / 4294967296;
}
export function resetRandom(): void {
  state[0] = SEED;
}
export function spawnVx(): number {
  return (nextRandom() - 0.5) * 4;
}
export function spawnVy(): number {
  return (nextRandom() - 0.5) * 4 - 2;
}
export function spawnColor(): number {
  return (0xff000000 | (nextRandom() * 0xffffff)) >>> 0;
}
