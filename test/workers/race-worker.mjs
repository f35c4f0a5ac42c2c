/**
 * Double-free race. The handles are allocated either by the 'owner' worker (then published) or by
 * the main thread before the workers start; at the same signal both workers free every one of them
 * in the same order. Each reports how many of its frees returned true.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SlabAllocator } from '@tslab/core';

const { handle, role, count, handles, control } = workerData;
const heap = SlabAllocator.attach(handle);
const list = new Float64Array(handles);
const ctl = new Int32Array(control); // [published, ready count, go]
if (role === 'owner') {
  for (let i = 0; i < count; i++) list[i] = heap.alloc(64 + (i & 3) * 64);
  Atomics.store(ctl, 0, 1);
  Atomics.notify(ctl, 0);
} else {
  while (Atomics.load(ctl, 0) === 0) Atomics.wait(ctl, 0, 0, 10);
}
Atomics.add(ctl, 1, 1);
while (Atomics.load(ctl, 2) === 0) Atomics.wait(ctl, 2, 0, 10);
let won = 0;
for (let i = 0; i < count; i++) if (heap.free(list[i])) won++;
heap.collect();
heap.detach();
parentPort.postMessage({ won });
