/**
 * A frame-like churn for the slabBytes sweep: every frame spawns SPAWN objects of mixed sizes (one
 * per default size class, cycled), each living LIFE frames; the frame frees the objects spawned
 * LIFE frames ago, and every ADVANCE_EVERY frames advances the epoch and closes the previous one
 * (what a frame adapter does), so slabs are acquired, drained, cached and released continuously.
 * One unit of work = one spawned object (an alloc, a free, and its share of the epoch work).
 */
import type { SlabAllocator } from '@tslab/core';

/** Objects spawned per frame. */
export const FRAME_SPAWN = 512;
const SPAWN = FRAME_SPAWN;
const LIFE = 32;
const ADVANCE_EVERY = 4;
const SIZES = new Uint16Array([48, 96, 128, 160, 256, 320, 512, 700]);

export class FrameChurn {
  private readonly handles = new Float64Array(SPAWN * LIFE);
  private frame = 0;
  private failed = 0;
  private deferred = 0;

  constructor(private readonly heap: SlabAllocator) {}

  /** Runs enough whole frames to spawn at least `objects` objects. */
  run(objects: number): void {
    const heap = this.heap;
    const hs = this.handles;
    let failed = 0;
    for (let spawned = 0; spawned < objects; spawned += SPAWN) {
      const base = (this.frame % LIFE) * SPAWN;
      for (let i = 0; i < SPAWN; i++) {
        const old = hs[base + i];
        if (old !== 0 && !heap.free(old)) failed++;
        const h = heap.alloc(SIZES[i & 7]);
        if (h === 0) failed++;
        hs[base + i] = h;
      }
      if (++this.frame % ADVANCE_EVERY === 0) {
        const previous = heap.epochCurrent();
        if (heap.tryEpochAdvance() === -1) this.deferred++;
        else heap.epochClose(previous);
      }
    }
    this.failed += failed;
  }

  failures(): number {
    return this.failed;
  }

  /** Epoch advances refused because the ring was full (the churn keeps at most ~10 epochs live). */
  deferredAdvances(): number {
    return this.deferred;
  }

  dispose(): void {
    for (let i = 0; i < this.handles.length; i++) if (this.handles[i] !== 0) this.heap.free(this.handles[i]);
    this.handles.fill(0);
  }
}
