/**
 * Tail latency of 4,096-operation batches. The batches cycle through four mixes so the allocator's
 * slow paths (new slabs on bursts of allocations, emptied slabs on bursts of frees) are in the
 * distribution, not only the steady state:
 *   churn  : 2,048 x (free a random live object, allocate a replacement)
 *   grow   : 4,096 allocations
 *   churn
 *   shrink : 4,096 frees of random live objects
 * The working set oscillates between BASE_LIVE and BASE_LIVE + 4,096. The clock is read once per
 * batch (into a preallocated array); percentiles come from hdr-histogram-js afterwards.
 *
 * The three targets share this loop, so its calls to them are polymorphic and never inlined. A
 * handle returned across such a call is boxed (a heap number per allocation), and the scavenges
 * that garbage caused were the handle case's tail: 40 scavenges in 2,500 batches, none for the
 * floor. So a target reads and writes the id table itself, and no id crosses a call.
 */
import type { SlabAllocator } from '@tslab/core';
import { nowMs, summarize, xorshift32, type Distribution } from './measure.js';

export const BATCH_OPS = 4096;
const BASE_LIVE = 10_240;
const CAPACITY = BASE_LIVE + BATCH_OPS;
const RANDOM_TABLE = 1 << 16;

/** The operations one latency run needs from an allocator-like target. */
interface LatencyTarget {
  /** Allocates one object and writes its id to ids[index]; false = failure. */
  allocAt(ids: Float64Array, index: number): boolean;
  /** Frees the object whose id is ids[index]; false = failure. */
  freeAt(ids: Float64Array, index: number): boolean;
}

export class BatchLatency {
  private readonly ids = new Float64Array(CAPACITY);
  private readonly random = new Uint32Array(RANDOM_TABLE);
  private live = 0;
  private r = 0;
  private failed = 0;

  constructor(private readonly target: LatencyTarget, seed = 777) {
    const next = xorshift32(seed);
    for (let i = 0; i < RANDOM_TABLE; i++) this.random[i] = next();
    for (let i = 0; i < BASE_LIVE; i++) this.allocAt(this.live++);
  }

  private allocAt(index: number): void {
    if (!this.target.allocAt(this.ids, index)) this.failed++;
  }

  private freeAt(index: number): void {
    if (!this.target.freeAt(this.ids, index)) this.failed++;
  }

  private pick(): number {
    const v = this.random[this.r];
    this.r = (this.r + 1) & (RANDOM_TABLE - 1);
    return v % this.live;
  }

  /** Runs batch number `b` of the four-mix cycle. */
  batch(b: number): void {
    const ids = this.ids;
    const mix = b & 3;
    if (mix === 1) {
      for (let i = 0; i < BATCH_OPS; i++) this.allocAt(this.live++);
    } else if (mix === 3) {
      for (let i = 0; i < BATCH_OPS; i++) {
        const k = this.pick();
        this.freeAt(k);
        ids[k] = ids[--this.live];
      }
    } else {
      for (let i = 0; i < BATCH_OPS / 2; i++) {
        const k = this.pick();
        this.freeAt(k);
        this.allocAt(k);
      }
    }
  }

  /** Times `batches` batches after `warmup` untimed ones; returns nanoseconds per batch. */
  measure(batches: number, warmup: number): { ns: Distribution; failures: number } {
    // Warm-up ends on a whole cycle so the measured run starts at the steady-state working set.
    const warm = Math.ceil(warmup / 4) * 4;
    for (let b = 0; b < warm; b++) this.batch(b);
    const ns = new Float64Array(batches);
    for (let b = 0; b < batches; b++) {
      const t0 = nowMs();
      this.batch(b);
      ns[b] = (nowMs() - t0) * 1e6;
    }
    return { ns: summarize(ns, batches, 1), failures: this.failed };
  }

  dispose(): void {
    for (let i = 0; i < this.live; i++) this.target.freeAt(this.ids, i);
    this.live = 0;
  }
}

/** heap.allocInto / heap.freeFrom: alloc and free for handles kept in a Float64Array. */
export function handleTarget(heap: SlabAllocator, size: number): LatencyTarget {
  return { allocAt: (ids, i) => heap.allocInto(size, ids, i) !== 0, freeAt: (ids, i) => heap.freeFrom(ids, i) };
}

/** Pointers are small integers, so malloc's result crosses the call unboxed. */
export function mallocTarget(heap: SlabAllocator, size: number): LatencyTarget {
  return { allocAt: (ids, i) => (ids[i] = heap.malloc(size)) !== 0, freeAt: (ids, i) => heap.freePtr(ids[i]) };
}

/** The floor: a Uint32Array free stack of slot ids (ids start at 1 so 0 stays "null"). */
export function stackTarget(): LatencyTarget {
  const stack = new Uint32Array(CAPACITY + 1);
  let top = 0;
  let next = 1;
  return {
    allocAt: (ids, i) => {
      ids[i] = top > 0 ? stack[--top] : next++;
      return true;
    },
    freeAt: (ids, i) => {
      stack[top++] = ids[i];
      return true;
    },
  };
}
