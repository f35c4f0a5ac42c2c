import { withRoom, type SpriteSink } from './store.js';

/**
 * Sprites as per-slot arrays (x, y, colour) with swap-remove: the slot bookkeeping every sink
 * shares. Used as it is to run the stores headless (scripts/measure-stores.ts, the paired browser
 * benchmark); the page's ParticleSprites adds the Pixi objects, the worker's RenderBufferSprites
 * puts the arrays in the shared render buffer.
 */
export class ArraySprites implements SpriteSink {
  protected n = 0;
  x: Float32Array;
  y: Float32Array;
  color: Uint32Array;
  /** False: the stores leave the arrays unwritten (benchmark mode `?sync=0`). */
  sync = true;

  constructor(x: Float32Array = new Float32Array(1024), y: Float32Array = new Float32Array(1024), color: Uint32Array = new Uint32Array(1024)) {
    this.x = x;
    this.y = y;
    this.color = color;
  }

  get count(): number {
    return this.n;
  }

  /** Appends a sprite; returns its slot. */
  add(x: number, y: number, color: number): number {
    const slot = this.n;
    if (slot === this.x.length) this.grow(slot * 2);
    this.x[slot] = x;
    this.y[slot] = y;
    this.color[slot] = color;
    this.n = slot + 1;
    return slot;
  }

  /** Swap-remove: the last sprite's data moves into `slot`; returns the slot it came from, or -1. */
  removeAt(slot: number): number {
    const last = --this.n;
    if (last === slot) return -1;
    this.x[slot] = this.x[last];
    this.y[slot] = this.y[last];
    this.color[slot] = this.color[last];
    return last;
  }

  commit(): void {}

  clear(): void {
    this.n = 0;
  }

  /** Makes room for `length` slots (replacing the arrays). */
  protected grow(length: number): void {
    this.x = withRoom(this.x, length);
    this.y = withRoom(this.y, length);
    this.color = withRoom(this.color, length);
  }
}
