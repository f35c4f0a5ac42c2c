import * as coreLayout from '../layout.js';
import * as sharedLayout from './layout.js';
import { remoteBusy } from './remote-batch.js';
import { flagPending, mergeRemote } from './remote-free.js';
import type { SharedView } from './view.js';

// Module-local copies of the layout constants: V8 folds these into machine code, not imported bindings (see allocator.ts).
const { GEN_MASK, NO_SLAB, RESERVED_SLABS, RING_FREE, RING_OPEN, SLAB_ACTIVE, SLAB_CACHED, SLAB_FREE } = coreLayout;
const { C_CACHE_MISS, C_OVERFLOWED, C_RECYCLED, F_ALLOC_FAILED, F_PEAK, H_ACTIVE_SLABS, H_CACHED_SLABS, H_FREE_SLABS, H_GROWS, H_LOWEST_FREE, H_SLAB_TOP, H_STOP_STAMP, SUMMARY_STRIDE } = sharedLayout;

/** refill/takeSlab result: the ring stopped taking allocations meanwhile; re-read the current epoch. */
export const RETRY = -1;

// ---- the owner's partial lists (owner-only, plain) ----------------------------------------------

export function list(v: SharedView, key: number, slab: number): void {
  const s = v.s;
  const head = v.myPartial[key];
  s.slabNext[slab << 4] = head;
  s.slabPrev[slab << 4] = NO_SLAB;
  if (head !== NO_SLAB) s.slabPrev[head << 4] = slab;
  v.myPartial[key] = slab;
  s.slabListed[slab << 4] = 1;
}

export function unlist(s: SharedView['s'], partial: Int32Array, key: number, slab: number): void {
  const next = s.slabNext[slab << 4];
  const prev = s.slabPrev[slab << 4];
  if (prev !== NO_SLAB) s.slabNext[prev << 4] = next;
  else partial[key] = next;
  if (next !== NO_SLAB) s.slabPrev[next << 4] = prev;
  s.slabNext[slab << 4] = NO_SLAB;
  s.slabPrev[slab << 4] = NO_SLAB;
  s.slabListed[slab << 4] = 0;
}

// ---- settling slabs after frees ----------------------------------------------------------------

/** True when every slot of `slab` is on its local free stack (none in use, none on its remote list). */
export function isEmpty(s: SharedView['s'], slab: number): boolean {
  return s.slabFreeTop[slab << 4] === s.slabSlots[slab];
}

/** After slots came back to an owned slab: release it when empty, list it when it can serve again. */
export function afterReturn(v: SharedView, slab: number): void {
  const s = v.s;
  // Own frees count nothing per call: this slow path of free is their sign of life (owners.ts).
  s.ownerBeat[v.owner * SUMMARY_STRIDE]++;
  const ring = s.slabRing[slab];
  const key = ring * v.classCount + s.slabClass[slab];
  const open = s.ringState[ring] === RING_OPEN;
  if (isEmpty(s, slab)) {
    if (!(open && v.myCur[key] === slab)) releaseSlab(v, slab);
  } else if (open && s.slabFreeTop[slab << 4] >= s.slabListAt[slab << 4] && v.myCur[key] !== slab && s.slabListed[slab << 4] === 0) {
    list(v, key, slab);
  }
}

/** Merges every slab flagged in this owner's pending bitmap. */
export function processPending(v: SharedView): void {
  const s = v.s;
  Atomics.store(s.summary, v.owner * SUMMARY_STRIDE, 0);
  const bits = v.myBits;
  const words = Math.ceil(s.hdr[H_SLAB_TOP] / 32);
  for (let w = 0; w < words; w++) {
    if (bits[w] === 0) continue;
    let mask = Atomics.exchange(bits, w, 0);
    while (mask !== 0) {
      const low = mask & -mask;
      mask ^= low;
      const slab = w * 32 + (31 - Math.clz32(low));
      const owner = Atomics.load(s.slabOwner, slab);
      if (owner !== v.owner) {
        flagPending(v, owner, slab); // ownership moved: pass the news on
        continue;
      }
      // Settled even when nothing merged: a splice of an empty chain flags the owner so that it
      // looks again at a slab whose release waited for the chain (releaseSlab).
      if (s.slabState[slab] === SLAB_ACTIVE) {
        mergeRemote(v, slab);
        afterReturn(v, slab);
      }
    }
  }
}

/**
 * Drops this owner's hold on epochs that stopped taking allocations: forgets its current slabs
 * and partial lists of them, merging and releasing the ones that are empty. Returns slabs released.
 */
export function collectStopped(v: SharedView): number {
  const s = v.s;
  v.lastStopStamp = Atomics.load(s.hdr, H_STOP_STAMP);
  let released = 0;
  for (let ring = 0; ring < s.layout.epochSlots; ring++) {
    if (s.ringState[ring] === RING_OPEN) continue;
    for (let cls = 0; cls < v.classCount; cls++) {
      const key = ring * v.classCount + cls;
      while (v.myPartial[key] !== NO_SLAB) {
        const slab = v.myPartial[key];
        unlist(s, v.myPartial, key, slab);
        mergeRemote(v, slab);
        if (isEmpty(s, slab)) {
          if (releaseSlab(v, slab)) released++;
        }
      }
      const current = v.myCur[key];
      if (current === NO_SLAB) continue;
      v.myCur[key] = NO_SLAB;
      mergeRemote(v, current);
      if (isEmpty(s, current)) {
        if (releaseSlab(v, current)) released++;
      }
    }
  }
  return released;
}

// ---- slabs from the cache or the buffer (under the heap lock) ------------------------------------

/** Gives an empty owned slab back: to the class cache, or free when the cache is full. False when put off. */
export function releaseSlab(v: SharedView, slab: number): boolean {
  const s = v.s;
  const cls = s.slabClass[slab];
  const ring = s.slabRing[slab];
  const key = ring * v.classCount + cls;
  v.lockFor(cls);
  try {
    // An entry of this slab still on its way (only after a double free raced the owner's own
    // free, remote-free.ts) must be merged into this incarnation first: the owner is flagged
    // when it lands, and settles the slab again then.
    if (remoteBusy(v, slab)) return false;
    if (s.slabListed[slab << 4] === 1) unlist(s, v.myPartial, key, slab);
    if (v.myCur[key] === slab) v.myCur[key] = NO_SLAB;
    s.ringSlabs[ring]--;
    s.slabRing[slab] = -1;
    Atomics.store(s.slabOwner, slab, 0);
    s.classActive[cls]--;
    s.hdr[H_ACTIVE_SLABS]--;
    v.released++;
    const cacheSlabs = v.config.cacheSlabs;
    if (s.cacheCount[cls] < cacheSlabs) {
      s.cache[cls * cacheSlabs + s.cacheCount[cls]++] = slab;
      s.slabState[slab] = SLAB_CACHED;
      s.hdr[H_CACHED_SLABS]++;
      v.myCounters[C_RECYCLED * v.classCount + cls]++;
    } else {
      freeSlab(v, slab);
      v.myCounters[C_OVERFLOWED * v.classCount + cls]++;
    }
    if (s.ringState[ring] !== RING_OPEN && s.ringSlabs[ring] === 0) releaseRing(v, ring);
    return true;
  } finally {
    v.unlock();
  }
}

export function releaseRing(v: SharedView, ring: number): void {
  v.s.ringState[ring] = RING_FREE;
  v.s.ringLabel[ring] = -1;
}

function freeSlab(v: SharedView, slab: number): void {
  const s = v.s;
  s.slabState[slab] = SLAB_FREE;
  s.hdr[H_FREE_SLABS]++;
  if (slab < s.hdr[H_LOWEST_FREE]) s.hdr[H_LOWEST_FREE] = slab;
}

/**
 * Slow path of alloc after the current slab ran dry: its remote frees, a partial slab, the
 * slabs other workers freed into, then (under the lock) the class cache or a fresh slab.
 */
export function takeSlab(v: SharedView, cls: number, ring: number, key: number): number {
  const s = v.s;
  v.lockFor(cls);
  try {
    if (s.ringState[ring] !== RING_OPEN) return RETRY;
    let slab: number;
    if (s.cacheCount[cls] > 0) {
      slab = s.cache[cls * v.config.cacheSlabs + --s.cacheCount[cls]];
      s.hdr[H_CACHED_SLABS]--;
    } else {
      v.myCounters[C_CACHE_MISS * v.classCount + cls]++;
      slab = takeFreeSlab(v);
      if (slab === NO_SLAB) {
        s.hdr64[F_ALLOC_FAILED]++;
        return NO_SLAB;
      }
      format(v, slab, cls);
    }
    // Publish last: the slab is complete before its state says ACTIVE.
    s.slabRing[slab] = ring;
    s.slabListed[slab << 4] = 0;
    Atomics.store(s.slabOwner, slab, v.owner);
    s.ringSlabs[ring]++;
    s.classActive[cls]++;
    s.hdr[H_ACTIVE_SLABS]++;
    Atomics.store(s.slabState, slab, SLAB_ACTIVE);
    v.myCur[key] = slab;
    return slab;
  } finally {
    v.unlock();
  }
}

function takeFreeSlab(v: SharedView): number {
  const s = v.s;
  const hdr = s.hdr;
  if (hdr[H_FREE_SLABS] === 0) {
    const top = hdr[H_SLAB_TOP];
    const maxSlabs = s.layout.maxSlabs;
    if (!growTo(v, Math.min(top + Math.max(1, top >> 2), maxSlabs)) && !growTo(v, top + 1)) return NO_SLAB;
    if (hdr[H_FREE_SLABS] === 0) return NO_SLAB;
  }
  const top = hdr[H_SLAB_TOP];
  for (let slab = Math.max(RESERVED_SLABS, hdr[H_LOWEST_FREE]); slab < top; slab++) {
    if (s.slabState[slab] === SLAB_FREE) {
      hdr[H_LOWEST_FREE] = slab + 1;
      hdr[H_FREE_SLABS]--;
      return slab;
    }
  }
  throw new Error('tslab internal error: shared free slab count disagrees with slab states (run heap.check())');
}

function growTo(v: SharedView, slabCount: number): boolean {
  const s = v.s;
  const top = s.hdr[H_SLAB_TOP];
  if (slabCount > s.layout.maxSlabs || slabCount <= top) return false;
  if (!v.memory.resize(slabCount * v.slabBytes)) return false;
  s.hdr[H_FREE_SLABS] += slabCount - top;
  Atomics.store(s.hdr, H_SLAB_TOP, slabCount);
  s.hdr[H_GROWS]++;
  const used = slabCount * v.slabBytes;
  if (used > s.hdr64[F_PEAK]) s.hdr64[F_PEAK] = used;
  return true;
}

/** Prepares a free slab for `cls` (see SlabTable.format: generations lifted on a class change). */
function format(v: SharedView, slab: number, cls: number): void {
  const s = v.s;
  const slotCount = Math.floor(v.slabBytes / v.sizes[cls]);
  const base = slab << v.slotShift;
  const spp = s.layout.slotsPerSlab;
  const last = s.slabLastClass[slab] - 1;
  if (last !== cls && last !== -1) {
    let highest = 0;
    for (let i = 0; i < spp; i++) highest = Math.max(highest, s.genAt(base + i));
    const lifted = ((highest + 2) & ~1) & GEN_MASK;
    for (let i = 0; i < spp; i++) s.setGenAt(base + i, lifted);
  }
  for (let i = 0; i < slotCount; i++) s.freeSlots[base + i] = slotCount - 1 - i;
  for (let i = 0; i < spp; i++) s.clearClaimAt(base + i);
  s.slabClass[slab] = cls;
  s.slabLastClass[slab] = cls + 1;
  s.slabSlots[slab] = slotCount;
  s.slabListAt[slab << 4] = Math.max(1, slotCount >> 4);
  s.slabFreeTop[slab << 4] = slotCount;
  s.slabRemoteHead[slab << 4] = 0;
}

/**
 * After taking the lock over from a dead holder: rebuilds every count and the class caches from
 * the slab states, the one authoritative word per slab (always written last when a slab moves).
 */
export function rebuildDerived(v: SharedView): void {
  const s = v.s;
  const top = s.hdr[H_SLAB_TOP];
  const cacheSlabs = v.config.cacheSlabs;
  s.ringSlabs.fill(0);
  s.classActive.fill(0);
  s.cacheCount.fill(0);
  let free = 0;
  let active = 0;
  let cached = 0;
  let lowest = top;
  for (let slab = RESERVED_SLABS; slab < top; slab++) {
    const state = s.slabState[slab];
    const cls = s.slabClass[slab];
    if (state === SLAB_ACTIVE) {
      active++;
      s.ringSlabs[s.slabRing[slab]]++;
      s.classActive[cls]++;
    } else if (state === SLAB_CACHED && s.cacheCount[cls] < cacheSlabs) {
      s.cache[cls * cacheSlabs + s.cacheCount[cls]++] = slab;
      cached++;
    } else {
      s.slabState[slab] = SLAB_FREE;
      free++;
      if (slab < lowest) lowest = slab;
    }
  }
  s.hdr[H_FREE_SLABS] = free;
  s.hdr[H_ACTIVE_SLABS] = active;
  s.hdr[H_CACHED_SLABS] = cached;
  s.hdr[H_LOWEST_FREE] = lowest;
}
