import { EpochRing } from './epochs.js';
import type { EpochRingFullError } from './errors.js';
import {
  HISTORY_LENGTH,
  NO_SLAB,
  RESERVED_SLABS,
  RING_OPEN,
  SLAB_ACTIVE,
  SLAB_CACHED,
  SLAB_FREE,
} from './layout.js';
import { createMemory, type MemorySource } from './memory.js';
import type { HeapConfig } from './options.js';
import { SizeClasses } from './size-classes.js';
import { SlabTable } from './slab.js';
import { ClassCounters } from './class-counters.js';

let nextTag = 0;

/** Memory supplied by shared/ (and, for a worker's view of a shared heap, the heap's allocator tag). */
export interface HeapBacking {
  readonly memory: MemorySource;
  readonly tag?: number;
}

/**
 * (About 440 lines: the heap's state and every slow path that changes it, kept together so one
 * file holds every transition a slab can make.)
 *
 * Heap state and the slow paths: getting slabs for an (epoch, class), giving empty slabs back to
 * the class cache or the buffer, and shrinking the buffer from its tail. The public API and the
 * fast paths are in allocator.ts; this file never runs per allocation except on a slab change.
 */
export class HeapCore {
  readonly config: HeapConfig;
  readonly classes: SizeClasses;
  readonly slabs: SlabTable;
  readonly ring: EpochRing;
  readonly memory: MemorySource;
  readonly classCount: number;
  readonly maxSlabs: number;
  /** Allocator tag in the handle's top bits, pre-shifted: tag * 2^18. */
  readonly tagHigh: number;
  readonly tag: number;

  /** Slabs inside the buffer (slab 0 reserved included): buffer bytes = slabTop * slabBytes. */
  slabTop = RESERVED_SLABS;
  freeSlabCount = 0;
  lowestFreeHint = RESERVED_SLABS;
  activeSlabCount = 0;
  cachedSlabCount = 0;

  /** Current slab of each (ring slot, class): index ring * classCount + cls; 0 = none. */
  readonly currentSlab: Int32Array;
  /** Head of each (ring slot, class) list of partially used slabs that are not current. */
  readonly partialHead: Int32Array;
  /** Per-class stacks of empty slabs kept for reuse. */
  readonly cache: Int32Array;
  readonly cacheCount: Int32Array;

  readonly counters: ClassCounters;
  reclaimedBytes = 0;
  /**
   * The epoch alloc uses by default and its ring slot. Here, not in EpochRing: alloc reads them
   * on every call, and a field of the heap is one load where the ring's is two and a map check.
   */
  currentEpoch = 0;
  currentRing = 0;
  peakBytes = 0;
  allocFailedMaxBytes = 0;
  viewVersion = 0;

  /*
   * The slab arrays alloc and free touch, as own fields: one load each instead of two (measured:
   * reading them through this.slabs cost about 12 ns per alloc+free pair). SlabTable replaces its
   * arrays when it resizes; bindSlabArrays() re-reads them, and check() verifies they agree.
   */
  slotGens!: Uint32Array;
  slotStack!: Uint16Array;
  /** SlabTable.header: free-stack top, slot count, list threshold, object size (layout.ts: HDR_*). */
  slabHeader!: Int32Array;
  slabInverseSize!: Float64Array;
  readonly slotShift: number;
  readonly slabShift: number;
  readonly unitShift: number;
  readonly unitMask: number;

  u8!: Uint8Array;
  i32!: Int32Array;
  u32!: Uint32Array;
  f32!: Float32Array;
  f64!: Float64Array;

  readonly committedHistory = new Float64Array(HISTORY_LENGTH);
  readonly liveHistory = new Float64Array(HISTORY_LENGTH);
  historyCount = 0;
  readonly labels: string[] = [];

  constructor(config: HeapConfig, backing?: HeapBacking) {
    this.config = config;
    this.classes = new SizeClasses(config.sizeClasses);
    this.classCount = this.classes.count;
    this.maxSlabs = Math.floor(config.maxBytes / config.slabBytes);
    const inPlaceSlabs = !backing && config.backing === 'resizable' ? this.maxSlabs : 0;
    this.slabs = new SlabTable(config.slabBytes, config.sizeClasses[0], inPlaceSlabs, !backing && config.backing === 'transfer');
    this.ring = new EpochRing(config.epochSlots);
    this.tag = backing?.tag ?? (nextTag++ % 511) + 1;
    this.tagHigh = this.tag * 2 ** 18;
    this.memory = backing ? backing.memory : createMemory(config.backing, RESERVED_SLABS * config.slabBytes, this.maxSlabs * config.slabBytes);
    this.slotShift = this.slabs.slotShift;
    this.slabShift = this.slabs.slabShift;
    this.unitShift = this.slabs.unitShift;
    this.unitMask = this.slabs.unitMask;
    this.slabs.ensureCapacity(RESERVED_SLABS, this.maxSlabs);
    this.bindSlabArrays();
    this.currentSlab = new Int32Array(config.epochSlots * this.classCount);
    this.partialHead = new Int32Array(config.epochSlots * this.classCount);
    this.cache = new Int32Array(Math.max(1, this.classCount * config.cacheSlabs));
    this.cacheCount = new Int32Array(this.classCount);
    this.counters = new ClassCounters(this.classCount);
    this.createViews();
    this.peakBytes = this.reservedBytes();
  }

  /** Re-reads the slab arrays after SlabTable resized them. */
  private bindSlabArrays(): void {
    const slabs = this.slabs;
    this.slotGens = slabs.gens;
    this.slotStack = slabs.freeSlots;
    this.slabHeader = slabs.header;
    this.slabInverseSize = slabs.inverseSize;
  }

  private createViews(): void {
    const buffer = this.memory.buffer;
    this.u8 = new Uint8Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.u32 = new Uint32Array(buffer);
    this.f32 = new Float32Array(buffer);
    this.f64 = new Float64Array(buffer);
  }

  metadataBytes(): number {
    return this.slabs.metadataBytes() + (this.currentSlab.length + this.partialHead.length + this.cache.length) * 4;
  }

  committedBytes(): number {
    return this.activeSlabCount * this.config.slabBytes + this.metadataBytes();
  }

  reservedBytes(): number {
    return this.memory.buffer.byteLength + this.metadataBytes();
  }

  /** Resizes the buffer to `slabCount` slabs; false when maxBytes or the engine refuses. */
  private setSlabTop(slabCount: number): boolean {
    if (slabCount > this.maxSlabs) return false;
    this.slabs.ensureCapacity(slabCount, this.maxSlabs);
    this.bindSlabArrays();
    if (!this.memory.resize(slabCount * this.config.slabBytes)) return false;
    if (slabCount > this.slabTop) this.freeSlabCount += slabCount - this.slabTop;
    else this.freeSlabCount -= this.slabTop - slabCount;
    if (this.memory.canShrink || slabCount > this.slabTop) this.slabTop = slabCount;
    if (this.memory.replacesViews) this.createViews();
    this.viewVersion++;
    this.peakBytes = Math.max(this.peakBytes, this.reservedBytes());
    return true;
  }

  /** The lowest free slab in the buffer, growing the buffer when there is none; 0 at maxBytes. */
  private takeFreeSlab(): number {
    if (this.freeSlabCount === 0) {
      // A replacing resize doubles (each growth copies the buffer; untouched pages of a new buffer
      // cost no RSS); resizable and shared buffers grow in place, by a quarter.
      const wanted = this.memory.replacesViews ? this.slabTop * 2 : this.slabTop + Math.max(1, this.slabTop >> 2);
      if (!this.setSlabTop(Math.min(wanted, this.maxSlabs)) && !this.setSlabTop(this.slabTop + 1)) return NO_SLAB;
      if (this.freeSlabCount === 0) return NO_SLAB;
    }
    const state = this.slabs.state;
    for (let slab = this.lowestFreeHint; slab < this.slabTop; slab++) {
      if (state[slab] === SLAB_FREE) {
        this.lowestFreeHint = slab + 1;
        this.freeSlabCount--;
        return slab;
      }
    }
    throw new Error('tslab internal error: freeSlabCount disagrees with slab states (run heap.check())');
  }

  /**
   * Slow path of alloc: the current slab of (ring, cls) is exhausted. Takes, in order, a partial
   * slab of the same epoch, a cached empty slab, or a fresh slab. Returns the new current slab, or
   * 0 when maxBytes is reached.
   */
  refill(cls: number, ring: number): number {
    const counters = this.counters;
    counters.slowPathHits[cls]++;
    const key = ring * this.classCount + cls;
    let slab = this.partialHead[key];
    if (slab !== NO_SLAB) {
      this.unlist(key, slab);
    } else if (this.cacheCount[cls] > 0) {
      slab = this.cache[cls * this.config.cacheSlabs + --this.cacheCount[cls]];
      this.cachedSlabCount--;
      this.attach(slab, cls, ring);
    } else {
      counters.slowPathCacheMiss[cls]++;
      slab = this.takeFreeSlab();
      if (slab !== NO_SLAB) {
        this.slabs.format(slab, cls, this.classes.sizes[cls]);
        this.attach(slab, cls, ring);
      } else {
        // At the ceiling, slots stranded below the list threshold are worth a walk.
        slab = this.findStranded(cls, ring);
        if (slab === NO_SLAB) {
          this.allocFailedMaxBytes++;
          return NO_SLAB;
        }
      }
    }
    this.currentSlab[key] = slab;
    return slab;
  }

  /** A slab of (ring, cls) with free slots that is not on the partial list (below its threshold). */
  private findStranded(cls: number, ring: number): number {
    const slabs = this.slabs;
    for (let slab = RESERVED_SLABS; slab < this.slabTop; slab++) {
      if (slabs.state[slab] === SLAB_ACTIVE && slabs.ring[slab] === ring && slabs.classOf[slab] === cls && slabs.freeTopOf(slab) > 0) return slab;
    }
    return NO_SLAB;
  }

  private attach(slab: number, cls: number, ring: number): void {
    this.slabs.state[slab] = SLAB_ACTIVE;
    this.slabs.ring[slab] = ring;
    this.ring.slabs[ring]++;
    this.counters.activeSlabs[cls]++;
    this.activeSlabCount++;
  }

  /** Detaches an empty slab from its epoch and keeps it in the class cache, or frees it when the cache is full. */
  releaseSlab(slab: number): void {
    const slabs = this.slabs;
    const cls = slabs.classOf[slab];
    const ring = slabs.ring[slab];
    const key = ring * this.classCount + cls;
    if (slabs.listed[slab] === 1) this.unlist(key, slab);
    if (this.currentSlab[key] === slab) this.currentSlab[key] = NO_SLAB;
    this.ring.slabs[ring]--;
    slabs.ring[slab] = -1;
    this.counters.activeSlabs[cls]--;
    this.activeSlabCount--;
    if (this.cacheCount[cls] < this.config.cacheSlabs) {
      this.cache[cls * this.config.cacheSlabs + this.cacheCount[cls]++] = slab;
      slabs.state[slab] = SLAB_CACHED;
      this.cachedSlabCount++;
      this.counters.emptySlabRecycled[cls]++;
    } else {
      this.freeSlab(slab);
      this.counters.emptySlabOverflowed[cls]++;
    }
  }

  private freeSlab(slab: number): void {
    this.slabs.clear(slab);
    this.freeSlabCount++;
    if (slab < this.lowestFreeHint) this.lowestFreeHint = slab;
  }

  /**
   * Settles a slab after frees: one that emptied goes to the cache (unless it is the current slab
   * of an open epoch), one that reached its partial-list threshold joins its epoch's partial list.
   * freeMany settles slabs after a chunk of frees, so a slab may come twice or already be released.
   */
  afterFree(slab: number): void {
    const slabs = this.slabs;
    if (slabs.state[slab] !== SLAB_ACTIVE) return;
    const ring = slabs.ring[slab];
    const key = ring * this.classCount + slabs.classOf[slab];
    const open = this.ring.state[ring] === RING_OPEN;
    if (slabs.liveOf(slab) === 0) {
      // An empty slab stays only as the current slab of an open epoch; otherwise it goes to the cache.
      if (!(open && this.currentSlab[key] === slab)) this.releaseSlab(slab);
      // A closing or closed epoch owns only slabs with live objects: none left means drained.
      if (!open && this.ring.slabs[ring] === 0) this.ring.release(ring);
    } else if (open && slabs.listed[slab] === 0 && slabs.freeTopOf(slab) >= slabs.listAtOf(slab) && this.currentSlab[key] !== slab) {
      this.list(key, slab);
    }
  }

  /**
   * The epoch in `ring` stops taking allocations: forget its current slabs and partial lists, and
   * release the slabs that are already empty. Slabs holding live objects are released as they drain.
   */
  stopAllocating(ring: number): number {
    let released = 0;
    for (let cls = 0; cls < this.classCount; cls++) {
      const key = ring * this.classCount + cls;
      while (this.partialHead[key] !== NO_SLAB) this.unlist(key, this.partialHead[key]);
      const current = this.currentSlab[key];
      this.currentSlab[key] = NO_SLAB;
      if (current !== NO_SLAB && this.slabs.liveOf(current) === 0) {
        this.releaseSlab(current);
        released++;
      }
    }
    return released;
  }

  /** Bulk free (epoch reset): frees every object of `ring` and releases all its slabs; returns the objects freed. */
  resetRing(ring: number): number {
    const slabs = this.slabs;
    let freed = 0;
    for (let slab = RESERVED_SLABS; slab < this.slabTop && this.ring.slabs[ring] > 0; slab++) {
      if (slabs.state[slab] !== SLAB_ACTIVE || slabs.ring[slab] !== ring) continue;
      const n = slabs.freeAll(slab);
      freed += n;
      this.releaseSlab(slab);
    }
    return freed;
  }

  private list(key: number, slab: number): void {
    const slabs = this.slabs;
    const head = this.partialHead[key];
    slabs.next[slab] = head;
    slabs.prev[slab] = NO_SLAB;
    if (head !== NO_SLAB) slabs.prev[head] = slab;
    this.partialHead[key] = slab;
    slabs.listed[slab] = 1;
  }

  private unlist(key: number, slab: number): void {
    const slabs = this.slabs;
    const next = slabs.next[slab];
    const prev = slabs.prev[slab];
    if (prev !== NO_SLAB) slabs.next[prev] = next;
    else this.partialHead[key] = next;
    if (next !== NO_SLAB) slabs.prev[next] = prev;
    slabs.next[slab] = NO_SLAB;
    slabs.prev[slab] = NO_SLAB;
    slabs.listed[slab] = 0;
  }

  /**
   * Gives memory back: moves cached slabs down into free holes (a cached slab is empty, so only
   * bookkeeping moves), then cuts the free tail off the buffer: all of it when `exact` (trim()),
   * with hysteresis in copy mode otherwise (epochClose/epochReset). Returns the bytes released.
   */
  trimTail(exact: boolean): number {
    if (!this.memory.canShrink) return 0;
    this.compactCache();
    const state = this.slabs.state;
    let top = this.slabTop;
    while (top > RESERVED_SLABS && state[top - 1] === SLAB_FREE) top--;
    if (!exact && this.memory.replacesViews) {
      // A replacing resize copies the buffer every time: shrink only when three quarters are free,
      // and keep half as headroom, so a loop near a boundary never copies every frame.
      if (top * 4 > this.slabTop) return 0;
      top = Math.max(top * 2, RESERVED_SLABS + 1);
    }
    if (top >= this.slabTop) return 0;
    const before = this.memory.buffer.byteLength;
    if (!this.setSlabTop(top)) return 0;
    this.slabs.shrinkCapacity(top);
    this.bindSlabArrays();
    if (this.lowestFreeHint > top) this.lowestFreeHint = top;
    const released = before - this.memory.buffer.byteLength;
    this.reclaimedBytes += released;
    return released;
  }

  private compactCache(): void {
    const { cacheSlabs } = this.config;
    const slabs = this.slabs;
    for (;;) {
      let highestAt = -1;
      for (let cls = 0; cls < this.classCount; cls++) {
        for (let i = 0; i < this.cacheCount[cls]; i++) {
          const at = cls * cacheSlabs + i;
          if (highestAt < 0 || this.cache[at] > this.cache[highestAt]) highestAt = at;
        }
      }
      if (highestAt < 0) return;
      const high = this.cache[highestAt];
      let low = this.lowestFreeHint;
      while (low < high && slabs.state[low] !== SLAB_FREE) low++;
      if (low >= high) return;
      const cls = slabs.classOf[high];
      this.freeSlab(high);
      this.freeSlabCount--;
      slabs.format(low, cls, this.classes.sizes[cls]);
      slabs.state[low] = SLAB_CACHED;
      this.cache[highestAt] = low;
      this.lowestFreeHint = low + 1;
    }
  }

  /**
   * Live objects of class `cls`, or of every class when `cls` is -1: the sum over the slabs. Not
   * kept per operation (a free would have to look up its slab's class and bump a counter); frees
   * are allocs minus live, so stats pay one walk over the slabs instead.
   */
  classLive(cls: number): number {
    return this.countLive(-1, cls);
  }

  /** Live objects of the epoch in `ring`: the sum over its slabs (not kept per operation either). */
  epochLive(ring: number): number {
    return this.ring.slabs[ring] === 0 ? 0 : this.countLive(ring, -1);
  }

  /** Live objects in the active slabs of ring slot `ring` and class `cls` (-1: every ring or class). */
  private countLive(ring: number, cls: number): number {
    const slabs = this.slabs;
    let live = 0;
    for (let slab = RESERVED_SLABS; slab < this.slabTop; slab++) {
      if (slabs.state[slab] === SLAB_ACTIVE && (ring < 0 || slabs.ring[slab] === ring) && (cls < 0 || slabs.classOf[slab] === cls)) {
        live += slabs.liveOf(slab);
      }
    }
    return live;
  }

  ringFull(): EpochRingFullError {
    return this.ring.fullError((ring) => this.epochLive(ring));
  }

  /** Records committed and live figures at an epoch advance, for the doctor's growth checks. */
  sampleHistory(liveObjects: number): void {
    const at = this.historyCount % HISTORY_LENGTH;
    this.committedHistory[at] = this.committedBytes();
    this.liveHistory[at] = liveObjects;
    this.historyCount++;
  }
}
