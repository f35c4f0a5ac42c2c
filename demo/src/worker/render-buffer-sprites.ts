import { ArraySprites } from '../stores/array-sprites.js';
import { setRenderCount, type RenderView } from './protocol.js';

/**
 * The worker's sprites: each particle's position and colour in the shared render buffer, slot for
 * slot as the page's ParticleSprites would hold them (the page copies them into Pixi after the
 * frame).
 */
export class RenderBufferSprites extends ArraySprites {
  constructor(private readonly view: RenderView) {
    super(view.x, view.y, view.color);
  }

  /** Publishes the count; the frame's DONE store (seq-cst) orders it before the page reads it. */
  override commit(): void {
    setRenderCount(this.view, this.n);
  }

  /** The render buffer holds MAX_PARTICLES slots, as many as a store ever keeps. */
  protected override grow(length: number): void {
    throw new RangeError(`render buffer: ${length} sprites asked for, it holds ${this.x.length}`);
  }
}
