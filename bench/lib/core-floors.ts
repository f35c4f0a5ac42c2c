/**
 * Two lower bounds for the pair section (context rows): what the contract's handles cost before
 * anything else, and what per-slab free stacks add. Neither is an allocator anyone should use: one
 * size class, one epoch, no stats, no reclamation, memory never touched. They answer where the
 * distance between tslab's pair and the bare stack goes.
 *
 * Both use tslab's handle layout (packages/core/src/layout.ts, copied here because it is internal):
 * handle = (tag * 2^18 + generation) * 2^26 + byteOffset / 8, the generation odd while the slot is
 * live. API.md asks for handles up to 2^53 - 1 that reject stale handles for at least 65,536 reuses
 * (17 generation bits or more) and handles of another allocator: more than a 31-bit small integer
 * holds, so every handle is a double, and decoding one is floating-point arithmetic.
 *
 * The two churn kernels repeat core-churn.ts's loop on purpose: one loop serving both heaps would
 * make its calls polymorphic and slow both down.
 */
import { CHURN_BATCH, WORKING_SET, indices, type ChurnKernel } from './core-churn.js';

const OFFSET_FIELD = 2 ** 26;
const INVERSE_OFFSET_FIELD = 1 / OFFSET_FIELD;
const OFFSET_MASK = OFFSET_FIELD - 1;
const GEN_BITS = 18;
const GEN_MASK = (1 << GEN_BITS) - 1;
const TAG = 7;
const TAG_HIGH = TAG * 2 ** GEN_BITS;
/** 128-byte objects in 64 KB slabs, addressed in 8-byte units as tslab does. */
const OBJECT_BYTES = 128;
const UNITS_PER_OBJECT = OBJECT_BYTES / 8;
const UNITS_PER_OBJECT_SHIFT = 4;
const SLAB_BYTES = 65_536;
const SLAB_UNIT_SHIFT = 13;
const SLAB_UNIT_MASK = (1 << SLAB_UNIT_SHIFT) - 1;
const SLOTS_PER_SLAB = SLAB_BYTES / OBJECT_BYTES;
const SLOT_SHIFT = 10;
const MAX_SLABS = 64;
const SLOTS = MAX_SLABS * SLOTS_PER_SLAB;

/** Generation-checked handles over one free stack of slots: the least the contract's free() can do. */
class HandleFloor {
  private readonly gens = new Uint32Array(SLOTS);
  private readonly stack = new Uint32Array(SLOTS);
  private top = 0;
  private lastGen = 0;

  constructor() {
    // Slot 0 stays unused, so no handle has offset 0.
    for (let slot = SLOTS - 1; slot >= 1; slot--) this.stack[this.top++] = slot;
  }

  alloc(): number {
    const unit = this.allocUnit();
    return (TAG_HIGH + this.lastGen) * OFFSET_FIELD + unit;
  }

  private allocUnit(): number {
    const top = this.top - 1;
    if (top < 0) {
      this.lastGen = -TAG_HIGH; // makes alloc() return exactly 0
      return 0;
    }
    this.top = top;
    const slot = this.stack[top];
    const gen = (this.gens[slot] + 1) & GEN_MASK;
    this.gens[slot] = gen;
    this.lastGen = gen;
    return slot * UNITS_PER_OBJECT;
  }

  free(h: number): boolean {
    const unit = h & OFFSET_MASK;
    const high = (h * INVERSE_OFFSET_FIELD) >>> 0;
    if (high * OFFSET_FIELD + unit !== h || high >>> GEN_BITS !== TAG) return false;
    const gen = high & GEN_MASK;
    const slot = unit >>> UNITS_PER_OBJECT_SHIFT;
    if ((gen & 1) === 0 || (unit & (UNITS_PER_OBJECT - 1)) !== 0 || slot >= SLOTS || this.gens[slot] !== gen) return false;
    this.gens[slot] = (gen + 1) & GEN_MASK;
    this.stack[this.top++] = slot;
    return true;
  }
}

/**
 * Adds what reclamation by slab needs: a free stack and a header per slab, a current slab to
 * allocate from, and a list of slabs with free slots to refill from. Slot from offset by the
 * slab's reciprocal, as tslab does for classes that are not powers of two.
 */
class SlabFloor {
  private readonly gens = new Uint32Array(MAX_SLABS << SLOT_SHIFT);
  private readonly stacks = new Uint16Array(MAX_SLABS << SLOT_SHIFT);
  /** Per slab: free-stack top, slot count, partial-list threshold, object size. */
  private readonly header = new Int32Array(MAX_SLABS * 4);
  private readonly inverseSize = new Float64Array(MAX_SLABS);
  private readonly partial = new Int32Array(MAX_SLABS);
  private readonly listed = new Uint8Array(MAX_SLABS);
  private partialCount = 0;
  private slabTop = 1;
  private current: number;
  private lastGen = 0;
  /** Allocations that took the slow path (a refill). */
  refills = 0;

  constructor() {
    this.current = this.freshSlab();
  }

  alloc(): number {
    const unit = this.allocUnit();
    return (TAG_HIGH + this.lastGen) * OFFSET_FIELD + unit;
  }

  private allocUnit(): number {
    const slab = this.current;
    const top = this.header[slab * 4] - 1;
    if (top < 0) return this.allocSlow() | 0;
    return this.takeSlot(slab, top);
  }

  private takeSlot(slab: number, top: number): number {
    const header = this.header;
    header[slab * 4] = top;
    const base = slab << SLOT_SHIFT;
    const slot = this.stacks[base + top];
    const gens = this.gens;
    const gen = (gens[base + slot] + 1) & GEN_MASK;
    gens[base + slot] = gen;
    this.lastGen = gen;
    return ((slab * SLAB_BYTES) + slot * header[slab * 4 + 3]) >>> 3;
  }

  private allocSlow(): number {
    this.refills++;
    let slab: number;
    if (this.partialCount > 0) {
      slab = this.partial[--this.partialCount];
      this.listed[slab] = 0;
    } else {
      slab = this.freshSlab();
      if (slab === 0) {
        this.lastGen = -TAG_HIGH;
        return 0;
      }
    }
    this.current = slab;
    return this.takeSlot(slab, this.header[slab * 4] - 1);
  }

  free(h: number): boolean {
    const unit = h & OFFSET_MASK;
    const high = (h * INVERSE_OFFSET_FIELD) >>> 0;
    if (high * OFFSET_FIELD + unit !== h || high >>> GEN_BITS !== TAG) return false;
    const gen = high & GEN_MASK;
    const slab = unit >>> SLAB_UNIT_SHIFT;
    if ((gen & 1) === 0 || slab >= this.slabTop) return false;
    const inSlab = (unit & SLAB_UNIT_MASK) << 3;
    const slot = (inSlab * this.inverseSize[slab] + 0.5) | 0;
    const header = this.header;
    const at = slab * 4;
    if (slot * header[at + 3] !== inSlab) return false;
    const base = slab << SLOT_SHIFT;
    const gens = this.gens;
    if (gens[base + slot] !== gen) return false;
    gens[base + slot] = (gen + 1) & GEN_MASK;
    const top = header[at] + 1;
    this.stacks[base + top - 1] = slot;
    header[at] = top;
    if (top === header[at + 2] || top === header[at + 1]) this.listSlab(slab);
    return true;
  }

  /** A slab that reached its threshold (or emptied) joins the refill list once. */
  private listSlab(slab: number): void {
    if (slab !== this.current && this.listed[slab] === 0) {
      this.listed[slab] = 1;
      this.partial[this.partialCount++] = slab;
    }
  }

  /** 0 when every slab is in use. */
  private freshSlab(): number {
    if (this.slabTop === MAX_SLABS) return 0;
    const slab = this.slabTop++;
    const at = slab * 4;
    this.header[at] = SLOTS_PER_SLAB;
    this.header[at + 1] = SLOTS_PER_SLAB;
    this.header[at + 2] = SLOTS_PER_SLAB >> 2;
    this.header[at + 3] = OBJECT_BYTES;
    this.inverseSize[slab] = 1 / OBJECT_BYTES;
    for (let i = 0; i < SLOTS_PER_SLAB; i++) this.stacks[(slab << SLOT_SHIFT) + i] = SLOTS_PER_SLAB - 1 - i;
    return slab;
  }
}

/** Lower bound 1: the contract's handles over one free stack (no slabs). */
export class HandleFloorChurn implements ChurnKernel {
  readonly name = 'lower bound: generation-checked handles, no slabs (context only)';
  private readonly heap = new HandleFloor();
  private readonly handles = new Float64Array(WORKING_SET);
  private readonly idx = indices();
  private cursor = 0;
  private failed = 0;

  constructor() {
    for (let i = 0; i < WORKING_SET; i++) this.handles[i] = this.heap.alloc();
  }

  run(pairs: number): void {
    const heap = this.heap;
    const hs = this.handles;
    const idx = this.idx;
    const len = idx.length;
    let p = this.cursor;
    let failed = 0;
    for (let done = 0; done < pairs; done += CHURN_BATCH) {
      for (let j = 0; j < CHURN_BATCH; j++) if (!heap.free(hs[idx[p + j]])) failed++;
      for (let j = 0; j < CHURN_BATCH; j++) {
        const h = heap.alloc();
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

  dispose(): void {}
}

/** Lower bound 2: the same handles over per-slab free stacks (one class, one epoch, no stats). */
export class SlabFloorChurn implements ChurnKernel {
  readonly name = 'lower bound: + per-slab free stacks, one class and epoch (context only)';
  private readonly heap = new SlabFloor();
  private readonly handles = new Float64Array(WORKING_SET);
  private readonly idx = indices();
  private cursor = 0;
  private failed = 0;
  private allocs = 0;

  constructor() {
    for (let i = 0; i < WORKING_SET; i++) this.handles[i] = this.heap.alloc();
    this.heap.refills = 0;
  }

  run(pairs: number): void {
    const heap = this.heap;
    const hs = this.handles;
    const idx = this.idx;
    const len = idx.length;
    let p = this.cursor;
    let failed = 0;
    for (let done = 0; done < pairs; done += CHURN_BATCH) {
      for (let j = 0; j < CHURN_BATCH; j++) if (!heap.free(hs[idx[p + j]])) failed++;
      for (let j = 0; j < CHURN_BATCH; j++) {
        const h = heap.alloc();
        if (h === 0) failed++;
        hs[idx[p + j]] = h;
      }
      p += CHURN_BATCH;
      if (p >= len) p = 0;
    }
    this.cursor = p;
    this.failed += failed;
    this.allocs += Math.ceil(pairs / CHURN_BATCH) * CHURN_BATCH;
  }

  /** Share of the allocations (after construction) that refilled from another slab. */
  slowPathShare(): string {
    return `${((this.allocs === 0 ? 0 : this.heap.refills / this.allocs) * 100).toFixed(1)}%`;
  }

  failures(): number {
    return this.failed;
  }

  dispose(): void {}
}
