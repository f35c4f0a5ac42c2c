/**
 * One stress worker: attaches the shared heap, allocates objects of mixed sizes into the current
 * epoch, stamps each one, frees two thirds itself (random order) and sends a third to the next
 * worker through a single-producer single-consumer ring in a SharedArrayBuffer; frees what the
 * previous worker sends it. Every free of a handle it believes live must return true, and every
 * second free of the same handle false. Records each live handle it holds in `held` so the parent
 * can free them if this worker is terminated.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SlabAllocator } from '@tslab/core';

const { handle, index, workers, allocs, rings, ringSize, control, held, heldSize, seed } = workerData;
const heap = SlabAllocator.attach(handle);
const ctl = new Int32Array(control); // [started, done flags (workers), ...]
const out = { ring: new Float64Array(rings[index].data), idx: new Int32Array(rings[index].idx) };
const prev = (index + workers - 1) % workers;
const inbox = { ring: new Float64Array(rings[prev].data), idx: new Int32Array(rings[prev].idx) };
const table = new Float64Array(held); // this worker's live handles (0 = empty)
const sizes = [24, 64, 100, 128, 200, 256, 500, 768];
let r = seed >>> 0 || 1;
const rand = () => ((r ^= r << 13), (r ^= r >>> 17), (r ^= r << 5), r >>> 0);

const stats = { allocs: 0, frees: 0, remoteFrees: 0, sent: 0, refused: 0, doubleFreeRejected: 0, nulls: 0 };
const free = [];
for (let i = heldSize - 1; i >= 0; i--) free.push(i);
const slotOf = new Map();

function stamp(h, value) {
  heap.u32[heap.offset(h) >> 2] = value;
}
function verify(h, value) {
  const got = heap.u32[heap.offset(h) >> 2];
  if (got !== value) throw new Error(`worker ${index}: object ${h} stamp ${got}, expected ${value} (memory shared by two live objects)`);
}

function release(h, value, remote) {
  verify(h, value);
  if (!heap.free(h)) throw new Error(`worker ${index}: free of live handle ${h} returned false`);
  stats.frees++;
  if (remote) stats.remoteFrees++;
  // A second free of the same handle must be refused (sampled: it costs a failed CAS).
  if ((rand() & 63) === 0) {
    if (heap.free(h)) throw new Error(`worker ${index}: double free of ${h} returned true`);
    stats.doubleFreeRejected++;
  }
}

function drainInbox(limit) {
  let head = inbox.idx[0];
  const tail = Atomics.load(inbox.idx, 1);
  let n = 0;
  while (head < tail && n < limit) {
    const at = (head % ringSize) * 2;
    release(inbox.ring[at], inbox.ring[at + 1], true);
    head++;
    n++;
  }
  Atomics.store(inbox.idx, 0, head);
  return n;
}

function send(h, value) {
  const tail = out.idx[1];
  if (tail - Atomics.load(out.idx, 0) >= ringSize) return false;
  const at = (tail % ringSize) * 2;
  out.ring[at] = h;
  out.ring[at + 1] = value;
  Atomics.store(out.idx, 1, tail + 1);
  stats.sent++;
  return true;
}

function freeOneHeld() {
  if (free.length === heldSize) return;
  // Pick a random held entry: scan from a random point (the table is small).
  let i = rand() % heldSize;
  while (table[i] === 0) i = (i + 1) % heldSize;
  const h = table[i];
  const value = slotOf.get(i);
  table[i] = 0;
  free.push(i);
  release(h, value, false);
}

parentPort.postMessage({ type: 'attached', owner: heap.ownerId });
Atomics.add(ctl, 0, 1);
for (let n = 0; n < allocs; n++) {
  const size = sizes[rand() & 7];
  const h = heap.alloc(size);
  if (h === 0) {
    stats.nulls++;
    continue;
  }
  stats.allocs++;
  const value = (index << 24) | (n & 0xffffff);
  stamp(h, value);
  let crossed = false;
  if (rand() % 3 === 0) {
    // A full ring means the next worker lags: help by draining our own inbox, then try again.
    for (let attempt = 0; attempt < 4 && !(crossed = send(h, value)); attempt++) drainInbox(4096);
  }
  if (!crossed) {
    if (free.length === 0) freeOneHeld();
    const i = free.pop();
    table[i] = h;
    slotOf.set(i, value);
  }
  if (free.length < heldSize / 2 && (rand() & 1) === 0) freeOneHeld();
  if ((n & 31) === 0) drainInbox(1024);
}
// Wind down: free what is held, then drain the inbox until the previous worker is done and it is empty.
while (free.length < heldSize) freeOneHeld();
Atomics.store(ctl, 1 + index, 1);
for (let spins = 0; ; spins++) {
  const got = drainInbox(4096);
  if (got === 0 && Atomics.load(ctl, 1 + prev) === 1 && Atomics.load(inbox.idx, 1) === inbox.idx[0]) break;
  if (got === 0) Atomics.wait(ctl, 1 + prev, 0, 1);
  if (spins > 1e7) throw new Error(`worker ${index}: inbox never drained`);
}
heap.collect();
const mine = heap.statsClass(0);
heap.detach();
parentPort.postMessage({ type: 'done', stats, casAttempts: mine.casAttempts });
