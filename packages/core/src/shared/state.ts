import { RESERVED_SLABS, SLAB_ACTIVE } from '../layout.js';
import * as sharedLayout from './layout.js';
import { BATCH_WORDS, C_PENDING, HEADER_WORDS, H_SLAB_TOP, MAX_OWNERS, SLAB_STRIDE, SUMMARY_STRIDE, type SharedLayout } from './layout.js';

// Module-local copies: V8 folds these into machine code, not imported bindings (see allocator.ts).
const { SLOT_CLAIM, SLOT_WORDS_SHIFT } = sharedLayout;

/**
 * Typed-array views of one metadata SharedArrayBuffer (see layout.ts for who writes what). Every
 * attached view builds its own SharedState over the same buffer; the arrays are the heap.
 */
export class SharedState {
  readonly meta: SharedArrayBuffer;
  readonly layout: SharedLayout;
  readonly hdr: Int32Array;
  readonly hdr64: Float64Array;
  readonly historyCommitted: Float64Array;
  readonly historyLive: Float64Array;
  readonly labelChars: Uint16Array;
  readonly labelLength: Int32Array;
  readonly ringIds: Float64Array;
  readonly ringOpenedAt: Float64Array;
  readonly ringState: Int32Array;
  readonly ringSlabs: Int32Array;
  readonly ringLabel: Int32Array;
  readonly classActive: Int32Array;
  readonly cacheCount: Int32Array;
  readonly cache: Int32Array;
  /** summary[owner * SUMMARY_STRIDE] = 1 when that owner's remote-pending bitmap may have bits. */
  readonly summary: Int32Array;
  readonly ownerState: Int32Array;
  readonly ownerBeat: Int32Array;

  readonly slabState: Int32Array;
  readonly slabClass: Int32Array;
  readonly slabLastClass: Int32Array;
  readonly slabRing: Int32Array;
  readonly slabOwner: Int32Array;
  /*
   * The owner-written per-slab words share one cache line per slab (layout.ts SLAB_STRIDE): index
   * them with slab << 4. So does slabRemoteHead, in a region of its own.
   */
  readonly slabFreeTop: Int32Array;
  readonly slabSlots: Int32Array;
  /**
   * Free slots at which a slab not current joins its owner's partial list: a sixteenth of its slots
   * (as in plain mode: listing at the first free slot makes refills hand out one or two slots).
   */
  readonly slabListAt: Int32Array;
  readonly slabNext: Int32Array;
  readonly slabPrev: Int32Array;
  readonly slabListed: Int32Array;
  /** Head of the slab's remote-free list: slot + 1, 0 when empty. */
  readonly slabRemoteHead: Int32Array;

  /**
   * Two words per slot (layout.ts SLOT_WORDS_SHIFT; slot index i = slab << slotShift | slot):
   * its generation, odd while live, written only by the slab's owner; then its claim: the
   * generation another view freed it at while that free waits for the owner's merge (0: none),
   * written by CAS (remote frees) and by the owner's merge (remote-free.ts). Side by side, so a
   * free reads one cache line and a remote free moves one line between the cores, not two.
   */
  readonly gens: Int32Array;
  /** Per slot: next slot + 1 in a remote-free list. */
  readonly remoteNext: Int32Array;
  /** Per slab, slotsPerSlab entries: the owner's local free stack. */
  readonly freeSlots: Uint16Array;

  /** Owner rows, indexed by owner id (row 0: counters of retired owners). */
  readonly rowCounters: Float64Array[] = [];
  /** Per owner and ring slot: remote-free entries added minus merged (layout.ts C_PENDING). */
  readonly rowRingPending: Float64Array[] = [];
  readonly rowMisc: Float64Array[] = [];
  readonly rowCur: Int32Array[] = [];
  readonly rowPartial: Int32Array[] = [];
  readonly rowBits: Int32Array[] = [];
  /** Per owner: its buffered remote-free chains (layout.ts BATCH_WORDS). */
  readonly rowBatch: Int32Array[] = [];

  constructor(meta: SharedArrayBuffer, layout: SharedLayout) {
    this.meta = meta;
    this.layout = layout;
    const o = layout.offsets;
    const { epochSlots, classCount, cacheSlabs, maxSlabs, slotsPerSlab } = layout;
    const i32 = (at: number, n: number) => new Int32Array(meta, at, n);
    const f64 = (at: number, n: number) => new Float64Array(meta, at, n);
    this.hdr = i32(o.hdr32, HEADER_WORDS);
    this.hdr64 = f64(o.hdr64, 8);
    this.historyCommitted = f64(o.historyCommitted, 64);
    this.historyLive = f64(o.historyLive, 64);
    this.labelChars = new Uint16Array(meta, o.labelChars, 16 * 64);
    this.labelLength = i32(o.labelLength, 16);
    this.ringIds = f64(o.ringIds, epochSlots);
    this.ringOpenedAt = f64(o.ringOpenedAt, epochSlots);
    this.ringState = i32(o.ringState, epochSlots);
    this.ringSlabs = i32(o.ringSlabs, epochSlots);
    this.ringLabel = i32(o.ringLabel, epochSlots);
    this.classActive = i32(o.classActive, classCount);
    this.cacheCount = i32(o.cacheCount, classCount);
    this.cache = i32(o.cache, Math.max(1, classCount * cacheSlabs));
    this.summary = i32(o.summary, MAX_OWNERS * SUMMARY_STRIDE);
    this.ownerState = i32(o.ownerState, MAX_OWNERS);
    this.ownerBeat = i32(o.ownerBeat, MAX_OWNERS * SUMMARY_STRIDE);
    this.slabState = i32(o.slabState, maxSlabs);
    this.slabClass = i32(o.slabClass, maxSlabs);
    this.slabLastClass = i32(o.slabLastClass, maxSlabs);
    this.slabRing = i32(o.slabRing, maxSlabs);
    this.slabOwner = i32(o.slabOwner, maxSlabs);
    this.slabSlots = i32(o.slabSlots, maxSlabs);
    // The hot record: word k of slab i is at (i << 4) + k; each view starts k words in.
    const hot = (k: number) => i32(o.slabHot + k * 4, maxSlabs * SLAB_STRIDE - k);
    // A slab's objects in use are slabSlots - slabFreeTop (remote frees count until merged): no
    // live word, so alloc and free write one word of the record fewer.
    this.slabFreeTop = hot(0);
    this.slabListAt = hot(1);
    this.slabListed = hot(2);
    this.slabNext = hot(3);
    this.slabPrev = hot(4);
    this.slabRemoteHead = i32(o.slabRemoteHead, maxSlabs * SLAB_STRIDE);
    this.gens = i32(o.gens, (maxSlabs * slotsPerSlab) << SLOT_WORDS_SHIFT);
    this.remoteNext = i32(o.remoteNext, maxSlabs * slotsPerSlab);
    this.freeSlots = new Uint16Array(meta, o.freeSlots, maxSlabs * slotsPerSlab);
    const row = layout.row;
    for (let owner = 0; owner < MAX_OWNERS; owner++) {
      const base = layout.rowsBase + owner * layout.rowBytes;
      this.rowCounters.push(f64(base + row.counters, 11 * classCount));
      this.rowRingPending.push(f64(base + row.ringPending, epochSlots));
      this.rowMisc.push(f64(base + row.misc, 8));
      this.rowCur.push(i32(base + row.cur, layout.keyCount));
      this.rowPartial.push(i32(base + row.partial, layout.keyCount));
      this.rowBits.push(i32(base + row.bits, layout.bitmapWords));
      this.rowBatch.push(i32(base + row.batch, BATCH_WORDS));
    }
  }

  /**
   * Live objects of ring slot `ring` (-1: every ring) or of class `cls` (-1: every class): the slots
   * its active slabs hold off their free stacks, less the remote frees not merged yet. Not counted
   * per operation (as in plain mode): an own free then writes no counter. A moment's sum while
   * other workers run; exact once they are idle.
   */
  live(ring: number, cls: number): number {
    let used = 0;
    const top = this.hdr[H_SLAB_TOP];
    for (let slab = RESERVED_SLABS; slab < top; slab++) {
      if (this.slabState[slab] !== SLAB_ACTIVE || (ring >= 0 && this.slabRing[slab] !== ring) || (cls >= 0 && this.slabClass[slab] !== cls)) continue;
      used += this.slabSlots[slab] - this.slabFreeTop[slab << 4];
    }
    return used - this.pending(ring, cls);
  }

  /**
   * Remote-free entries queued and not merged yet (layout.ts C_PENDING), summed over the owner
   * rows: of ring slot `ring`, or when `ring` is -1 of class `cls` (-1: every class).
   */
  pending(ring: number, cls: number): number {
    let pending = 0;
    const classes = this.layout.classCount;
    for (let owner = 0; owner < MAX_OWNERS; owner++) {
      if (ring >= 0) {
        pending += this.rowRingPending[owner][ring];
        continue;
      }
      const counters = this.rowCounters[owner];
      for (let c = 0; c < classes; c++) if (cls < 0 || c === cls) pending += counters[C_PENDING * classes + c];
    }
    return pending;
  }

  // Slot words for the cold paths (check, reset, adoption, format); the fast paths in
  // shared-allocator.ts and remote-free.ts index `gens` with the same layout.ts constants.

  /** Generation of slot index `i` (slab << slotShift | slot). */
  genAt(i: number): number {
    return this.gens[i << SLOT_WORDS_SHIFT];
  }

  setGenAt(i: number, gen: number): void {
    this.gens[i << SLOT_WORDS_SHIFT] = gen;
  }

  /** Claim of slot index `i` (remote-free.ts). */
  claimAt(i: number): number {
    return this.gens[(i << SLOT_WORDS_SHIFT) | SLOT_CLAIM];
  }

  /** Clears a claim with a plain store: only where no other view can be claiming the slot. */
  clearClaimAt(i: number): void {
    this.gens[(i << SLOT_WORDS_SHIFT) | SLOT_CLAIM] = 0;
  }

  /** A live slot: an odd generation that no other view's free has claimed. */
  isLiveAt(i: number): boolean {
    const gen = this.genAt(i);
    return (gen & 1) === 1 && this.claimAt(i) !== gen;
  }

  ringLive(ring: number): number {
    return this.live(ring, -1);
  }

  /** Sum of one per-class counter over every owner row. */
  counter(kind: number, cls: number): number {
    const at = kind * this.layout.classCount + cls;
    let total = 0;
    for (let owner = 0; owner < MAX_OWNERS; owner++) total += this.rowCounters[owner][at];
    return total;
  }

  misc(index: number): number {
    let total = 0;
    for (let owner = 0; owner < MAX_OWNERS; owner++) total += this.rowMisc[owner][index];
    return total;
  }

  liveObjects(): number {
    return this.live(-1, -1);
  }
}
