import type { SpriteSink } from '../stores/store.js';
import { setRenderCount, type RenderView } from './protocol.js';

/**
 * The worker's sprites: each particle's position and colour in the shared render buffer, slot for
 * slot as the page's ParticleSprites would hold them (the page copies them into Pixi after the
 * frame). Swap-remove like ParticleSprites.
 */
export class RenderBufferSprites implements SpriteSink {
  private n = 0;

  constructor(private readonly view: RenderView) {}

  get count(): number {
    return this.n;
  }

  add(x: number, y: number, color: number): number {
    const slot = this.n++;
    this.set(slot, x, y, color);
    return slot;
  }

  removeAt(slot: number): number {
    const last = --this.n;
    if (slot === last) return -1;
    const v = this.view;
    v.x[slot] = v.x[last];
    v.y[slot] = v.y[last];
    v.color[slot] = v.color[last];
    return last;
  }

  set(slot: number, x: number, y: number, color: number): void {
    const v = this.view;
    v.x[slot] = x;
    v.y[slot] = y;
    v.color[slot] = color;
  }

  /** Publishes the count; the frame's DONE store (seq-cst) orders it before the page reads it. */
  commit(): void {
    setRenderCount(this.view, this.n);
  }

  clear(): void {
    this.n = 0;
  }
}
