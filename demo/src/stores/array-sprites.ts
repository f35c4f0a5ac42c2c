import type { SpriteSink } from './store.js';

/**
 * The sprites' per-slot arrays and slot bookkeeping without the Pixi objects: for running the
 * stores headless (scripts/measure-stores.ts, the paired browser benchmark).
 */
export class ArraySprites implements SpriteSink {
  private n = 0;
  x = new Float32Array(1 << 16);
  y = new Float32Array(1 << 16);
  color = new Uint32Array(1 << 16);
  readonly sync = true;

  get count(): number {
    return this.n;
  }

  add(x: number, y: number, color: number): number {
    if (this.n === this.x.length) this.grow();
    this.x[this.n] = x;
    this.y[this.n] = y;
    this.color[this.n] = color;
    return this.n++;
  }

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

  private grow(): void {
    const length = this.x.length * 2;
    const x = new Float32Array(length);
    const y = new Float32Array(length);
    const color = new Uint32Array(length);
    x.set(this.x);
    y.set(this.y);
    color.set(this.color);
    this.x = x;
    this.y = y;
    this.color = color;
  }
}
