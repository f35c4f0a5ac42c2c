import { checkHeap } from './check.js';
import { diagnose } from './doctor.js';
import { EpochDomain, type DomainOptions } from './domain.js';
import { assertTableRange, invalid, outOfRange } from './errors.js';
import { HeapCore, type HeapBacking } from './heap-core.js';
import { defineSharedAllocator, type SharedEngine, type SharedHeap, type SharedHeapHandle } from './shared/index.js';
import * as layout from './layout.js';
import { resolveOptions } from './options.js';
import { classStats, dumpStats, epochStats, globalStats, liveObjectCount } from './stats.js';
import type {
  AllocatorOptions,
  CloseReport,
  EpochId,
  EpochState,
  Finding,
  Handle,
  Ptr,
  SlabClassStats,
  SlabEpochStats,
  SlabGlobalStats,
  StatsDump,
} from './types.js';

export const NULL_HANDLE: Handle = 0;

function emptyReport(): CloseReport {
  return { epoch: 0, state: 'free', liveObjects: 0, freedObjects: 0, releasedSlabs: 0, reclaimedBytes: 0 };
}

/*
 * Module-local copies of the layout constants: V8 folds a module's own consts into the machine
 * code, but reads an imported binding through a cell with a hole check and a type check on every
 * use (measured with cachegrind: 9 percent of the instructions of an alloc+free pair).
 */
/** Frees per freeMany chunk: each can leave one slab for afterFree, settled after the chunk. */
const SETTLE_CAPACITY = 256;
const { GEN_BITS, GEN_MASK, HDR_FREE_TOP, HDR_LIST_AT, HDR_OBJECT_SIZE, HDR_SLOTS, INVERSE_OFFSET_FIELD, MALLOC_HEADER_BYTES, MAX_LABELS, NO_SLAB, OFFSET_FIELD, OFFSET_MASK, RING_CLOSED, RING_CLOSING, RING_OPEN, SLAB_HEADER_SHIFT } = layout;

/**
 * The allocator API. Fast paths (alloc, free, offset, isLive, malloc, freePtr) are plain integer
 * arithmetic on typed arrays and allocate nothing; everything that changes slabs lives in
 * heap-core.ts, stats/doctor/check beside it only read.
 *
 * Over 400 lines on purpose: this is the one public class, and every method a user calls sits on
 * its own prototype so that V8 sees one monomorphic receiver and can inline the handle wrappers
 * (splitting it into a base-class chain moved methods off the prototype shared mode overrides).
 */
export class SlabAllocator extends HeapCore {
  /** Largest size `alloc` accepts: the largest class. */
  readonly maxObjectSize: number;
  /** Largest size `malloc` accepts: the largest class minus the 8-byte header. */
  readonly maxMallocSize: number;
  readonly epochSlots: number;
  readonly slabBytes: number;
  readonly cacheSlabs: number;
  readonly shared: boolean;
  readonly diagnostics: boolean;
  readonly sizeClasses: readonly number[];
  /** Generation of the slot allocUnit handed out last (a field, so no handle crosses a call boundary). */
  private lastGen = 0;
  // Arrays the fast paths read, one property load away instead of two (they are never replaced).
  private readonly classBySize8: Uint8Array;
  private readonly classSizes: Int32Array;
  private readonly classAllocs: Float64Array;
  /** Slabs freeMany settles after each chunk (see freeMany). */
  private readonly slabsToSettle = new Int32Array(SETTLE_CAPACITY);

  constructor(options?: AllocatorOptions, backing?: HeapBacking) {
    super(resolveOptions(options), backing);
    this.classBySize8 = this.classes.classBySize8;
    this.classSizes = this.classes.sizes;
    this.classAllocs = this.counters.allocs;
    this.maxObjectSize = this.classes.maxSize;
    this.maxMallocSize = this.classes.maxSize - MALLOC_HEADER_BYTES;
    this.epochSlots = this.config.epochSlots;
    this.slabBytes = this.config.slabBytes;
    this.cacheSlabs = this.config.cacheSlabs;
    this.shared = this.config.shared;
    this.diagnostics = this.config.diagnostics;
    this.sizeClasses = Object.freeze([...this.config.sizeClasses]);
    const first = this.ring.open();
    this.currentEpoch = this.ring.ids[first];
    this.currentRing = first;
  }

  /** The backing memory; every Ptr and offset() is a byte offset into it. Replaced on resize in 'copy' mode. */
  get buffer(): ArrayBuffer | SharedArrayBuffer {
    return this.memory.buffer;
  }

  // ---- handle API -------------------------------------------------------------------------------

  /*
   * Handles are doubles above 2^31, and V8 boxes a double (16 bytes of garbage) whenever one
   * crosses a call boundary that was not inlined. So every method that takes or returns a handle
   * is a tiny wrapper (inlined into the caller's loop) that converts between the handle and small
   * integers (Smis); the real work takes and returns only Smis.
   */

  alloc(size: number, epoch?: EpochId): Handle {
    const unit = this.allocUnit(size, epoch);
    // No branch here: a phi of the Smi 0 and a double makes V8 box the result. On failure
    // allocUnit returns 0 and sets lastGen to -tagHigh, so this is exactly 0 (NULL_HANDLE).
    return (this.tagHigh + this.lastGen) * OFFSET_FIELD + unit;
  }

  /** Hands out a slot: returns its byte offset / 8 (0 = none) and leaves its generation in lastGen. */
  private allocUnit(size: number, epoch: EpochId | undefined): number {
    if (!(size >= 1 && size <= this.maxObjectSize && (size | 0) === size)) throw this.badSize('size', size, this.maxObjectSize);
    const cls = this.classBySize8[(size + 7) >> 3];
    // Frame loops pass the current epoch explicitly; scratch memory passes another open one.
    const key = epoch === undefined || epoch === this.currentEpoch ? this.currentRing * this.classCount + cls : this.openKeyOf(epoch, cls);
    // `| 0` on out-of-line results: V8 then knows they are int32 and merges them with the fast
    // path's result without tag checks.
    if (key < 0) return this.refuse(cls, epoch) | 0;
    const slab = this.currentSlab[key];
    const top = this.slabHeader[(slab << SLAB_HEADER_SHIFT) + HDR_FREE_TOP] - 1;
    // The refill is one out-of-line call, so the fast path stays small enough for V8 to inline
    // alloc and free together into the caller's loop (a handle crossing a call is boxed).
    if (top < 0) return this.allocSlow(cls, key) | 0;
    return this.takeSlot(slab, top, cls);
  }

  /** currentSlab entry of (epoch, cls) when the epoch is open, else -1. */
  private openKeyOf(epoch: EpochId, cls: number): number {
    const ring = this.openRingOf(epoch);
    return ring < 0 ? -1 : ring * this.classCount + cls;
  }

  /** Ring slot of an open epoch, or -1 (not a current epoch id, or not open). */
  private openRingOf(epoch: EpochId): number {
    const ring = epoch % this.ring.slots;
    return this.ring.ids[ring] === epoch && this.ring.state[ring] === RING_OPEN ? ring : -1;
  }

  /** Pops entry `top` of the slab's free stack: the slot handed out. */
  private takeSlot(slab: number, top: number, cls: number): number {
    const header = this.slabHeader;
    const at = slab << SLAB_HEADER_SHIFT;
    header[at + HDR_FREE_TOP] = top;
    const base = slab << this.slotShift;
    const slot = this.slotStack[base + top];
    const gens = this.slotGens;
    const gen = (gens[base + slot] + 1) & GEN_MASK;
    gens[base + slot] = gen;
    this.classAllocs[cls]++;
    this.lastGen = gen;
    return ((slab << this.slabShift) + slot * header[at + HDR_OBJECT_SIZE]) >>> 3;
  }

  /** alloc when the current slab of currentSlab entry `key` (of class `cls`) is exhausted. */
  private allocSlow(cls: number, key: number): number {
    const slab = this.refill(cls, (key - cls) / this.classCount);
    if (slab === NO_SLAB) return this.failAlloc();
    // Read after refill: it may have resized (replaced) the slab arrays.
    return this.takeSlot(slab, this.slabHeader[(slab << SLAB_HEADER_SHIFT) + HDR_FREE_TOP] - 1, cls);
  }

  free(h: Handle): boolean {
    if (typeof h !== 'number') return false;
    const unit = h & OFFSET_MASK;
    const high = (h * INVERSE_OFFSET_FIELD) >>> 0;
    if (high * OFFSET_FIELD + unit !== h || high >>> GEN_BITS !== this.tag) return false;
    return this.freeUnit(unit, high & GEN_MASK);
  }

  isLive(h: Handle): boolean {
    if (typeof h !== 'number') return false;
    const unit = h & OFFSET_MASK;
    const high = (h * INVERSE_OFFSET_FIELD) >>> 0;
    if (high * OFFSET_FIELD + unit !== h || high >>> GEN_BITS !== this.tag) return false;
    return this.locate(unit, high & GEN_MASK) >= 0;
  }

  /** Generation index of the live slot at `unit` (offset / 8) with generation `gen`, or -1. Never throws. */
  private locate(unit: number, gen: number): number {
    const slab = unit >>> this.unitShift;
    if ((gen & 1) === 0 || slab >= this.slabTop) return -1;
    // Free and cached slabs and slot entries past a slab's count hold only even generations, so no
    // state or slot-count check is needed (check() verifies it).
    const inSlab = (unit & this.unitMask) << 3;
    // Multiplying by the reciprocal is cheaper than a division; the product check rejects non-slot offsets.
    const slot = (inSlab * this.slabInverseSize[slab] + 0.5) | 0;
    if (slot * this.slabHeader[(slab << SLAB_HEADER_SHIFT) + HDR_OBJECT_SIZE] !== inSlab) return -1;
    const genIndex = (slab << this.slotShift) | slot;
    return this.slotGens[genIndex] === gen ? genIndex : -1;
  }

  /**
   * Where a slot is taken back: checks that `unit` and `gen` name a live slot, ends its generation
   * and pushes it on its slab's free stack. One straight run with each array read once, so it
   * repeats locate's checks and releaseSlot's push (which freeMany uses): written as locate +
   * releaseSlot, V8 merged locate's -1 path and read every array again after it, and written as
   * one shared helper returning -1 / NO_SLAB / slab, its result branch mispredicted; cachegrind
   * counted 15-50 more instructions per alloc+free pair either way.
   */
  private freeUnit(unit: number, gen: number): boolean {
    const slab = unit >>> this.unitShift;
    if ((gen & 1) === 0 || slab >= this.slabTop) return false;
    const inSlab = (unit & this.unitMask) << 3;
    const slot = (inSlab * this.slabInverseSize[slab] + 0.5) | 0;
    // No slot-count check: a slot past the slab's count is never handed out, so its generation is
    // even and cannot equal the odd `gen`.
    const header = this.slabHeader;
    const at = slab << SLAB_HEADER_SHIFT;
    if (slot * header[at + HDR_OBJECT_SIZE] !== inSlab) return false;
    const base = slab << this.slotShift;
    const gens = this.slotGens;
    if (gens[base + slot] !== gen) return false;
    gens[base + slot] = (gen + 1) & GEN_MASK;
    const top = header[at + HDR_FREE_TOP] + 1;
    this.slotStack[base + top - 1] = slot;
    header[at + HDR_FREE_TOP] = top;
    if (top === header[at + HDR_LIST_AT] || top === header[at + HDR_SLOTS]) this.afterFree(slab);
    return true;
  }

  /**
   * Where a slot is taken back (located and live): ends its generation and pushes it on its slab's
   * free stack. Returns the slab when it emptied or reached its partial-list threshold (then
   * afterFree must settle it), else NO_SLAB. Makes no call.
   */
  private releaseSlot(genIndex: number, gen: number): number {
    const slab = genIndex >>> this.slotShift;
    const base = slab << this.slotShift;
    this.slotGens[genIndex] = (gen + 1) & GEN_MASK;
    const header = this.slabHeader;
    const at = slab << SLAB_HEADER_SHIFT;
    const top = header[at + HDR_FREE_TOP] + 1;
    this.slotStack[base + top - 1] = genIndex - base;
    header[at + HDR_FREE_TOP] = top;
    return top === header[at + HDR_LIST_AT] || top === header[at + HDR_SLOTS] ? slab : NO_SLAB;
  }

  /**
   * alloc for stores that keep handles in a Float64Array (component tables, queues): writes the
   * handle to table[index] and returns the object's byte offset, 0 on failure (then table[index]
   * is 0). No handle crosses the call, so nothing is boxed even when the call is not inlined.
   */
  allocInto(size: number, table: Float64Array, index: number, epoch?: EpochId): Ptr {
    const unit = this.allocUnit(size, epoch);
    table[index] = (this.tagHigh + this.lastGen) * OFFSET_FIELD + unit;
    return unit << 3;
  }

  /**
   * Allocates `count` objects of `size` bytes at once (a particle burst, a wave of projectiles):
   * writes their handles to table[start .. start + count) and returns how many it allocated, fewer
   * only when maxBytes is reached (or 0 when the epoch is not open). The objects come slab by slab
   * from a loop that makes no call, which is several times cheaper per object than alloc().
   */
  allocMany(size: number, table: Float64Array, start: number, count: number, epoch?: EpochId): number {
    if (!(size >= 1 && size <= this.maxObjectSize && (size | 0) === size)) throw this.badSize('size', size, this.maxObjectSize);
    assertTableRange(table, start, count);
    const cls = this.classBySize8[(size + 7) >> 3];
    const ring = epoch === undefined || epoch === this.currentEpoch ? this.currentRing : this.openRingOf(epoch);
    // A refused burst counts once, like the one failed refill that ends a burst at maxBytes.
    if (ring < 0) return this.refuse(cls, epoch);
    const objectSize = this.classSizes[cls];
    const handleHigh = this.tagHigh * OFFSET_FIELD;
    let done = 0;
    while (done < count) {
      let slab = this.currentSlab[ring * this.classCount + cls];
      if (this.slabHeader[(slab << SLAB_HEADER_SHIFT) + HDR_FREE_TOP] === 0) {
        slab = this.refill(cls, ring);
        if (slab === NO_SLAB) break; // maxBytes: counted by refill
      }
      // Read after refill, which may have replaced the arrays.
      const gens = this.slotGens;
      const stack = this.slotStack;
      const base = slab << this.slotShift;
      const slabUnit = (slab << this.slabShift) >>> 3;
      let top = this.slabHeader[(slab << SLAB_HEADER_SHIFT) + HDR_FREE_TOP];
      const take = Math.min(top, count - done);
      for (let k = 0; k < take; k++) {
        const slot = stack[base + --top];
        const gen = (gens[base + slot] + 1) & GEN_MASK;
        gens[base + slot] = gen;
        table[start + done + k] = handleHigh + gen * OFFSET_FIELD + slabUnit + ((slot * objectSize) >>> 3);
      }
      this.slabHeader[(slab << SLAB_HEADER_SHIFT) + HDR_FREE_TOP] = top;
      done += take;
    }
    this.classAllocs[cls] += done;
    return done;
  }

  /** free(table[index]) without the handle crossing a call boundary; the table entry is left as is. */
  freeFrom(table: Float64Array, index: number): boolean {
    const h = table[index];
    const unit = h & OFFSET_MASK;
    const high = (h * INVERSE_OFFSET_FIELD) >>> 0;
    if (high * OFFSET_FIELD + unit !== h || high >>> GEN_BITS !== this.tag) return false;
    return this.freeUnit(unit, high & GEN_MASK);
  }

  /**
   * Frees table[start..end) (a retire queue, a despawn list) in one call; returns how many were
   * live and freed. Bad entries are skipped like free() skips them. Handles stay in the typed array,
   * so nothing is boxed however the caller is compiled.
   */
  freeMany(table: Float64Array, start: number, end: number): number {
    let freed = 0;
    const settle = this.slabsToSettle;
    // Chunks of at most SETTLE_CAPACITY frees, each of which can leave one slab to settle: the
    // inner loop then makes no call, so V8 keeps the heap's arrays in registers across it
    // (a call in a loop, even one rarely taken, makes every iteration reload them).
    for (let chunk = start; chunk < end; chunk += SETTLE_CAPACITY) {
      const chunkEnd = Math.min(end, chunk + SETTLE_CAPACITY);
      let pending = 0;
      for (let i = chunk; i < chunkEnd; i++) {
        const h = table[i];
        const unit = h & OFFSET_MASK;
        const high = (h * INVERSE_OFFSET_FIELD) >>> 0;
        if (high * OFFSET_FIELD + unit !== h || high >>> GEN_BITS !== this.tag) continue;
        const genIndex = this.locate(unit, high & GEN_MASK);
        if (genIndex < 0) continue;
        freed++;
        const slab = this.releaseSlot(genIndex, high & GEN_MASK);
        if (slab !== NO_SLAB) settle[pending++] = slab;
      }
      for (let k = 0; k < pending; k++) this.afterFree(settle[k]);
    }
    return freed;
  }

  /** Byte offset of a live handle's object. Unchecked: for other values the result is meaningless. */
  offset(h: Handle): Ptr {
    return (h & OFFSET_MASK) << 3;
  }

  // ---- malloc-style API -------------------------------------------------------------------------

  malloc(size: number, epoch?: EpochId): Ptr {
    if (!(size >= 1 && size <= this.maxMallocSize && (size | 0) === size)) throw this.badSize('size', size, this.maxMallocSize);
    const unit = this.allocUnit(size + MALLOC_HEADER_BYTES, epoch);
    if (unit === 0) return 0;
    // The header holds the handle, so freePtr gets the same generation check as free.
    this.f64[unit] = (this.tagHigh + this.lastGen) * OFFSET_FIELD + unit;
    return (unit << 3) + MALLOC_HEADER_BYTES;
  }

  freePtr(p: Ptr): boolean {
    if (typeof p !== 'number' || !(p >= 16) || p % 8 !== 0 || p >= this.slabTop * this.slabBytes) return false;
    const unit = (p - MALLOC_HEADER_BYTES) >> 3;
    const h = this.f64[unit];
    const high = (h * INVERSE_OFFSET_FIELD) >>> 0;
    if (high * OFFSET_FIELD + unit !== h || high >>> GEN_BITS !== this.tag) return false;
    return this.freeUnit(unit, high & GEN_MASK);
  }

  // ---- epochs -----------------------------------------------------------------------------------

  epochCurrent(): EpochId {
    return this.currentEpoch;
  }

  epochOpen(): EpochId {
    const ring = this.ring.open();
    if (ring < 0) throw this.ringFull();
    return this.ring.ids[ring];
  }

  epochAdvance(): EpochId {
    const id = this.tryEpochAdvance();
    if (id < 0) throw this.ringFull();
    return id;
  }

  tryEpochAdvance(): EpochId | -1 {
    const next = this.ring.open();
    if (next < 0) return -1;
    const old = this.currentRing;
    this.makeCurrent(next);
    this.ring.state[old] = RING_CLOSING;
    this.stopAllocating(old);
    if (this.ring.slabs[old] === 0) this.ring.release(old);
    return this.currentEpoch;
  }

  private makeCurrent(ring: number): void {
    this.ring.advances++;
    this.ring.openedAt[ring] = this.ring.advances;
    this.currentRing = ring;
    this.currentEpoch = this.ring.ids[ring];
    this.sampleHistory(liveObjectCount(this));
  }

  epochClose(e: EpochId, into: CloseReport = emptyReport()): CloseReport {
    this.assertEpochId('e', e);
    const ring = this.ring.ringOf(e);
    let released = 0;
    if (ring >= 0) {
      if (ring === this.currentRing) {
        const next = this.ring.open();
        if (next < 0) throw this.ringFull();
        this.makeCurrent(next);
      }
      if (this.ring.state[ring] === RING_OPEN) released = this.stopAllocating(ring);
      this.ring.state[ring] = RING_CLOSED;
      if (this.ring.slabs[ring] === 0) this.ring.release(ring);
    }
    return this.report(into, e, 0, released);
  }

  epochReset(e: EpochId, into: CloseReport = emptyReport()): CloseReport {
    this.assertEpochId('e', e);
    const ring = this.ring.ringOf(e);
    let freed = 0;
    let released = 0;
    if (ring >= 0) {
      released = this.ring.slabs[ring];
      freed = this.resetRing(ring);
      if (this.ring.state[ring] !== RING_OPEN) this.ring.release(ring);
    }
    return this.report(into, e, freed, released);
  }

  private report(into: CloseReport, e: EpochId, freed: number, released: number): CloseReport {
    into.reclaimedBytes = this.trimTail(false);
    const ring = this.ring.ringOf(e);
    into.epoch = e;
    into.state = ring < 0 ? 'free' : this.ring.stateName(ring);
    into.liveObjects = ring < 0 ? 0 : this.epochLive(ring);
    into.freedObjects = freed;
    into.releasedSlabs = released;
    return into;
  }

  epochState(e: EpochId): EpochState {
    this.assertEpochId('e', e);
    const ring = this.ring.ringOf(e);
    return ring < 0 ? 'free' : this.ring.stateName(ring);
  }

  /** Sets (or with no label, reads) an epoch's label; at most 16 distinct labels per allocator. */
  epochLabel(e: EpochId, label?: string): string {
    this.assertEpochId('e', e);
    const ring = this.ring.ringOf(e);
    if (label === undefined) return ring < 0 || this.ring.label[ring] < 0 ? '' : this.labels[this.ring.label[ring]];
    if (typeof label !== 'string' || label.length === 0 || label.length > 64) {
      throw invalid('label', label, 'a string of 1..64 characters');
    }
    let index = this.labels.indexOf(label);
    if (index < 0) {
      if (this.labels.length >= MAX_LABELS) {
        throw outOfRange('label', label, `one of the ${MAX_LABELS} labels already registered (${this.labels.join(', ')}): the registry is bounded`);
      }
      index = this.labels.push(label) - 1;
    }
    if (ring >= 0) this.ring.label[ring] = index;
    return label;
  }

  /** Releases every free slab at the tail of the buffer now (epochClose/epochReset do it with a threshold). */
  trim(): number {
    return this.trimTail(true);
  }

  domain(options?: DomainOptions): EpochDomain {
    return new EpochDomain(this, options);
  }

  // ---- stats, doctor, check ---------------------------------------------------------------------

  statsClass(i: number, into?: SlabClassStats): SlabClassStats {
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= this.classCount) {
      const error = typeof i === 'number' && Number.isInteger(i) ? RangeError : TypeError;
      throw new error(`i must be a size class index in 0..${this.classCount - 1}, got ${String(i)}`);
    }
    return classStats(this, i, into);
  }

  statsGlobal(into?: SlabGlobalStats): SlabGlobalStats {
    return globalStats(this, into);
  }

  statsEpoch(e: EpochId, into?: SlabEpochStats): SlabEpochStats {
    this.assertEpochId('e', e);
    return epochStats(this, e, into);
  }

  statsDump(): StatsDump {
    return dumpStats(this);
  }

  doctor(): Finding[] {
    return diagnose(this.statsDump());
  }

  check(): void {
    checkHeap(this);
  }

  // ---- argument errors (cold) -------------------------------------------------------------------

  private badSize(name: string, size: unknown, max: number): Error {
    const detail = typeof size === 'number' ? String(size) : `${typeof size} ${JSON.stringify(size) ?? String(size)}`;
    const message = `${name} must be an integer in 1..${max} bytes, got ${detail}`;
    return typeof size === 'number' && Number.isInteger(size) ? new RangeError(message) : new TypeError(message);
  }

  /** Throws unless `e` is an epoch id this allocator has handed out. */
  assertEpochId(name: string, e: unknown): asserts e is EpochId {
    if (typeof e !== 'number' || !Number.isInteger(e)) {
      throw new TypeError(`${name} must be an epoch id (an integer in 0..${this.ring.nextId - 1}), got ${typeof e === 'number' ? e : `${typeof e} ${String(e)}`}`);
    }
    if (e < 0 || e >= this.ring.nextId) {
      throw new RangeError(`${name} must be an epoch id this allocator handed out (0..${this.ring.nextId - 1}), got ${e}`);
    }
  }

  private refuse(cls: number, epoch: unknown): number {
    this.assertEpochId('epoch', epoch);
    this.counters.slowPathEpochClosed[cls]++;
    return this.failAlloc();
  }

  private failAlloc(): number {
    this.lastGen = -this.tagHigh;
    return 0;
  }

  /** True while the epoch takes allocations. */
  isOpen(e: EpochId): boolean {
    const ring = this.ring.ringOf(e);
    return ring >= 0 && this.ring.state[ring] === RING_OPEN;
  }

  /** True while the epoch is closing or closed and still holds live objects. */
  isDraining(e: EpochId): boolean {
    const ring = this.ring.ringOf(e);
    return ring >= 0 && (this.ring.state[ring] === RING_CLOSING || this.ring.state[ring] === RING_CLOSED);
  }

  // ---- shared mode (workers; implemented in shared/, a subclass plain heaps never see) ----------

  /** A view of a shared heap, inside a worker: `SlabAllocator.attach(heap.share())`. */
  static attach(handle: SharedHeapHandle): SharedHeap {
    return sharedEngine().attach(handle) as SharedHeap;
  }

  /** What a worker needs to attach this heap (structured-cloneable). Shared heaps only. */
  share(): SharedHeapHandle {
    throw new TypeError('share() needs a heap created with createAllocator({ shared: true })');
  }

  /** Shared heaps: adopts the slabs of dead or detached views, returns slabs adopted. Plain heaps: 0. */
  adoptOrphans(dead?: readonly number[]): number {
    return dead === undefined ? 0 : 0;
  }
}

let engine: SharedEngine | undefined;
function sharedEngine(): SharedEngine {
  return (engine ??= defineSharedAllocator(SlabAllocator));
}

export function createAllocator(options: AllocatorOptions & { shared: true }): SharedHeap;
export function createAllocator(options?: AllocatorOptions): SlabAllocator;
export function createAllocator(options?: AllocatorOptions): SlabAllocator {
  if (options !== null && typeof options === 'object' && options.shared === true) return sharedEngine().create(options);
  return new SlabAllocator(options);
}
