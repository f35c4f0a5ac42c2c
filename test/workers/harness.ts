/** Shared setup for the worker tests: a shared heap, per-worker rings and tables, workers, a coordinator. */
import { Worker } from 'node:worker_threads';
import { createAllocator, type SharedHeap } from '@tslab/core';

export const RING_SIZE = 1 << 18;
export const HELD_SIZE = 4096;

export interface WorkerStats {
  allocs: number;
  frees: number;
  remoteFrees: number;
  sent: number;
  refused: number;
  doubleFreeRejected: number;
  nulls: number;
}

export interface Ring {
  data: SharedArrayBuffer;
  idx: SharedArrayBuffer;
}

export interface Run {
  heap: SharedHeap;
  workers: Worker[];
  owners: Promise<number>[];
  done: Promise<WorkerStats | null>[];
  rings: Ring[];
  held: SharedArrayBuffer[];
  control: Int32Array;
}

export function newRing(): Ring {
  return { data: new SharedArrayBuffer(RING_SIZE * 16), idx: new SharedArrayBuffer(8) };
}

/** Starts `count` stress workers on a fresh shared heap; each allocates `allocs` objects. */
export function startWorkers(count: number, allocs: number, heap: SharedHeap = createAllocator({ shared: true, epochSlots: 16 })): Run {
  const rings = Array.from({ length: count }, newRing);
  const held = Array.from({ length: count }, () => new SharedArrayBuffer(HELD_SIZE * 8));
  const controlBuffer = new SharedArrayBuffer(4 * (1 + count));
  const handle = heap.share();
  const workers: Worker[] = [];
  const owners: Promise<number>[] = [];
  const done: Promise<WorkerStats | null>[] = [];
  for (let index = 0; index < count; index++) {
    const worker = new Worker(new URL('./stress-worker.mjs', import.meta.url), {
      workerData: { handle, index, workers: count, allocs, rings, ringSize: RING_SIZE, control: controlBuffer, held: held[index], heldSize: HELD_SIZE, seed: 0x9e3779b9 ^ (index * 7919 + 1) },
    });
    owners.push(new Promise((resolve) => worker.on('message', (m: { type: string; owner: number }) => m.type === 'attached' && resolve(m.owner))));
    done.push(
      new Promise((resolve, reject) => {
        let stats: WorkerStats | null = null;
        worker.on('message', (m: { type: string; stats: WorkerStats }) => {
          if (m.type === 'done') stats = m.stats;
        });
        worker.on('error', reject);
        worker.on('exit', () => resolve(stats));
      }),
    );
    workers.push(worker);
  }
  return { heap, workers, owners, done, rings, held, control: new Int32Array(controlBuffer) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The epoch coordinator: while `running()`, advances the epoch every few ms and closes every
 * epoch older than the previous one. Returns how many epochs it advanced and closed.
 */
export async function coordinate(heap: SharedHeap, running: () => boolean): Promise<{ advanced: number; closed: number }> {
  let advanced = 0;
  let closed = 0;
  const open: number[] = [];
  while (running()) {
    await sleep(3);
    const before = heap.epochCurrent();
    if (heap.tryEpochAdvance() < 0) continue;
    advanced++;
    open.push(before);
    while (open.length > 1) {
      heap.epochClose(open.shift()!);
      closed++;
    }
  }
  for (const e of open) {
    heap.epochClose(e);
    closed++;
  }
  return { advanced, closed };
}

/** Every epoch except the current one is free (drained and released). */
export function undrainedEpochs(heap: SharedHeap): number[] {
  return heap.statsDump().epochs.filter((e) => e.epoch !== heap.epochCurrent()).map((e) => e.epoch);
}
