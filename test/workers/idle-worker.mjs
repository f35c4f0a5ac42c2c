/**
 * A worker for the orphan tests: attaches, allocates `count` objects into the epoch it is given,
 * publishes their handles in `handles`, then does what `mode` says until it is terminated:
 *   'hold-lock': takes the heap lock and spins inside it
 *   'spin':      spins without touching the heap (no heartbeat: its event loop never turns)
 *   'exit':      detaches and exits
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SlabAllocator } from '@tslab/core';

const { handle, count, epoch, handles, flag, mode } = workerData;
const heap = SlabAllocator.attach(handle);
const out = new Float64Array(handles);
const signal = new Int32Array(flag);
for (let i = 0; i < count; i++) {
  out[i] = heap.alloc(64 + (i % 5) * 100, epoch);
  heap.u32[heap.offset(out[i]) >> 2] = i;
}
parentPort.postMessage({ type: 'ready', owner: heap.ownerId });
if (mode === 'exit') {
  heap.detach();
} else if (mode === 'hold-lock') {
  heap.withHeapLock(() => {
    Atomics.store(signal, 0, 1);
    Atomics.notify(signal, 0);
    for (;;);
  });
} else {
  Atomics.store(signal, 0, 1);
  for (;;);
}
