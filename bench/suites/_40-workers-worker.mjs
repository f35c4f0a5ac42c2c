/**
 * Worker side of bench/suites/40-workers.ts (plain JS, so every worker runs the compiled
 * @tslab/core exactly as users would). Modes:
 *   'throughput': attach the shared heap (or, with `floor`, build the minimal allocator of
 *     _40-workers-floor.mjs), keep WORKING_SET live objects and churn them (free one,
 *     allocate a replacement) for durationMs; with remoteShare > 0 that share of the objects is
 *     handed to the next worker through a SharedArrayBuffer ring and freed there. Records the time
 *     of every batch of 4,096 operations (an alloc or a free is one operation).
 *   'single': a heap of its own (plain or shared), the same churn in one thread, ns per pair for
 *     `samples` samples (one isolate per kind, so neither kind's call sites see the other's class;
 *     the two kinds' workers take turns sample by sample).
 *   'heapbytes': JS heap bytes per operation on a shared heap: alloc+free by its owner, and a
 *     second view's remote free of the owner's object + the owner's replacement alloc.
 *
 * The loops keep their state in locals and typed arrays, never in module-level variables: those
 * live in a context, where an int32 outside the Smi range (the xorshift state, half the time) is
 * boxed on every store. That made one worker of the remote-frees case allocate about 5 bytes per
 * operation (a scavenge every 30 ms, measured with the sampling heap profiler) in some runs and
 * not in others, depending on how V8 compiled the loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createAllocator, SlabAllocator } from '@tslab/core';
import { heapBytesPerOp, primeFeedback } from '../lib/heap-per-op.mjs';
import { FloorHeap } from './_40-workers-floor.mjs';

const WORKING_SET = 4096;
const BATCH_OPS = 4096;
const CHUNK = 256;
const SIZE = 128;
const d = workerData;

/** Xorshift32 state, carried between calls in a typed array (no boxing). */
const seedBox = new Int32Array([d.seed | 0 || 1]);

/** Frees what the other worker sent; counts into stats [ops, remote, failures]. */
function drain(heap, inbox, ringSize, stats) {
  let head = inbox.idx[0];
  const tail = Atomics.load(inbox.idx, 1);
  const count = tail - head;
  let failures = 0;
  while (head < tail) {
    if (!heap.free(inbox.ring[head % ringSize])) failures++;
    head++;
  }
  Atomics.store(inbox.idx, 0, head);
  stats[0] += count;
  stats[1] += count;
  stats[2] += failures;
}

/**
 * One chunk of CHUNK iterations: free a random live object (or hand it to the next worker with
 * probability threshold / 2^32 while the ring has room) and allocate its replacement. Returns the
 * new ring tail; counts into stats [ops, remote, failures].
 */
function chunk(heap, live, out, tail, room, threshold, ringSize, stats) {
  let s = seedBox[0];
  let ops = 0;
  let failures = 0;
  for (let i = 0; i < CHUNK; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const k = s & (WORKING_SET - 1);
    const h = live[k];
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    if (room > 0 && s >>> 0 < threshold) {
      out.ring[tail % ringSize] = h;
      tail++;
      room--;
    } else {
      if (!heap.free(h)) failures++;
      ops++;
    }
    live[k] = heap.alloc(SIZE);
    ops++;
  }
  seedBox[0] = s;
  stats[0] += ops;
  stats[2] += failures;
  return tail;
}

function throughput() {
  // d.floor: the same loop on the minimal allocator of _40-workers-floor.mjs (one class per isolate).
  const heap = d.floor ? new FloorHeap(d.floor, d.index, d.floorChecksRemote) : SlabAllocator.attach(d.handle);
  const ctl = new Int32Array(d.control); // [ready, go, stop, done, measuring]
  const out = { ring: new Float64Array(d.out.data), idx: new Int32Array(d.out.idx) };
  const inbox = d.inbox ? { ring: new Float64Array(d.inbox.data), idx: new Int32Array(d.inbox.idx) } : null;
  const ringSize = d.ringSize;
  const live = new Float64Array(WORKING_SET);
  for (let i = 0; i < WORKING_SET; i++) live[i] = heap.alloc(SIZE);
  const threshold = Math.round(d.remoteShare * 2 ** 32);
  /** [operations, remote frees, failed frees] */
  const stats = new Float64Array(3);
  const batchNs = new Float64Array(d.maxBatches);
  let batches = 0;
  Atomics.add(ctl, 0, 1);
  while (Atomics.load(ctl, 1) === 0) Atomics.wait(ctl, 1, 0, 5);
  // The loop runs unmeasured until the main thread raises `measuring`: by then every path (handoff
  // and remote frees included) is optimized, in every worker alike, so the timed window holds no
  // JIT warm-up (two workers otherwise compile on cores they are also running on).
  let measuring = false;
  let start = performance.now();
  let t0 = start;
  let sinceBatch = 0; // operations (allocs + frees, remote frees included) since the last batch mark
  let tail = 0;
  while (Atomics.load(ctl, 2) === 0) {
    if (!measuring && Atomics.load(ctl, 4) === 1) {
      measuring = true;
      stats[0] = 0;
      stats[1] = 0;
      start = t0 = performance.now();
      sinceBatch = 0;
    }
    const opsBefore = stats[0];
    // Handles for the other worker are published once per chunk (as a batch would be posted).
    const room = threshold > 0 ? ringSize - (tail - Atomics.load(out.idx, 0)) : 0;
    tail = chunk(heap, live, out, tail, room, threshold, ringSize, stats);
    if (threshold > 0) Atomics.store(out.idx, 1, tail);
    if (inbox) drain(heap, inbox, ringSize, stats);
    sinceBatch += stats[0] - opsBefore;
    if (sinceBatch >= BATCH_OPS) {
      const t = performance.now();
      if (measuring && batches < batchNs.length) batchNs[batches++] = ((t - t0) * 1e6 * BATCH_OPS) / sinceBatch;
      t0 = t;
      sinceBatch = 0;
    }
  }
  const elapsedMs = performance.now() - start;
  // Wind down: hand back what is live and what is still in the inbox.
  Atomics.add(ctl, 3, 1);
  while (Atomics.load(ctl, 3) < d.workers) Atomics.wait(ctl, 3, Atomics.load(ctl, 3), 5);
  if (inbox) drain(heap, inbox, ringSize, stats);
  for (let i = 0; i < WORKING_SET; i++) if (!heap.free(live[i])) stats[2]++;
  heap.collect();
  heap.detach();
  parentPort.postMessage({ ops: stats[0], remote: stats[1], elapsedMs, failures: stats[2], batchNs: Array.from(batchNs.subarray(0, batches)) });
}

function single() {
  const heap = createAllocator(d.kind === 'shared' ? { shared: true } : {});
  const live = new Float64Array(WORKING_SET);
  for (let i = 0; i < WORKING_SET; i++) live[i] = heap.alloc(SIZE);
  const pairs = d.pairsPerSample;
  const stats = new Float64Array(3);
  // Turns: the two kinds' workers take turns through turn[0] (even: worker 0, odd: worker 1), so
  // sample i of each kind runs back to back under the same machine state.
  const turn = new Int32Array(d.turn);
  const step = (work) => {
    for (;;) {
      const t = Atomics.load(turn, 0);
      if ((t & 1) === d.turnIndex) break;
      Atomics.wait(turn, 0, t);
    }
    work();
    Atomics.add(turn, 0, 1);
    Atomics.notify(turn, 0);
  };
  primeFeedback((n) => crossChurn(heap, heap, live, n, stats));
  for (let w = 0; w < d.warmupSamples; w++) step(() => crossChurn(heap, heap, live, pairs, stats));
  const ns = [];
  for (let s = 0; s < d.samples; s++) {
    step(() => {
      const t0 = performance.now();
      crossChurn(heap, heap, live, pairs, stats);
      ns.push(((performance.now() - t0) * 1e6) / pairs);
    });
  }
  heap.check();
  parentPort.postMessage({ ns, failures: stats[2] });
}

/**
 * `pairs` times: `freer` frees a random object of `live` and `owner` allocates its replacement
 * (the same heap for an ordinary churn); failed frees count into stats[2]. The xorshift steps are
 * written out as in chunk(): a helper returning the state would box it whenever V8 did not inline it.
 */
function crossChurn(owner, freer, live, pairs, stats) {
  let s = seedBox[0];
  let failures = 0;
  for (let i = 0; i < pairs; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const k = s & (WORKING_SET - 1);
    if (!freer.free(live[k])) failures++;
    live[k] = owner.alloc(SIZE);
  }
  seedBox[0] = s;
  stats[2] += failures;
}

function heapBytes() {
  const owner = createAllocator({ shared: true });
  const other = SlabAllocator.attach(owner.share());
  const live = new Float64Array(WORKING_SET);
  for (let i = 0; i < WORKING_SET; i++) live[i] = owner.alloc(SIZE);
  const stats = new Float64Array(3);
  const units = 51_200;
  const own = heapBytesPerOp((n) => crossChurn(owner, owner, live, n, stats), units, 2, d.windows, d.warmups);
  const remote = heapBytesPerOp((n) => crossChurn(owner, other, live, n, stats), units, 2, d.windows, d.warmups);
  for (let i = 0; i < WORKING_SET; i++) if (!owner.free(live[i])) stats[2]++;
  other.detach();
  owner.collect();
  owner.check();
  owner.detach();
  parentPort.postMessage({ own, remote, failures: stats[2] });
}

if (d.mode === 'single') single();
else if (d.mode === 'heapbytes') heapBytes();
else throughput();
