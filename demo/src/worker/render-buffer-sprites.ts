import type { SpriteSink } from '../stores/store.js';
import { setRenderCount, type RenderView } from './protocol.js';

/**
 * The worker's sprites: each particle's position and colour in the shared render buffer, slot for
 * slot as the page's ParticleSprites would hold them (the page copies them into Pixi after the
 * frame). Swap-remove like ParticleSprites.
 */
export class RenderBufferSprites implements SpriteSink {
  private n = 0;
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly color: Uint32Array;
  readonly sync = true;

  constructor(private readonly view: RenderView) {
    this.x = view.x;
    this.y = view.y;
    this.color = view.color;
  }

  get count(): number {
    return this.n;
  }

  add(x: number, y: number, color: number): number {
    const slot = this.n++;
    this.x[slot] = x;
    this.y[slot] = y;
    this.color[slot] = color;
    return slot;
  }

  removeAt(slot: number): number {
    const last = --this.n;
    if (slot === last) return -1;
    this.x[slot] = this.x[last];
    this.y[slot] = this.y[last];
    this.color[slot] = this.color[last];
    return last;
  }

  /** Publishes the count; the frame's DONE store (seq-cst) orders it before the page reads it. */
  commit(): void {
    setRenderCount(this.view, this.n);
  }

  clear(): void {
    this.n = 0;
  }
}
