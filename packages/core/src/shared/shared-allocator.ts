// Over 400 lines on purpose: one class overriding every public SlabAllocator method for shared
// memory (a guard test in shared-semantics.test.ts checks that none is missed); the work itself is
// in the small modules beside it (refill, slab-ops, epoch-ops, adopt, lock, owners).
import type { SlabAllocator } from '../allocator.js';
import type { HeapBacking } from '../heap-core.js';
import * as coreLayout from '../layout.js';
import { assertTableRange } from '../errors.js';
import { FixedSharedMemory, createSharedMemory } from './memory.js';
import { resolveOptions, type HeapConfig } from '../options.js';
import type {
  AllocatorOptions, CloseReport, EpochId, EpochState, Handle, Ptr, SlabClassStats, SlabEpochStats, SlabGlobalStats, StatsDump,
} from '../types.js';
import { adoptOrphans, maybeAdoptOrphans } from './adopt.js';
import type { SharedHeap, SharedViewStats } from './api.js';
import { checkShared } from './check.js';
import * as epochs from './epoch-ops.js';
import * as sharedLayout from './layout.js';
import { collect, refill } from './refill.js';
import { attachView, createView, detachView, handleOf, readTag, type SharedHeapHandle } from './setup.js';
import { flushAll, freeRemote } from './remote-batch.js';
import { RETRY, afterReturn } from './slab-ops.js';
import { classIndex, emptyReport, sizeError, sharedClassStats, sharedDump, sharedEpochStats, sharedGlobalStats, viewStatsOf } from './stats.js';
import type { SharedView } from './view.js';

// Module-local copies of the layout constants: V8 folds these into machine code, not imported bindings (see allocator.ts).
const { GEN_BITS, GEN_MASK, MALLOC_HEADER_BYTES, NO_SLAB, INVERSE_OFFSET_FIELD, OFFSET_FIELD, OFFSET_MASK, RING_CLOSED, RING_CLOSING, RING_OPEN, SLAB_ACTIVE } = coreLayout;
const { C_ALLOCS, C_EPOCH_CLOSED, F_CURRENT, F_NEXT_ID, H_CURRENT_RING, H_SLAB_TOP, H_LEASE_MS, M_LOCKS, OWNER_ALIVE, SLOT_CLAIM, SLOT_WORDS_SHIFT, SUMMARY_STRIDE } = sharedLayout;

/** What allocator.ts needs from shared mode: build a heap, or a view of one from share()'s handle. */
export interface SharedEngine {
  create(options: AllocatorOptions): SlabAllocator;
  attach(handle: SharedHeapHandle): SlabAllocator;
}


/**
 * Defines the shared-mode SlabAllocator subclass. It is built from the base class handed in (not
 * imported), so allocator.ts can import this module without an import cycle at load time. Plain
 * heaps never run any of this: their call sites only ever see the base class.
 *
 * (About 520 lines, as allocator.ts and for the same reason: every public method is an override
 * on this one class, whose fast paths must inline into the caller. The cold work is already in
 * the modules beside it: refill, slab-ops, epoch-ops, adopt, remote-free, stats, check.)
 */
export function defineSharedAllocator(Base: typeof SlabAllocator): SharedEngine {
  class SharedSlabAllocator extends Base implements SharedHeap {
    /** This view's owner id (1..63): slabs it allocates from are its own. */
    readonly ownerId: number;
    private readonly view: SharedView;
    private readonly hdr: Int32Array;
    private readonly ringIdsS: Float64Array;
    private readonly ringStateS: Int32Array;
    private readonly freeTopS: Int32Array;
    private readonly freeSlotsS: Uint16Array;
    /** Per slot (state.ts, layout.ts SLOT_*): its generation, then its claim. */
    private readonly gensS: Int32Array;
    private readonly stateS: Int32Array;
    private readonly classS: Int32Array;
    private readonly slotsS: Int32Array;
    private readonly listAtS: Int32Array;
    private readonly ownerS: Int32Array;
    private readonly myCur: Int32Array;
    private readonly myAllocs: Float64Array;
    private readonly sizesS: Int32Array;
    /** 1 / object size per class: locateS multiplies instead of dividing (an integer division is 20-40 cycles). */
    private readonly inverseSizesS: Float64Array;
    private readonly slotShiftS: number;
    private readonly slabShiftS: number;
    private genS = 0;
    /** ownerId while attached; -1 after detach(), so any later free through this view takes the remote path. */
    private localOwner: number;
    private timer: ReturnType<typeof setInterval> | undefined;

    constructor(config: HeapConfig, options: AllocatorOptions, handle: SharedHeapHandle | undefined) {
      const backing: HeapBacking = handle ? { memory: new FixedSharedMemory(handle.data), tag: readTag(handle) } : { memory: createSharedMemory(config) };
      super(options, backing);
      const view = handle ? attachView(handle, config, this.memory, this.classes.sizes) : createView(config, this.memory, this.classes.sizes, this.tag);
      this.view = view;
      this.ownerId = view.owner;
      this.localOwner = view.owner;
      const s = view.s;
      this.hdr = s.hdr;
      this.ringIdsS = s.ringIds;
      this.ringStateS = s.ringState;
      this.freeTopS = s.slabFreeTop;
      this.freeSlotsS = s.freeSlots;
      this.gensS = s.gens;
      this.stateS = s.slabState;
      this.classS = s.slabClass;
      this.slotsS = s.slabSlots;
      this.listAtS = s.slabListAt;
      this.ownerS = s.slabOwner;
      this.myCur = view.myCur;
      const classes = this.classCount;
      this.myAllocs = view.myCounters.subarray(C_ALLOCS * classes, (C_ALLOCS + 1) * classes);
      this.sizesS = this.classes.sizes;
      this.inverseSizesS = Float64Array.from(this.classes.sizes, (size) => 1 / size);
      this.slotShiftS = s.layout.slotShift;
      this.slabShiftS = s.layout.slabShift;
      this.startHeartbeat();
    }

    /** Heartbeat and housekeeping between tasks: an idle worker still merges frees and looks alive. */
    private startHeartbeat(): void {
      const ref = new WeakRef(this);
      const period = 100;
      const timer = setInterval(() => {
        const heap = ref.deref();
        if (heap === undefined) clearInterval(timer);
        else heap.tick();
      }, period);
      (timer as { unref?: () => void }).unref?.();
      this.timer = timer;
    }

    private tick(): void {
      const s = this.view.s;
      if (s.ownerState[this.ownerId] !== OWNER_ALIVE) {
        clearInterval(this.timer);
        return;
      }
      s.ownerBeat[this.ownerId * SUMMARY_STRIDE]++;
      const view = this.view;
      if (!view.lock.tryAcquire(view.myMisc, M_LOCKS)) return; // busy (or its holder died): next tick
      try {
        collect(view);
        maybeAdoptOrphans(view);
      } finally {
        view.unlock();
      }
    }

    // ---- handle API: same encoding, checks and fast paths as plain mode, no atomics (remote-free.ts) ----

    override alloc(size: number, epoch?: EpochId): Handle {
      const unit = this.allocUnitS(size, epoch);
      return (this.tagHigh + this.genS) * OFFSET_FIELD + unit;
    }

    private allocUnitS(size: number, epoch: EpochId | undefined): number {
      if (!(size >= 1 && size <= this.maxObjectSize && (size | 0) === size)) throw sizeError(size, this.maxObjectSize);
      const cls = this.classes.classBySize8[(size + 7) >> 3];
      const ring = this.hdr[H_CURRENT_RING];
      const key = ring * this.classCount + cls;
      const slab = this.myCur[key];
      const top = this.freeTopS[slab << 4] - 1;
      // Explicit epochs and refills are one out-of-line call: the fast path stays small enough for
      // V8 to inline it into the caller's loop (as in plain mode, allocator.ts).
      if (top < 0 || (epoch !== undefined && (this.ringIdsS[ring] !== epoch || this.ringStateS[ring] !== RING_OPEN))) return this.allocSlowS(size, epoch, cls);
      return this.takeSlotS(slab, top, cls);
    }

    private takeSlotS(slab: number, top: number, cls: number): number {
      this.freeTopS[slab << 4] = top;
      const base = slab << this.slotShiftS;
      const slot = this.freeSlotsS[base + top];
      const gen = (this.gensS[(base | slot) << SLOT_WORDS_SHIFT] + 1) & GEN_MASK;
      this.gensS[(base | slot) << SLOT_WORDS_SHIFT] = gen;
      this.myAllocs[cls]++;
      this.genS = gen;
      return ((slab << this.slabShiftS) + slot * this.sizesS[cls]) >>> 3;
    }

    /** alloc into an epoch other than the current one, or when the current slab is exhausted. */
    private allocSlowS(size: number, epoch: EpochId | undefined, cls: number): number {
      let ring = this.hdr[H_CURRENT_RING];
      if (epoch !== undefined) {
        if (this.ringIdsS[ring] !== epoch) ring = epoch % this.epochSlots;
        if (this.ringIdsS[ring] !== epoch || this.ringStateS[ring] !== RING_OPEN) return this.refuseS(cls, epoch);
      }
      const key = ring * this.classCount + cls;
      let slab = this.myCur[key];
      if (this.freeTopS[slab << 4] === 0) {
        slab = refill(this.view, cls, ring, key);
        if (slab <= NO_SLAB) return slab === RETRY ? this.retryS(size, epoch, cls) : this.failS();
      }
      return this.takeSlotS(slab, this.freeTopS[slab << 4] - 1, cls);
    }

    private retryS(size: number, epoch: EpochId | undefined, cls: number): number {
      return epoch === undefined ? this.allocUnitS(size, undefined) : this.refuseS(cls, epoch);
    }

    override free(h: Handle): boolean {
      if (typeof h !== 'number') return false;
      const unit = h & OFFSET_MASK;
      const high = (h * INVERSE_OFFSET_FIELD) >>> 0;
      if (high * OFFSET_FIELD + unit !== h || high >>> GEN_BITS !== this.tag) return false;
      return this.freeUnitS(unit, high & GEN_MASK);
    }

    /** Slot index (slab << slotShift | slot) of `unit` if the slot is live with `gen`, else -1. Never throws. */
    private locateS(unit: number, gen: number): number {
      const offset = unit << 3;
      const slab = offset >>> this.slabShiftS;
      if ((gen & 1) === 0 || slab >= this.hdr[H_SLAB_TOP] || this.stateS[slab] !== SLAB_ACTIVE) return -1;
      const cls = this.classS[slab];
      if (cls < 0 || cls >= this.classCount) return -1;
      const size = this.sizesS[cls];
      const inSlab = offset & (this.slabBytes - 1);
      // The product check below rejects offsets that are not a slot's start.
      const slot = (inSlab * this.inverseSizesS[cls] + 0.5) | 0;
      if (slot * size !== inSlab || slot >= this.slotsS[slab]) return -1;
      const at = (slab << this.slotShiftS) | slot;
      return this.gensS[at << SLOT_WORDS_SHIFT] === gen && this.gensS[(at << SLOT_WORDS_SHIFT) | SLOT_CLAIM] !== gen ? at : -1;
    }

    /**
     * Where a slot of this view's slabs is taken back: plain mode's free (remote-free.ts says why no
     * atomic is needed); a slot of another view's slab goes to freeRemote (remote-batch.ts), which
     * V8 never inlines, so that this path stays small enough to inline beside alloc. locateS's checks in one
     * straight run: split, V8 merged locateS's -1 path and read every array again after it.
     */
    private freeUnitS(unit: number, gen: number): boolean {
      const offset = unit << 3;
      const slab = offset >>> this.slabShiftS;
      if ((gen & 1) === 0 || slab >= this.hdr[H_SLAB_TOP]) return false;
      // No state or slot-count check: slots of free and cached slabs and slot entries past a
      // slab's count hold only even generations, so they cannot equal the odd `gen` (check()
      // verifies it). A slab's class is always a valid index, even while the slab is free.
      const cls = this.classS[slab];
      const inSlab = offset & (this.slabBytes - 1);
      const slot = (inSlab * this.inverseSizesS[cls] + 0.5) | 0;
      if (slot * this.sizesS[cls] !== inSlab) return false;
      const base = slab << this.slotShiftS;
      const gens = this.gensS;
      // Dead when the generation moved on, or when another view's free claimed it (remote-free.ts).
      const at = (base | slot) << SLOT_WORDS_SHIFT;
      if (gens[at] !== gen || gens[at | SLOT_CLAIM] === gen) return false;
      if (this.ownerS[slab] !== this.localOwner) return freeRemote(this.view, slab, slot, gen, this.localOwner >= 0);
      gens[at] = (gen + 1) & GEN_MASK;
      const top = this.freeTopS[slab << 4] + 1;
      this.freeSlotsS[base + top - 1] = slot;
      this.freeTopS[slab << 4] = top;
      if (top === this.slotsS[slab] || top === this.listAtS[slab << 4]) afterReturn(this.view, slab);
      return true;
    }

    override allocInto(size: number, table: Float64Array, index: number, epoch?: EpochId): Ptr {
      const unit = this.allocUnitS(size, epoch);
      table[index] = (this.tagHigh + this.genS) * OFFSET_FIELD + unit;
      return unit << 3;
    }

    override allocMany(size: number, table: Float64Array, start: number, count: number, epoch?: EpochId): number {
      assertTableRange(table, start, count);
      let done = 0;
      while (done < count) {
        const unit = this.allocUnitS(size, epoch);
        if (unit === 0) break;
        table[start + done++] = (this.tagHigh + this.genS) * OFFSET_FIELD + unit;
      }
      return done;
    }

    override freeFrom(table: Float64Array, index: number): boolean {
      const h = table[index];
      const unit = h & OFFSET_MASK;
      const high = (h * INVERSE_OFFSET_FIELD) >>> 0;
      if (high * OFFSET_FIELD + unit !== h || high >>> GEN_BITS !== this.tag) return false;
      return this.freeUnitS(unit, high & GEN_MASK);
    }

    override freeMany(table: Float64Array, start: number, end: number): number {
      let freed = 0;
      for (let i = start; i < end; i++) {
        const h = table[i];
        const unit = h & OFFSET_MASK;
        const high = (h * INVERSE_OFFSET_FIELD) >>> 0;
        if (high * OFFSET_FIELD + unit === h && high >>> GEN_BITS === this.tag && this.freeUnitS(unit, high & GEN_MASK)) freed++;
      }
      return freed;
    }

    override isLive(h: Handle): boolean {
      if (typeof h !== 'number') return false;
      const unit = h & OFFSET_MASK;
      const high = (h * INVERSE_OFFSET_FIELD) >>> 0;
      if (high * OFFSET_FIELD + unit !== h || high >>> GEN_BITS !== this.tag) return false;
      return this.locateS(unit, high & GEN_MASK) >= 0;
    }

    override malloc(size: number, epoch?: EpochId): Ptr {
      if (!(size >= 1 && size <= this.maxMallocSize && (size | 0) === size)) throw sizeError(size, this.maxMallocSize);
      const unit = this.allocUnitS(size + MALLOC_HEADER_BYTES, epoch);
      if (unit === 0) return 0;
      this.f64[unit] = (this.tagHigh + this.genS) * OFFSET_FIELD + unit;
      return (unit << 3) + MALLOC_HEADER_BYTES;
    }

    override freePtr(p: Ptr): boolean {
      if (typeof p !== 'number' || !(p >= 16) || p % 8 !== 0 || p >= this.hdr[H_SLAB_TOP] * this.slabBytes) return false;
      const unit = (p - MALLOC_HEADER_BYTES) >> 3;
      const h = this.f64[unit];
      const high = (h * INVERSE_OFFSET_FIELD) >>> 0;
      if (high * OFFSET_FIELD + unit !== h || high >>> GEN_BITS !== this.tag) return false;
      return this.freeUnitS(unit, high & GEN_MASK);
    }

    // ---- epochs: under the heap lock --------------------------------------------------------------

    private locked<T>(run: (v: SharedView) => T): T {
      this.view.lockFor(-1);
      try {
        return run(this.view);
      } finally {
        this.view.unlock();
      }
    }

    override epochCurrent(): EpochId {
      return this.view.s.hdr64[F_CURRENT];
    }

    override epochOpen(): EpochId {
      flushAll(this.view);
      return this.locked((v) => {
        const ring = epochs.openRing(v);
        if (ring < 0) throw epochs.fullError(v);
        return v.s.ringIds[ring];
      });
    }

    override epochAdvance(): EpochId {
      const id = this.tryEpochAdvance();
      if (id < 0) throw this.locked((v) => epochs.fullError(v));
      return id;
    }

    // Frame loops call these every frame: no closure, no object beyond `into`.
    override tryEpochAdvance(): EpochId | -1 {
      flushAll(this.view);
      const view = this.view;
      view.lockFor(-1);
      try {
        return epochs.advance(view);
      } finally {
        view.unlock();
      }
    }

    override epochClose(e: EpochId, into: CloseReport = emptyReport()): CloseReport {
      this.assertEpochId('e', e);
      flushAll(this.view);
      const view = this.view;
      view.lockFor(-1);
      try {
        return this.reportS(into, e, 0, epochs.close(view, e));
      } finally {
        view.unlock();
      }
    }

    override epochReset(e: EpochId, into: CloseReport = emptyReport()): CloseReport {
      this.assertEpochId('e', e);
      flushAll(this.view);
      const view = this.view;
      view.lockFor(-1);
      try {
        const freed = epochs.reset(view, e);
        return this.reportS(into, e, freed, view.resetSlabs);
      } finally {
        view.unlock();
      }
    }

    private reportS(into: CloseReport, e: EpochId, freed: number, released: number): CloseReport {
      const ring = epochs.ringOf(this.view, e);
      into.epoch = e;
      into.state = ring < 0 ? 'free' : epochs.stateName(this.view, ring);
      into.liveObjects = ring < 0 ? 0 : this.view.s.ringLive(ring);
      into.freedObjects = freed;
      into.releasedSlabs = released;
      into.reclaimedBytes = 0; // a SharedArrayBuffer never shrinks
      return into;
    }

    override epochState(e: EpochId): EpochState {
      this.assertEpochId('e', e);
      const ring = epochs.ringOf(this.view, e);
      return ring < 0 ? 'free' : epochs.stateName(this.view, ring);
    }

    override epochLabel(e: EpochId, label?: string): string {
      this.assertEpochId('e', e);
      return this.locked((v) => {
        const ring = epochs.ringOf(v, e);
        if (label === undefined) return ring < 0 || v.s.ringLabel[ring] < 0 ? '' : epochs.labelAt(v, v.s.ringLabel[ring]);
        const index = epochs.labelIndex(v, label);
        if (ring >= 0) v.s.ringLabel[ring] = index;
        return label;
      });
    }

    /** A SharedArrayBuffer cannot shrink: nothing to trim. */
    override trim(): number {
      return 0;
    }

    override isOpen(e: EpochId): boolean {
      const ring = epochs.ringOf(this.view, e);
      return ring >= 0 && this.ringStateS[ring] === RING_OPEN;
    }

    override isDraining(e: EpochId): boolean {
      const ring = epochs.ringOf(this.view, e);
      return ring >= 0 && (this.ringStateS[ring] === RING_CLOSING || this.ringStateS[ring] === RING_CLOSED);
    }

    override assertEpochId(name: string, e: unknown): asserts e is EpochId {
      const nextId = this.view.s.hdr64[F_NEXT_ID];
      if (typeof e !== 'number' || !Number.isInteger(e)) {
        throw new TypeError(`${name} must be an epoch id (an integer in 0..${nextId - 1}), got ${typeof e === 'number' ? e : `${typeof e} ${String(e)}`}`);
      }
      if (e < 0 || e >= nextId) throw new RangeError(`${name} must be an epoch id this allocator handed out (0..${nextId - 1}), got ${e}`);
    }

    // ---- workers ----------------------------------------------------------------------------------

    override share(): SharedHeapHandle {
      return handleOf(this.view);
    }

    override adoptOrphans(dead?: readonly number[]): number {
      const adopted = adoptOrphans(this.view, dead);
      this.collect();
      return adopted;
    }

    collect(): number {
      const view = this.view;
      view.lockFor(-1);
      try {
        return collect(view);
      } finally {
        view.unlock();
      }
    }

    /**
     * Splices the remote frees this view buffered onto their slabs' remote lists, where their
     * owners merge them. Runs by itself at every flush point; call it before idling for long.
     */
    flushRemote(): void {
      flushAll(this.view);
    }

    detach(): void {
      clearInterval(this.timer);
      this.collect();
      this.localOwner = -1;
      detachView(this.view);
    }

    setOwnerLease(ms: number): void {
      if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > 2 ** 31 - 1) {
        throw new RangeError(`ms must be an integer in 0..2147483647 (0 disables presuming a silent view dead), got ${String(ms)}`);
      }
      this.view.s.hdr[H_LEASE_MS] = ms;
    }

    viewStats(): SharedViewStats {
      return viewStatsOf(this.view);
    }

    withHeapLock<T>(run: () => T): T {
      return this.locked(() => run());
    }

    // ---- stats and check --------------------------------------------------------------------------

    override statsClass(i: number, into?: SlabClassStats): SlabClassStats {
      flushAll(this.view);
      return sharedClassStats(this.view, classIndex(i, this.classCount), into);
    }

    override statsGlobal(into?: SlabGlobalStats): SlabGlobalStats {
      flushAll(this.view);
      return sharedGlobalStats(this.view, into);
    }

    override statsEpoch(e: EpochId, into?: SlabEpochStats): SlabEpochStats {
      flushAll(this.view);
      this.assertEpochId('e', e);
      return sharedEpochStats(this.view, e, into);
    }

    override statsDump(): StatsDump {
      flushAll(this.view);
      return sharedDump(this.view);
    }

    override check(): void {
      this.locked((v) => {
        collect(v);
        checkShared(v, this.u8.buffer === this.memory.buffer);
      });
    }

    // ---- cold -------------------------------------------------------------------------------------

    private refuseS(cls: number, epoch: unknown): number {
      this.assertEpochId('epoch', epoch);
      this.view.myCounters[C_EPOCH_CLOSED * this.classCount + cls]++;
      return this.failS();
    }

    private failS(): number {
      this.genS = -this.tagHigh;
      return 0;
    }
  }

  return {
    create: (options) => new SharedSlabAllocator(resolveOptions(options), options, undefined),
    attach: (handle) => {
      const options = handle.options;
      return new SharedSlabAllocator(resolveOptions({ ...options, shared: true }), { ...options, shared: true }, handle);
    },
  };
}

export type { SharedHeapHandle };
