import { GEN_MASK, HDR_FREE_TOP, HDR_LIST_AT, HDR_OBJECT_SIZE, HDR_SLOTS, SLAB_FREE, SLAB_HEADER_SHIFT, log2, nextPowerOfTwo } from './layout.js';
import { resizedArray } from './memory.js';

/**
 * Fewest slabs the metadata arrays describe. Each slab costs 6 bytes per slot entry (4,096 entries
 * when the smallest class is 16 B), so a floor of 16 made a fresh heap commit ~390 KB of metadata
 * for one 64 KB slab; growth doubles from 4 just as cheaply.
 */
const MIN_CAPACITY = 4;

/**
 * Slab metadata: where a slot is handed out and taken back. One entry per slab (indexed by the
 * slab's position in the buffer) and one per slot (slab << slotShift | slot), all in plain typed
 * arrays owned by the allocator (never in user memory, so a stray user write cannot corrupt them).
 *
 * Each slab has a stack of its free slot indices (pop = hand out, push = take back) and a
 * generation per slot: odd while the slot is live, bumped on every hand-out and every return.
 */
export class SlabTable {
  readonly slabBytes: number;
  readonly slabShift: number;
  /** Slot entries reserved per slab: slabBytes / smallest class, rounded up to a power of two. */
  readonly slotsPerSlab: number;
  readonly slotShift: number;
  /** A handle's offset field counts 8-byte units: unit >>> unitShift is the slab. */
  readonly unitShift: number;
  readonly unitMask: number;
  /** Slabs the metadata arrays can describe (grown geometrically, up to maxSlabs; shrunk with the buffer). */
  capacity = 0;
  /**
   * Generation that slots of slabs beyond the metadata start from: above every generation used by
   * slabs whose metadata was dropped by a shrink, so their stale handles stay stale when the slab
   * comes back.
   */
  genFloor = 0;

  state = new Uint8Array(0);
  /** Size class of an active or cached slab; -1 when free. */
  classOf = new Int8Array(0);
  /** Class the slab last held, so a reassignment can renumber its generations. */
  lastClass = new Int8Array(0);
  /** Epoch ring slot that owns an active slab; -1 otherwise. */
  ring = new Int16Array(0);
  /** Free-stack top, slot count, list threshold and object size of each slab (layout.ts: HDR_*). */
  header = new Int32Array(0);
  /** Reciprocal of the slab's object size (0 while free), so free() needs no class lookup or division. */
  inverseSize = new Float64Array(0);
  /*
   * The list threshold (HDR_LIST_AT) is a sixteenth of the slab's slots. Under random frees every
   * slab holds a few free slots; listing a slab at its first free slot would make nearly every
   * refill hand out one or two slots (measured: ~48% of allocations on the slow path). Waiting for
   * a sixteenth keeps refills rare and strands at most 1/16 of a slab.
   */
  /** Links of the per-(epoch, class) partial list; 0 ends a list (slab 0 is reserved). */
  next = new Int32Array(0);
  prev = new Int32Array(0);
  listed = new Uint8Array(0);
  freeSlots = new Uint16Array(0);
  gens = new Uint32Array(0);

  /**
   * With a resizable heap buffer, the per-slot arrays (6 bytes per slot: 9% of a slab of the
   * smallest class) live in resizable buffers too, resized in place. Replacing them by copies
   * would leave the old arrays' pages resident until V8 collects them, so a shrinking heap would
   * give back its data at epochClose but its metadata only at the next GC.
   */
  private readonly inPlace: { gens: ArrayBuffer; freeSlots: ArrayBuffer } | null;

  /** Resize the metadata arrays with ArrayBuffer.prototype.transfer (the 'transfer' backing). */
  private readonly transfers: boolean;

  constructor(slabBytes: number, smallestClass: number, inPlaceMaxSlabs = 0, transfers = false) {
    this.transfers = transfers;
    this.slabBytes = slabBytes;
    this.slabShift = log2(slabBytes);
    this.slotsPerSlab = nextPowerOfTwo(Math.ceil(slabBytes / smallestClass));
    this.slotShift = log2(this.slotsPerSlab);
    this.unitShift = this.slabShift - 3;
    this.unitMask = (slabBytes >> 3) - 1;
    if (inPlaceMaxSlabs > 0) {
      const maxSlots = inPlaceMaxSlabs << this.slotShift;
      const gens = new ArrayBuffer(0, { maxByteLength: maxSlots * 4 });
      const freeSlots = new ArrayBuffer(0, { maxByteLength: maxSlots * 2 });
      this.inPlace = { gens, freeSlots };
      // Length-tracking views: they follow every resize, so they are never replaced.
      this.gens = new Uint32Array(gens);
      this.freeSlots = new Uint16Array(freeSlots);
    } else {
      this.inPlace = null;
    }
  }

  /** Makes room for `slabCount` slabs of metadata (slow path: copies). */
  ensureCapacity(slabCount: number, maxSlabs: number): void {
    if (slabCount <= this.capacity) return;
    // Copies double (each resize copies); in-place arrays grow by a quarter, like the buffer.
    const grown = this.inPlace === null ? this.capacity * 2 : this.capacity + (this.capacity >> 2);
    this.resizeArrays(Math.min(maxSlabs, Math.max(slabCount, grown, MIN_CAPACITY)));
  }

  /**
   * Gives metadata back after the buffer shrank: copies only once it is well below what the arrays
   * describe (each shrink copies), in-place arrays down to the buffer's slabs.
   */
  shrinkCapacity(slabCount: number): void {
    const copies = this.inPlace === null;
    const capacity = Math.max(MIN_CAPACITY, copies ? slabCount * 2 : slabCount);
    if (copies ? this.capacity < 64 || capacity * 2 > this.capacity : capacity >= this.capacity) return;
    let highest = this.genFloor;
    for (let i = capacity << this.slotShift; i < this.gens.length; i++) highest = Math.max(highest, this.gens[i]);
    this.genFloor = ((highest + 2) & ~1) & GEN_MASK;
    this.resizeArrays(capacity);
  }

  private resizeArrays(capacity: number): void {
    const t = this.transfers;
    const perSlot = capacity << this.slotShift;
    this.state = resizedArray(this.state, capacity, SLAB_FREE, t);
    this.classOf = resizedArray(this.classOf, capacity, -1, t);
    this.lastClass = resizedArray(this.lastClass, capacity, -1, t);
    this.ring = resizedArray(this.ring, capacity, -1, t);
    this.header = resizedArray(this.header, capacity << SLAB_HEADER_SHIFT, undefined, t);
    this.inverseSize = resizedArray(this.inverseSize, capacity, undefined, t);
    this.next = resizedArray(this.next, capacity, undefined, t);
    this.prev = resizedArray(this.prev, capacity, undefined, t);
    this.listed = resizedArray(this.listed, capacity, undefined, t);
    if (this.inPlace === null) {
      this.freeSlots = resizedArray(this.freeSlots, perSlot, undefined, t);
      this.gens = resizedArray(this.gens, perSlot, this.genFloor, t);
    } else {
      const before = this.gens.length;
      this.inPlace.freeSlots.resize(perSlot * 2);
      this.inPlace.gens.resize(perSlot * 4);
      // Grown bytes read 0: only a raised floor needs writing (which makes those pages resident).
      if (perSlot > before && this.genFloor !== 0) this.gens.fill(this.genFloor, before);
    }
    this.capacity = capacity;
  }

  /**
   * Live objects in a slab: every slot is either live or on the free stack, so this is not kept
   * per operation (one less write per alloc and per free).
   */
  liveOf(slab: number): number {
    return this.slotsOf(slab) - this.freeTopOf(slab);
  }

  freeTopOf(slab: number): number {
    return this.header[(slab << SLAB_HEADER_SHIFT) + HDR_FREE_TOP];
  }

  slotsOf(slab: number): number {
    return this.header[(slab << SLAB_HEADER_SHIFT) + HDR_SLOTS];
  }

  listAtOf(slab: number): number {
    return this.header[(slab << SLAB_HEADER_SHIFT) + HDR_LIST_AT];
  }

  /**
   * Prepares an empty slab for `cls`: a full free stack handing out low addresses first. When the
   * slab last held another class its slot boundaries move, so every generation is lifted above the
   * highest one it held: a stale handle from the old layout can then never match a new slot.
   */
  format(slab: number, cls: number, objectSize: number): void {
    const slotCount = Math.floor(this.slabBytes / objectSize);
    const base = slab << this.slotShift;
    if (this.lastClass[slab] !== cls && this.lastClass[slab] !== -1) {
      let highest = 0;
      for (let i = 0; i < this.slotsPerSlab; i++) highest = Math.max(highest, this.gens[base + i]);
      const lifted = ((highest + 2) & ~1) & GEN_MASK;
      this.gens.fill(lifted, base, base + this.slotsPerSlab);
    }
    for (let i = 0; i < slotCount; i++) this.freeSlots[base + i] = slotCount - 1 - i;
    this.classOf[slab] = cls;
    this.lastClass[slab] = cls;
    this.setHeader(slab, slotCount, Math.max(1, slotCount >> 4), objectSize, slotCount);
    this.inverseSize[slab] = 1 / objectSize;
  }

  /** Marks a slab free: no class, no slots, so no handle can resolve into it. */
  clear(slab: number): void {
    this.state[slab] = SLAB_FREE;
    this.classOf[slab] = -1;
    this.setHeader(slab, 0, 0, 0, 0);
    this.inverseSize[slab] = 0;
  }

  /** Bulk free (epoch reset): ends every live slot's generation and refills the free stack. Returns the count freed. */
  freeAll(slab: number): number {
    const base = slab << this.slotShift;
    const slotCount = this.slotsOf(slab);
    let freed = 0;
    for (let slot = 0; slot < slotCount; slot++) {
      const gen = this.gens[base + slot];
      if ((gen & 1) === 1) {
        this.gens[base + slot] = (gen + 1) & GEN_MASK;
        freed++;
      }
      this.freeSlots[base + slot] = slotCount - 1 - slot;
    }
    this.header[(slab << SLAB_HEADER_SHIFT) + HDR_FREE_TOP] = slotCount;
    return freed;
  }

  private setHeader(slab: number, slots: number, listAt: number, objectSize: number, freeTop: number): void {
    const at = slab << SLAB_HEADER_SHIFT;
    this.header[at + HDR_SLOTS] = slots;
    this.header[at + HDR_LIST_AT] = listAt;
    this.header[at + HDR_OBJECT_SIZE] = objectSize;
    this.header[at + HDR_FREE_TOP] = freeTop;
  }

  /** Bytes of metadata held (for committed/reserved accounting). */
  metadataBytes(): number {
    return this.capacity * 44 + (this.capacity << this.slotShift) * 6;
  }
}
