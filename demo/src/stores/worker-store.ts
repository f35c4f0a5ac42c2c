import type { SharedHeap, SlabAllocator } from '@tslab/core';
import type { StorageMode } from '../settings.js';
import {
  BURST_FIELDS,
  BURSTS,
  burstSlot,
  createControl,
  createRender,
  DONE,
  MAX_BURSTS,
  renderCount,
  renderView,
  REQUESTED,
  STOP,
  WORKER_MICROS,
  type RenderView,
  type WorkerInit,
} from '../worker/protocol.js';
import type { ParticleStore, SpriteFrameSink } from './store.js';
import { createParticleHeap } from './tslab-heap.js';

/**
 * 'worker' mode: the particle simulation of 'tslab-raw' runs in a Web Worker over a shared heap
 * (worker/particle-worker.ts); the page keeps only the sprites. Each frame the page copies the
 * worker's finished frame from the shared render buffer into the Pixi sprites and asks for the next
 * one, handing over the bursts queued meanwhile; when the worker has not finished, the page draws
 * what it has and asks again next frame. So the page's update time is the sprite copy, and the
 * worker runs one frame behind.
 *
 * Needs a cross-origin isolated page (SharedArrayBuffer). The page creates the heap and reads it
 * (overlay, epoch strip) through its own view; the worker allocates, frees and turns the epochs.
 */
export class WorkerStore implements ParticleStore {
  readonly mode: StorageMode = 'worker';
  readonly heap: SlabAllocator;
  readonly frames = null;
  private readonly worker: Worker;
  private readonly control: Int32Array;
  private readonly slots: Float64Array;
  private readonly render: RenderView;
  /** Bursts queued since the last request: (n, x, y, life) each. */
  private readonly pending = new Float64Array(MAX_BURSTS * BURST_FIELDS);
  private pendingCount = 0;
  private requested = 0;

  constructor(
    private readonly sprites: SpriteFrameSink,
    options: { cadence: number },
  ) {
    const heap = createParticleHeap(true) as SharedHeap;
    // The page and the worker live and die together: never presume the worker dead because its
    // view went quiet (a hidden tab stops the frames), only adopt a view that detached.
    heap.setOwnerLease(0);
    this.heap = heap;
    const control = createControl();
    const render = createRender();
    this.control = new Int32Array(control);
    this.slots = new Float64Array(control);
    this.render = renderView(render);
    this.worker = new Worker(new URL('../worker/particle-worker.ts', import.meta.url), { type: 'module', name: 'tslab particles' });
    // An error in the worker (a failed heap check included) would otherwise stay in its own console.
    this.worker.addEventListener('error', (e) => console.error(`tslab particle worker: ${e.message}`));
    const init: WorkerInit = { heap: heap.share(), control, render, cadence: options.cadence };
    this.worker.postMessage(init);
  }

  /** Particles of the last frame shown: the sprites hold exactly those. */
  get count(): number {
    return this.sprites.count;
  }

  /** The worker's time for its last frame (spawn + update + tick), in µs. */
  get workerMicros(): number {
    return this.slots[WORKER_MICROS];
  }

  spawn(n: number, x: number, y: number, life: number): number {
    if (this.pendingCount === MAX_BURSTS) return 0;
    const at = this.pendingCount++ * BURST_FIELDS;
    this.pending[at] = n;
    this.pending[at + 1] = x;
    this.pending[at + 2] = y;
    this.pending[at + 3] = life;
    return n;
  }

  update(): void {
    const control = this.control;
    if (Atomics.load(control, DONE) !== this.requested) return; // still on the last frame
    this.showFinishedFrame();
    // The worker is idle until REQUESTED moves: the burst slots are the page's to write.
    const slots = this.slots;
    for (let b = 0; b < this.pendingCount; b++) {
      const from = b * BURST_FIELDS;
      const to = burstSlot(b);
      for (let f = 0; f < BURST_FIELDS; f++) slots[to + f] = this.pending[from + f];
    }
    control[BURSTS] = this.pendingCount;
    this.pendingCount = 0;
    this.requested++;
    Atomics.store(control, REQUESTED, this.requested);
    Atomics.notify(control, REQUESTED);
  }

  endFrame(): void {}

  destroy(): void {
    // The worker finishes its frame, frees every particle, checks the heap and closes itself.
    Atomics.store(this.control, STOP, 1);
    Atomics.add(this.control, REQUESTED, 1);
    Atomics.notify(this.control, REQUESTED);
    this.sprites.clear();
    this.sprites.commit();
    // The page's view leaves too (it stops its heartbeat timer); the heap goes when both are gone.
    (this.heap as SharedHeap).detach();
  }

  /** Copies the worker's last frame into the sprites (the page's whole per-frame cost). */
  private showFinishedFrame(): void {
    const { sprites, render } = this;
    sprites.copyFrom(render.x, render.y, render.color, renderCount(render));
    sprites.commit();
  }
}
