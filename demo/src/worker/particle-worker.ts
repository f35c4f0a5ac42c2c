/**
 * The particle simulation of the 'worker' mode, in a Web Worker: the same TslabRawStore as the
 * 'tslab-raw' mode, attached to the page's shared heap, writing sprites into the shared render
 * buffer. One frame per request from the page (see protocol.ts); the frame adapter (epoch advance
 * and close) lives here, and the page sees its epochs through its own view of the heap.
 */
import type { SharedHeap } from '@tslab/core';
import { TslabRawStore } from '../stores/tslab-raw-store.js';
import { BURSTS, burstSlot, DONE, renderView, REQUESTED, STOP, WORKER_MICROS, type WorkerInit } from './protocol.js';
import { RenderBufferSprites } from './render-buffer-sprites.js';

function run(init: WorkerInit): void {
  const control = new Int32Array(init.control);
  const slots = new Float64Array(init.control);
  const sprites = new RenderBufferSprites(renderView(init.render));
  const store = new TslabRawStore(sprites, { cadence: init.cadence, shared: true, attach: init.heap });
  let seen = 0;
  for (;;) {
    // A worker may block: it sleeps until the page asks for the next frame.
    Atomics.wait(control, REQUESTED, seen);
    if (Atomics.load(control, STOP) === 1) break;
    seen = Atomics.load(control, REQUESTED);
    const t0 = performance.now();
    const bursts = control[BURSTS];
    for (let b = 0; b < bursts; b++) {
      const at = burstSlot(b);
      store.spawn(slots[at], slots[at + 1], slots[at + 2], slots[at + 3]);
    }
    store.update();
    store.endFrame();
    slots[WORKER_MICROS] = (performance.now() - t0) * 1000;
    Atomics.store(control, DONE, seen);
  }
  // Asked to stop (the page switched modes): free every particle, check the heap, leave it.
  store.destroy();
  (store.heap as SharedHeap).detach();
  self.close();
}

self.onmessage = (event: MessageEvent<WorkerInit>) => run(event.data);
