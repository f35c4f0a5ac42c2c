/**
 * Worker side of bench/suites/40-workers.ts (plain JS, so every worker runs the compiled
 * @tslab/core exactly as users would). Modes:
 *   'throughput': attach the shared heap, keep WORKING_SET live objects and churn them (free one,
 *     allocate a replacement) for durationMs; with remoteShare > 0 that share of the objects is
 *     handed to the next worker through a SharedArrayBuffer ring and freed there. Records the time
 *     of every batch of 4,096 operations (an alloc or a free is one operation).
 *   'single': a heap of its own (plain or shared), the same churn in one thread, ns per pair for
 *     `samples` samples (one isolate per kind, so neither kind's call sites see the other's class).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createAllocator, SlabAllocator } from '@tslab/core';

const WORKING_SET = 4096;
const BATCH_OPS = 4096;
const SIZE = 128;
const d = workerData;
let seed = (d.seed >>> 0) || 1;
const rand = () => ((seed ^= seed << 13), (seed ^= seed >>> 17), (seed ^= seed << 5), seed >>> 0);

function churn(heap, live, pairs) {
  let failures = 0;
  for (let i = 0; i < pairs; i++) {
    const k = rand() & (WORKING_SET - 1);
    if (!heap.free(live[k])) failures++;
    live[k] = heap.alloc(SIZE);
  }
  return failures;
}

if (d.mode === 'single') {
  const heap = createAllocator(d.kind === 'shared' ? { shared: true } : {});
  const live = new Float64Array(WORKING_SET);
  for (let i = 0; i < WORKING_SET; i++) live[i] = heap.alloc(SIZE);
  const pairs = d.pairsPerSample;
  let failures = 0;
  for (let w = 0; w < d.warmupSamples; w++) failures += churn(heap, live, pairs);
  const ns = [];
  for (let s = 0; s < d.samples; s++) {
    const t0 = performance.now();
    failures += churn(heap, live, pairs);
    ns.push(((performance.now() - t0) * 1e6) / pairs);
  }
  heap.check();
  parentPort.postMessage({ ns, failures });
} else {
  const heap = SlabAllocator.attach(d.handle);
  const ctl = new Int32Array(d.control); // [ready, go, stop]
  const out = { ring: new Float64Array(d.out.data), idx: new Int32Array(d.out.idx) };
  const inbox = d.inbox ? { ring: new Float64Array(d.inbox.data), idx: new Int32Array(d.inbox.idx) } : null;
  const ringSize = d.ringSize;
  const live = new Float64Array(WORKING_SET);
  for (let i = 0; i < WORKING_SET; i++) live[i] = heap.alloc(SIZE);
  const threshold = Math.round(d.remoteShare * 2 ** 32);
  let failures = 0;
  let ops = 0;
  let remote = 0;
  /** Frees what the other worker sent; returns the operations done. */
  const drain = () => {
    let head = inbox.idx[0];
    const tail = Atomics.load(inbox.idx, 1);
    const count = tail - head;
    while (head < tail) {
      if (!heap.free(inbox.ring[head % ringSize])) failures++;
      head++;
    }
    Atomics.store(inbox.idx, 0, head);
    ops += count;
    remote += count;
    return count;
  };
  const batchNs = new Float64Array(d.maxBatches);
  let batches = 0;
  Atomics.add(ctl, 0, 1);
  while (Atomics.load(ctl, 1) === 0) Atomics.wait(ctl, 1, 0, 5);
  const start = performance.now();
  let t0 = start;
  let sinceBatch = 0; // operations (allocs + frees, remote frees included) since the last batch mark
  let tail = 0;
  let room = 0;
  while (Atomics.load(ctl, 2) === 0) {
    const opsBefore = ops;
    // Handles for the other worker are published once per chunk (as a batch would be posted).
    if (threshold > 0) room = ringSize - (tail - Atomics.load(out.idx, 0));
    for (let i = 0; i < 256; i++) {
      const k = rand() & (WORKING_SET - 1);
      const h = live[k];
      if (threshold > 0 && rand() < threshold && room > 0) {
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
    if (threshold > 0) Atomics.store(out.idx, 1, tail);
    if (inbox) drain();
    sinceBatch += ops - opsBefore;
    if (sinceBatch >= BATCH_OPS) {
      const t = performance.now();
      if (batches < batchNs.length) batchNs[batches++] = ((t - t0) * 1e6 * BATCH_OPS) / sinceBatch;
      t0 = t;
      sinceBatch = 0;
    }
  }
  const elapsedMs = performance.now() - start;
  // Wind down: hand back what is live and what is still in the inbox.
  Atomics.add(ctl, 3, 1);
  while (Atomics.load(ctl, 3) < d.workers) Atomics.wait(ctl, 3, Atomics.load(ctl, 3), 5);
  if (inbox) drain();
  for (let i = 0; i < WORKING_SET; i++) if (!heap.free(live[i])) failures++;
  heap.collect();
  heap.detach();
  parentPort.postMessage({ ops, remote, elapsedMs, failures, batchNs: Array.from(batchNs.subarray(0, batches)) });
}
