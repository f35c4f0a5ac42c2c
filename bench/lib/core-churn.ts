/**
 * Steady-state alloc+free churn kernels for the core benchmark: a working set of live objects in
 * which each round frees CHURN_BATCH randomly chosen objects and then allocates CHURN_BATCH
 * replacements. One unit of work = one alloc+free pair. Every implementation runs the same index
 * sequence; each kernel is its own function so V8's feedback for one never pollutes another.
 *
 * Every kernel counts failures (null allocations, rejected frees) so a broken allocator shows up as
 * an error instead of a fast number.
 */
import type { SlabAllocator, SlabGlobalStats } from '@tslab/core';
import { MemPool } from '@thi.ng/malloc';
import { slowPathShare } from './core-stats.js';
import { shuffledIndices } from './measure.js';

/** Objects freed, then re-allocated, per round. */
export const CHURN_BATCH = 32;
/** Live objects in the steady state (a multiple of CHURN_BATCH). */
export const WORKING_SET = 10_240;
/** Distinct shuffles in the index table (the table cycles). */
const PERMUTATIONS = 8;

export interface ChurnKernel {
  readonly name: string;
  /** Runs `pairs` alloc+free pairs (rounded up to whole rounds). */
  run(pairs: number): void;
  /** Null allocations plus rejected frees seen so far: must stay 0. */
  failures(): number;
  /** Share of the allocations since the working set was filled that took a slow path ("0.6%"), where the kernel has one. */
  slowPathShare?(): string | null;
  /** Frees the working set. */
  dispose(): void;
}

let sharedIndices: Uint32Array | null = null;
/** The shuffled index table every random-churn kernel walks (built once, shared). */
export function indices(): Uint32Array {
  sharedIndices ??= shuffledIndices(WORKING_SET, PERMUTATIONS);
  return sharedIndices;
}

/**
 * Which objects a round frees: 'random' (the benchmark: frees scattered over every slab) or
 * 'sequential' (objects allocated together are freed together, so frees and the following allocs
 * hit one slab: the allocator's best case, shown for context).
 */
export type ChurnPattern = 'random' | 'sequential';

function sequentialIndices(): Uint32Array {
  const out = new Uint32Array(WORKING_SET);
  for (let i = 0; i < WORKING_SET; i++) out[i] = i;
  return out;
}

/** tslab handle API: heap.alloc(size) / heap.free(h); handles are doubles, kept in a Float64Array. */
export class HandleChurn implements ChurnKernel {
  readonly name: string;
  private readonly handles = new Float64Array(WORKING_SET);
  private readonly idx: Uint32Array;
  private cursor = 0;
  private failed = 0;
  private readonly statsAfterFill: SlabGlobalStats;

  constructor(private readonly heap: SlabAllocator, private readonly size: number, name = 'tslab alloc/free', pattern: ChurnPattern = 'random') {
    this.name = name;
    this.idx = pattern === 'random' ? indices() : sequentialIndices();
    for (let i = 0; i < WORKING_SET; i++) {
      const h = heap.alloc(size);
      if (h === 0) this.failed++;
      this.handles[i] = h;
    }
    this.statsAfterFill = heap.statsGlobal();
  }

  slowPathShare(): string | null {
    return slowPathShare(this.heap, this.statsAfterFill);
  }

  run(pairs: number): void {
    const heap = this.heap;
    const hs = this.handles;
    const idx = this.idx;
    const size = this.size;
    const len = idx.length;
    let p = this.cursor;
    let failed = 0;
    for (let done = 0; done < pairs; done += CHURN_BATCH) {
      for (let j = 0; j < CHURN_BATCH; j++) if (!heap.free(hs[idx[p + j]])) failed++;
      for (let j = 0; j < CHURN_BATCH; j++) {
        const h = heap.alloc(size);
        if (h === 0) failed++;
        hs[idx[p + j]] = h;
      }
      p += CHURN_BATCH;
      if (p >= len) p = 0;
    }
    this.cursor = p;
    this.failed += failed;
  }

  failures(): number {
    return this.failed;
  }

  dispose(): void {
    for (let i = 0; i < WORKING_SET; i++) this.heap.free(this.handles[i]);
    this.handles.fill(0);
  }
}

/** tslab malloc API: heap.malloc(size) / heap.freePtr(p) (8-byte header, so 128 B lands in the 192 B class). */
export class MallocChurn implements ChurnKernel {
  readonly name = 'tslab malloc/freePtr';
  private readonly ptrs = new Float64Array(WORKING_SET);
  private readonly idx = indices();
  private cursor = 0;
  private failed = 0;
  private readonly statsAfterFill: SlabGlobalStats;

  constructor(private readonly heap: SlabAllocator, private readonly size: number) {
    for (let i = 0; i < WORKING_SET; i++) {
      const p = heap.malloc(size);
      if (p === 0) this.failed++;
      this.ptrs[i] = p;
    }
    this.statsAfterFill = heap.statsGlobal();
  }

  slowPathShare(): string | null {
    return slowPathShare(this.heap, this.statsAfterFill);
  }

  run(pairs: number): void {
    const heap = this.heap;
    const ps = this.ptrs;
    const idx = this.idx;
    const size = this.size;
    const len = idx.length;
    let p = this.cursor;
    let failed = 0;
    for (let done = 0; done < pairs; done += CHURN_BATCH) {
      for (let j = 0; j < CHURN_BATCH; j++) if (!heap.freePtr(ps[idx[p + j]])) failed++;
      for (let j = 0; j < CHURN_BATCH; j++) {
        const ptr = heap.malloc(size);
        if (ptr === 0) failed++;
        ps[idx[p + j]] = ptr;
      }
      p += CHURN_BATCH;
      if (p >= len) p = 0;
    }
    this.cursor = p;
    this.failed += failed;
  }

  failures(): number {
    return this.failed;
  }

  dispose(): void {
    for (let i = 0; i < WORKING_SET; i++) this.heap.freePtr(this.ptrs[i]);
    this.ptrs.fill(0);
  }
}

/**
 * The floor: a bare Uint32Array stack of free slot indices (pop to allocate, push to free) with a
 * bump pointer behind it. This is the least any fixed-size allocator can do.
 */
export class StackChurn implements ChurnKernel {
  readonly name = 'bare Uint32Array free stack';
  private readonly live = new Uint32Array(WORKING_SET);
  private readonly stack = new Uint32Array(WORKING_SET + CHURN_BATCH);
  private readonly idx = indices();
  private top = 0;
  private next = 1;
  private cursor = 0;

  constructor() {
    for (let i = 0; i < WORKING_SET; i++) this.live[i] = this.next++;
  }

  run(pairs: number): void {
    const live = this.live;
    const stack = this.stack;
    const idx = this.idx;
    const len = idx.length;
    let top = this.top;
    let next = this.next;
    let p = this.cursor;
    for (let done = 0; done < pairs; done += CHURN_BATCH) {
      for (let j = 0; j < CHURN_BATCH; j++) stack[top++] = live[idx[p + j]];
      for (let j = 0; j < CHURN_BATCH; j++) live[idx[p + j]] = top > 0 ? stack[--top] : next++;
      p += CHURN_BATCH;
      if (p >= len) p = 0;
    }
    this.top = top;
    this.next = next;
    this.cursor = p;
  }

  failures(): number {
    return 0;
  }

  dispose(): void {}
}

/** A 128-byte plain object on 64-bit V8 without pointer compression: 24-byte header + 13 small-integer fields. */
export interface Obj128 {
  a: number; b: number; c: number; d: number; e: number; f: number; g: number;
  h: number; i: number; j: number; k: number; l: number; m: number;
}

function makeObject(v: number): Obj128 {
  return { a: v, b: v, c: v, d: v, e: v, f: v, g: v, h: v, i: v, j: v, k: v, l: v, m: v };
}

/** Plain objects created and dropped: the garbage collector does the freeing. */
export class ObjectChurn implements ChurnKernel {
  readonly name = 'plain objects (GC)';
  private live: Obj128[] = [];
  private readonly idx = indices();
  private cursor = 0;

  constructor() {
    for (let i = 0; i < WORKING_SET; i++) this.live.push(makeObject(i));
  }

  run(pairs: number): void {
    const live = this.live;
    const idx = this.idx;
    const len = idx.length;
    let p = this.cursor;
    for (let done = 0; done < pairs; done += CHURN_BATCH) {
      // Dropping is implicit: overwriting the slot makes the old object garbage.
      for (let j = 0; j < CHURN_BATCH; j++) live[idx[p + j]] = makeObject(done + j);
      p += CHURN_BATCH;
      if (p >= len) p = 0;
    }
    this.cursor = p;
  }

  failures(): number {
    return 0;
  }

  dispose(): void {
    this.live = [];
  }
}

/** @thi.ng/malloc MemPool (first fit over an address-sorted free list, with compaction). */
export class ThingChurn implements ChurnKernel {
  readonly name = '@thi.ng/malloc MemPool';
  private readonly pool: MemPool;
  private readonly addrs = new Uint32Array(WORKING_SET);
  private readonly idx = indices();
  private cursor = 0;
  private failed = 0;

  constructor(private readonly size: number) {
    // Room for the working set plus block headers and slack.
    this.pool = new MemPool({ size: WORKING_SET * (size + 16) * 2 });
    for (let i = 0; i < WORKING_SET; i++) {
      const a = this.pool.malloc(size);
      if (a === 0) this.failed++;
      this.addrs[i] = a;
    }
  }

  run(pairs: number): void {
    const pool = this.pool;
    const addrs = this.addrs;
    const idx = this.idx;
    const size = this.size;
    const len = idx.length;
    let p = this.cursor;
    let failed = 0;
    for (let done = 0; done < pairs; done += CHURN_BATCH) {
      for (let j = 0; j < CHURN_BATCH; j++) if (!pool.free(addrs[idx[p + j]])) failed++;
      for (let j = 0; j < CHURN_BATCH; j++) {
        const a = pool.malloc(size);
        if (a === 0) failed++;
        addrs[idx[p + j]] = a;
      }
      p += CHURN_BATCH;
      if (p >= len) p = 0;
    }
    this.cursor = p;
    this.failed += failed;
  }

  failures(): number {
    return this.failed;
  }

  dispose(): void {
    this.pool.freeAll();
  }
}
