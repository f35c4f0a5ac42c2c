/**
 * Particle-burst variants outside the JS heap: bare structure-of-arrays typed arrays with a free
 * stack (the floor: no allocator, no handles), and tslab through the frame adapter (a 24-byte record
 * per particle in slab memory, handles, retire on death, an epoch every N frames).
 */
import { createAllocator, type SlabAllocator } from '@tslab/core';
import { createFrameEpochs, type FrameEpochs } from '@tslab/frame';
import type { Histogram } from 'hdr-histogram-js';
import { type ParticleSim, LIFE_FRAMES, GRAVITY, spawnVx, spawnVy, spawnColor, nextRandom } from './frame-sim.js';

export class SoaSim implements ParticleSim {
  readonly name = 'SoA typed arrays';
  private readonly x: Float32Array;
  private readonly y: Float32Array;
  private readonly vx: Float32Array;
  private readonly vy: Float32Array;
  private readonly color: Uint32Array;
  private readonly life: Float32Array;
  private readonly freeStack: Uint32Array;
  private freeCount: number;
  private readonly live: Uint32Array;
  private count = 0;

  constructor(private readonly capacity: number) {
    this.x = new Float32Array(capacity);
    this.y = new Float32Array(capacity);
    this.vx = new Float32Array(capacity);
    this.vy = new Float32Array(capacity);
    this.color = new Uint32Array(capacity);
    this.life = new Float32Array(capacity);
    this.freeStack = new Uint32Array(capacity);
    this.live = new Uint32Array(capacity);
    for (let i = 0; i < capacity; i++) this.freeStack[i] = capacity - 1 - i;
    this.freeCount = capacity;
  }

  frame(spawns: number): void {
    const { x, y, vx, vy, color, life, freeStack, live } = this;
    let n = this.count;
    const ox = nextRandom() * 800;
    const oy = nextRandom() * 600;
    for (let i = 0; i < spawns && this.freeCount > 0; i++) {
      const p = freeStack[--this.freeCount];
      x[p] = ox;
      y[p] = oy;
      vx[p] = spawnVx();
      vy[p] = spawnVy();
      color[p] = spawnColor();
      life[p] = LIFE_FRAMES;
      live[n++] = p;
    }
    for (let i = 0; i < n; i++) {
      const p = live[i];
      x[p] += vx[p];
      y[p] += vy[p];
      vy[p] += GRAVITY;
      if (--life[p] <= 0) {
        freeStack[this.freeCount++] = p;
        live[i] = live[n - 1];
        n--;
        i--;
      }
    }
    this.count = n;
  }

  liveCount(): number {
    return this.count;
  }

  dataBytes(): number {
    return this.capacity * (6 * 4 + 4 + 4);
  }
}

/** Record layout, in 4-byte words: x, y, vx, vy (f32), color (u32), life (f32). */
export const RECORD_BYTES = 24;
const X = 0;
const Y = 1;
const VX = 2;
const VY = 3;
const COLOR = 4;
const LIFE = 5;

/** Per-frame allocator timings in ns: the whole (alloc + retire + tick) and each part. */
export interface AllocatorWorkHistograms {
  total: Histogram;
  alloc: Histogram;
  retire: Histogram;
  tick: Histogram;
}

export interface TslabSimOptions {
  capacity: number;
  advanceEvery: number;
  /** Records the allocator's share of each frame when given. */
  allocatorWork?: AllocatorWorkHistograms;
}

export class TslabSim implements ParticleSim {
  readonly name = 'tslab (frame adapter)';
  readonly heap: SlabAllocator;
  readonly frames: FrameEpochs;
  private readonly handles: Float64Array;
  private readonly dead: Float64Array;
  private count = 0;
  private readonly work: AllocatorWorkHistograms | undefined;

  constructor(options: TslabSimOptions) {
    this.heap = createAllocator({ sizeClasses: [RECORD_BYTES, 64, 128, 256, 512, 768] });
    this.frames = createFrameEpochs(this.heap, { advanceEvery: options.advanceEvery });
    this.handles = new Float64Array(options.capacity);
    this.dead = new Float64Array(options.capacity);
    this.work = options.allocatorWork;
  }

  frame(spawns: number): void {
    const heap = this.heap;
    const frames = this.frames;
    const handles = this.handles;
    const epoch = frames.epoch;
    let n = this.count;
    const start = n;

    const t0 = performance.now();
    // A burst: one allocMany call hands out the frame's particles slab by slab.
    n += heap.allocMany(RECORD_BYTES, handles, n, Math.min(spawns, handles.length - n), epoch);
    const t1 = performance.now();

    // Views are re-read after the allocations: growing the heap replaces them.
    const f32 = heap.f32;
    const u32 = heap.u32;
    const ox = nextRandom() * 800;
    const oy = nextRandom() * 600;
    for (let i = start; i < n; i++) {
      const o = heap.offset(handles[i]) >> 2;
      f32[o + X] = ox;
      f32[o + Y] = oy;
      f32[o + VX] = spawnVx();
      f32[o + VY] = spawnVy();
      u32[o + COLOR] = spawnColor();
      f32[o + LIFE] = LIFE_FRAMES;
    }

    const dead = this.dead;
    let d = 0;
    for (let i = 0; i < n; i++) {
      const h = handles[i];
      const o = heap.offset(h) >> 2;
      f32[o + X] += f32[o + VX];
      f32[o + Y] += f32[o + VY];
      f32[o + VY] += GRAVITY;
      if (--f32[o + LIFE] <= 0) {
        dead[d++] = h;
        handles[i] = handles[n - 1];
        n--;
        i--;
      }
    }
    this.count = n;

    const t2 = performance.now();
    for (let i = 0; i < d; i++) frames.retire(dead[i]);
    const t3 = performance.now();
    frames.tick();
    const t4 = performance.now();
    const work = this.work;
    if (work !== undefined) {
      work.total.recordValue(Math.round((t1 - t0 + (t4 - t2)) * 1e6));
      work.alloc.recordValue(Math.max(1, Math.round((t1 - t0) * 1e6)));
      work.retire.recordValue(Math.max(1, Math.round((t3 - t2) * 1e6)));
      work.tick.recordValue(Math.max(1, Math.round((t4 - t3) * 1e6)));
    }
  }

  liveCount(): number {
    return this.count;
  }

  dataBytes(): number {
    return this.heap.statsGlobal().committedBytes;
  }
}
