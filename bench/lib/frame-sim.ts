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

/** Deterministic LCG so every variant spawns the same particles; one module-level state, inlined by V8. */
let seed = 0x2545f491;
export function nextRandom(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 4294967296;
}
export function resetRandom(): void {
  seed = 0x2545f491;
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
