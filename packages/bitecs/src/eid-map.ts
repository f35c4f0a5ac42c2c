/**
 * eid -> record map whose memory follows the live records, not the largest entity id.
 *
 * Entity ids are split into pages of 2^pageShift ids. A page directory (`pages`, one Int32 per page
 * of ids up to the largest id seen) gives the pool slot where that page starts; pages are handed out
 * from one pool on first use and taken back when their last record goes. The pool holds, per slot:
 * - `offsets` (Int32Array): the record's byte offset in the heap — the fast path of systems;
 * - `handles` (Float64Array): the record's slab handle (handles may exceed 2^31), 0 = no record.
 *
 * Pool page 0 is a shared, never-written page: every directory entry without a page points at it,
 * and every slot without a record holds the `sink` offset (a scratch record owned by the component),
 * so `offsets[pages[id >>> shift] + (id & mask)]` is always a writable record offset and a stray
 * write through a removed eid lands in the sink, never in another entity's record.
 *
 * The pool and directory arrays are replaced when they grow or are compacted, which happens only
 * while adding records (`slotFor`) or in `trim()`: removing never replaces them.
 */

const MIN_POOL_PAGES = 8;
/** Pools at least this large compact themselves when seven eighths of their pages are free. */
const AUTO_TRIM_PAGES = 1024;
const MIN_DIRECTORY = 16;

function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

export class EidRecordMap {
  readonly pageShift: number;
  readonly pageMask: number;
  /** Largest directory length: enough pages for every id under the id mask. */
  readonly maxPages: number;
  /** Offset stored in every slot without a record. */
  readonly sink: number;

  /** Directory: page of ids (id >>> pageShift) -> first pool slot of its page; 0 = the empty page. */
  pages: Int32Array;
  /** Pool: record byte offset per slot (the sink when empty). */
  offsets: Int32Array;
  /** Pool: record handle per slot (0 when empty). */
  handles: Float64Array;
  /** Records per pool page. */
  private pageLive: Int32Array;
  /** Directory index that owns each pool page; -1 when the pool page is free. */
  private pageOwner: Int32Array;
  private freePages: Int32Array;
  private freeTop = 0;
  /** Pool pages handed out from the top so far (page 0 included). */
  private highPage = 1;
  capacityPages: number;
  pagesInUse = 0;
  live = 0;

  constructor(pageShift: number, idMask: number, sink: number) {
    this.pageShift = pageShift;
    this.pageMask = (1 << pageShift) - 1;
    this.maxPages = Math.floor(idMask / 2 ** pageShift) + 1;
    this.sink = sink;
    this.pages = new Int32Array(Math.min(MIN_DIRECTORY, this.maxPages));
    this.capacityPages = MIN_POOL_PAGES;
    const slots = MIN_POOL_PAGES << pageShift;
    this.offsets = new Int32Array(slots).fill(sink);
    this.handles = new Float64Array(slots);
    this.pageLive = new Int32Array(MIN_POOL_PAGES);
    this.pageOwner = new Int32Array(MIN_POOL_PAGES).fill(-1);
    this.freePages = new Int32Array(MIN_POOL_PAGES);
  }

  /** Pool slot of `id` holding a record, or -1. */
  find(id: number): number {
    const p = id >>> this.pageShift;
    if (p >= this.pages.length) return -1;
    const base = this.pages[p];
    if (base === 0) return -1;
    const slot = base + (id & this.pageMask);
    return this.handles[slot] !== 0 ? slot : -1;
  }

  /** Pool slot for `id`, creating its page when needed (may replace the arrays). */
  slotFor(id: number): number {
    const p = id >>> this.pageShift;
    if (p >= this.pages.length) this.growDirectory(p);
    let base = this.pages[p];
    if (base === 0) base = this.newPage(p);
    return base + (id & this.pageMask);
  }

  /** Counts a record just written into an empty slot returned by `slotFor` (offsets/handles set by the caller). */
  added(slot: number): void {
    this.pageLive[slot >>> this.pageShift]++;
    this.live++;
  }

  /** Empties a slot that holds a record (never replaces the arrays). */
  clear(slot: number): void {
    this.handles[slot] = 0;
    this.offsets[slot] = this.sink;
    const page = slot >>> this.pageShift;
    this.live--;
    if (--this.pageLive[page] === 0) {
      this.pages[this.pageOwner[page]] = 0;
      this.pageOwner[page] = -1;
      this.freePages[this.freeTop++] = page;
      this.pagesInUse--;
    }
  }

  /** Visits every slot holding a record (not during changes to the map). */
  forEachSlot(visit: (slot: number) => void): void {
    const size = 1 << this.pageShift;
    for (let page = 1; page < this.highPage; page++) {
      if (this.pageOwner[page] < 0) continue;
      const base = page << this.pageShift;
      for (let slot = base; slot < base + size; slot++) if (this.handles[slot] !== 0) visit(slot);
    }
  }

  /** JS-side bytes held by the map. */
  bytes(): number {
    return (
      this.pages.byteLength +
      this.offsets.byteLength +
      this.handles.byteLength +
      this.pageLive.byteLength +
      this.pageOwner.byteLength +
      this.freePages.byteLength
    );
  }

  /**
   * Compacts the pool into the fewest pages and shrinks the directory to the largest id in use.
   * Replaces the arrays when it shrinks them; returns the bytes given back.
   */
  trim(): number {
    const before = this.bytes();
    const wanted = Math.max(MIN_POOL_PAGES, nextPowerOfTwo(this.pagesInUse + 1));
    if (wanted < this.capacityPages) this.compactPool(wanted);
    let top = this.pages.length - 1;
    while (top >= 0 && this.pages[top] === 0) top--;
    const dirLength = Math.min(this.maxPages, Math.max(MIN_DIRECTORY, nextPowerOfTwo(top + 1)));
    if (dirLength < this.pages.length) this.pages = this.pages.slice(0, dirLength);
    return before - this.bytes();
  }

  private growDirectory(p: number): void {
    if (p >= this.maxPages) {
      throw new RangeError(`slabComponent: entity id page ${p} is past the id mask (at most ${this.maxPages - 1})`);
    }
    const length = Math.min(this.maxPages, nextPowerOfTwo(Math.max(p + 1, this.pages.length * 2)));
    const pages = new Int32Array(length);
    pages.set(this.pages);
    this.pages = pages;
  }

  private newPage(p: number): number {
    // Give memory back after a mass removal (a level unload), at the moment a page is needed again.
    // Small pools never do, so add/remove churn does not shrink and regrow them every frame.
    if (this.capacityPages >= AUTO_TRIM_PAGES && this.capacityPages >= 8 * (this.pagesInUse + 1)) {
      this.compactPool(Math.max(MIN_POOL_PAGES, nextPowerOfTwo(2 * (this.pagesInUse + 1))));
    }
    let page: number;
    if (this.freeTop > 0) page = this.freePages[--this.freeTop];
    else {
      // Grow by half: the pool is pure overhead, so overshoot less than doubling would.
      if (this.highPage === this.capacityPages) this.resizePool(this.capacityPages + Math.max(8, this.capacityPages >> 1));
      page = this.highPage++;
    }
    this.pageOwner[page] = p;
    this.pageLive[page] = 0;
    this.pagesInUse++;
    const base = page << this.pageShift;
    this.pages[p] = base;
    return base;
  }

  private resizePool(capacityPages: number): void {
    const slots = capacityPages << this.pageShift;
    const offsets = new Int32Array(slots);
    const handles = new Float64Array(slots);
    const keep = Math.min(this.offsets.length, slots);
    offsets.set(this.offsets.subarray(0, keep));
    offsets.fill(this.sink, keep);
    handles.set(this.handles.subarray(0, keep));
    const pageLive = new Int32Array(capacityPages);
    pageLive.set(this.pageLive.subarray(0, Math.min(this.pageLive.length, capacityPages)));
    const pageOwner = new Int32Array(capacityPages).fill(-1);
    pageOwner.set(this.pageOwner.subarray(0, Math.min(this.pageOwner.length, capacityPages)));
    const freePages = new Int32Array(capacityPages);
    freePages.set(this.freePages.subarray(0, Math.min(this.freeTop, capacityPages)));
    this.offsets = offsets;
    this.handles = handles;
    this.pageLive = pageLive;
    this.pageOwner = pageOwner;
    this.freePages = freePages;
    this.capacityPages = capacityPages;
  }

  /** Moves every page in use to the bottom of a pool of `capacityPages` and drops the free list. */
  private compactPool(capacityPages: number): void {
    const size = 1 << this.pageShift;
    const offsets = new Int32Array(capacityPages << this.pageShift).fill(this.sink);
    const handles = new Float64Array(capacityPages << this.pageShift);
    const pageLive = new Int32Array(capacityPages);
    const pageOwner = new Int32Array(capacityPages).fill(-1);
    let next = 1;
    for (let page = 1; page < this.highPage; page++) {
      const owner = this.pageOwner[page];
      if (owner < 0) continue;
      const from = page << this.pageShift;
      const to = next << this.pageShift;
      offsets.set(this.offsets.subarray(from, from + size), to);
      handles.set(this.handles.subarray(from, from + size), to);
      pageLive[next] = this.pageLive[page];
      pageOwner[next] = owner;
      this.pages[owner] = to;
      next++;
    }
    this.offsets = offsets;
    this.handles = handles;
    this.pageLive = pageLive;
    this.pageOwner = pageOwner;
    this.freePages = new Int32Array(capacityPages);
    this.freeTop = 0;
    this.highPage = next;
    this.capacityPages = capacityPages;
  }
}
