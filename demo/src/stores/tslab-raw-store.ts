import type { SlabAllocator } from '@tslab/core';
import type { FrameEpochs } from '@tslab/frame';
import { packColor, rgbToBgr } from '../colors.js';
import { MAX_PARTICLES, type StorageMode } from '../settings.js';
import { launchRecords, RECORD_BYTES, stepRecords } from './particle-record.js';
import { nextBurstColor, startBurst, withRoom, type ParticleStore, type SpriteSink } from './store.js';
import { createTslabHeap, type TslabHeapOptions } from './tslab-heap.js';

/**
 * tslab without an ECS: each particle is one 24-byte record (particle-record.ts; a burst from one `heap.allocMany` call),
 * its handle kept in a Float64Array (handles can exceed 2^31), retired through `frames.retire` when
 * it dies. Nothing per particle is a JS object, so the garbage collector has nothing to trace: this is
 * the allocator's own cost, without bitECS's per-entity bookkeeping (compare with 'tslab').
 */
export class TslabRawStore implements ParticleStore {
  readonly mode: StorageMode = 'tslab-raw';
  readonly heap: SlabAllocator;
  readonly frames: FrameEpochs;
  /** Handle per sprite slot. */
  private handles = new Float64Array(1024);
  /**
   * Record word index (byte offset / 4) per sprite slot, kept beside the handle: it stays valid
   * while its handle is live (views may be replaced, offsets never move). One Int32 load per
   * particle is cheaper than decoding a handle (measured in Node: the update loop about a tenth
   * faster), and a word index saves the loop a shift per field (Chromium: about 5% of the update).
   */
  private words = new Int32Array(1024);
  private n = 0;
  /** Slots of the particles that died this frame (pass 1 of update). */
  private dead = new Int32Array(1024);

  constructor(
    private readonly sprites: SpriteSink,
    options: TslabHeapOptions,
  ) {
    const { heap, frames } = createTslabHeap(options);
    this.heap = heap;
    this.frames = frames;
  }

  get count(): number {
    return this.n;
  }

  spawn(n: number, x: number, y: number, life: number): number {
    const room = Math.max(0, Math.min(n, MAX_PARTICLES - this.n));
    const bgr = rgbToBgr(nextBurstColor());
    startBurst();
    const { heap, frames } = this;
    this.handles = withRoom(this.handles, this.n + room);
    this.words = withRoom(this.words, this.n + room);
    // One allocMany call for the burst: it writes the handles into the Float64Array (no handle
    // crosses a call, so nothing is boxed) slab by slab, several times cheaper than one alloc each.
    const spawned = heap.allocMany(RECORD_BYTES, this.handles, this.n, room, frames.epoch);
    // Allocation may have replaced the views: read them after it.
    const f32 = heap.f32;
    const u32 = heap.u32;
    const words = this.words;
    for (let i = this.n; i < this.n + spawned; i++) {
      words[i] = heap.offset(this.handles[i]) >> 2;
      this.sprites.add(x, y, packColor(bgr, 255));
    }
    launchRecords(f32, u32, words, this.n, this.n + spawned, x, y, life, bgr);
    this.n += spawned; // fewer than room only at maxBytes
    return spawned;
  }

  update(): void {
    const { heap, frames, sprites } = this;
    const handles = this.handles;
    const words = this.words;
    const n = this.n;
    const dead = (this.dead = withRoom(this.dead, n));
    // Pass 1 ages and moves every particle and lists the dead (retiring never replaces the views).
    const deaths = stepRecords(heap.f32, heap.u32, words, n, dead, sprites);
    // Pass 2 retires the dead, highest slot first: a swap-remove then always moves a live particle
    // (every dead one above has already gone).
    let last = n;
    for (let d = deaths - 1; d >= 0; d--) {
      const i = dead[d];
      frames.retireFrom(handles, i); // freed at this frame's tick()
      last--;
      handles[i] = handles[last];
      words[i] = words[last];
      sprites.removeAt(i);
    }
    this.n = last;
    sprites.commit();
  }

  endFrame(): void {
    this.frames.tick();
  }

  destroy(): void {
    this.sprites.clear();
    this.sprites.commit();
    for (let i = 0; i < this.n; i++) this.frames.retireFrom(this.handles, i);
    this.n = 0;
    this.frames.dispose();
    this.heap.check();
  }
}
