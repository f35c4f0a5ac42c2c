import { GEN_MASK, RING_OPEN, SLAB_ACTIVE } from '../layout.js';
import {
  H_ADOPTIONS, H_LEASE_MS, H_ORPHANS, H_SLAB_TOP, MAX_OWNERS, OWNER_ALIVE, OWNER_EXITED, OWNER_FREE, SUMMARY_STRIDE,
} from './layout.js';
import { flushAll, hasPendingChains, inFlight, spliceDeadChains } from './remote-batch.js';
import { mergeRemote } from './remote-free.js';
import { afterReturn, isEmpty, list, releaseSlab } from './slab-ops.js';
import type { SharedView } from './view.js';

/** A slot must look lost this long before it is reclaimed (a live freer's push takes nanoseconds). */
const LOST_GRACE_MS = 100;

/**
 * Adopts the slabs of views that are gone: detached ones (OWNER_EXITED), the ids in `dead` (the
 * caller knows, e.g. from a worker's 'exit' event), and, when the heap has a lease, views whose
 * liveness signature has not moved for it. Returns the number of slabs adopted.
 */
export function adoptOrphans(v: SharedView, dead: readonly number[] = []): number {
  for (const owner of dead) v.liveness.declare(owner);
  const s = v.s;
  const now = performance.now();
  v.lastOrphanCheck = now;
  flushAll(v);
  let adopted = 0;
  v.lockFor(-1);
  try {
    for (let owner = 1; owner < MAX_OWNERS; owner++) {
      if (owner === v.owner) continue;
      const state = s.ownerState[owner];
      if (state === OWNER_FREE) continue;
      if (state === OWNER_EXITED || (state === OWNER_ALIVE && v.liveness.isDead(owner, now))) adopted += adoptOwner(v, owner, now);
    }
    confirmLost(v, now);
  } finally {
    v.unlock();
  }
  return adopted;
}

/** Cheap check from slow paths: adopt when a view detached, or (at most every lease/4) by lease. */
export function maybeAdoptOrphans(v: SharedView): void {
  const s = v.s;
  if (s.hdr[H_ORPHANS] !== 0 || v.lost.length > 0) {
    adoptOrphans(v);
    return;
  }
  const lease = s.hdr[H_LEASE_MS];
  if (lease <= 0) return;
  const now = performance.now();
  if (now - v.lastOrphanCheck < lease / 4) return;
  v.lastOrphanCheck = now;
  for (let owner = 1; owner < MAX_OWNERS; owner++) {
    if (owner !== v.owner && s.ownerState[owner] === OWNER_ALIVE && v.liveness.isDead(owner, now)) {
      adoptOrphans(v);
      return;
    }
  }
}

/** Under the lock: moves every slab of `dead` to this view, merges and repairs them, retires the id. */
function adoptOwner(v: SharedView, dead: number, now: number): number {
  const s = v.s;
  const top = s.hdr[H_SLAB_TOP];
  const slabs: number[] = [];
  for (let slab = 1; slab < top; slab++) {
    if (s.slabState[slab] === SLAB_ACTIVE && Atomics.load(s.slabOwner, slab) === dead) {
      Atomics.store(s.slabOwner, slab, v.owner);
      s.slabListed[slab << 4] = 0;
      slabs.push(slab);
    }
  }
  // Its buffered frees of other slabs (its own included) go onto their remote lists, before merging.
  spliceDeadChains(v, dead);
  s.rowCur[dead].fill(0);
  s.rowPartial[dead].fill(0);
  s.rowBits[dead].fill(0);
  Atomics.store(s.summary, dead * SUMMARY_STRIDE, 0);
  const spp = s.layout.slotsPerSlab;
  const onStack = new Uint8Array(spp);
  for (const slab of slabs) {
    mergeRemote(v, slab);
    // A view killed inside a free or a merge can leave a slot on no list: note it, reclaim it later.
    const base = slab << v.slotShift;
    const top = s.slabFreeTop[slab << 4];
    onStack.fill(0);
    for (let i = 0; i < top; i++) onStack[s.freeSlots[base + i]] = 1;
    const slots = s.slabSlots[slab];
    for (let slot = 0; slot < slots; slot++) {
      // Dead (free, or claimed by another view's free) and not back on the stack.
      if (!s.isLiveAt(base + slot) && onStack[slot] === 0) v.lost.push({ slab, slot, gen: s.genAt(base + slot), seenAt: now });
    }
    place(v, slab);
  }
  retireRow(v, dead);
  if (s.ownerState[dead] === OWNER_EXITED) Atomics.sub(s.hdr, H_ORPHANS, 1);
  v.liveness.forget(dead);
  Atomics.store(s.ownerState, dead, OWNER_FREE);
  Atomics.add(s.hdr, H_ADOPTIONS, 1);
  return slabs.length;
}

/** An adopted or repaired slab: released when empty, listed when its epoch is open and it has room. */
function place(v: SharedView, slab: number): void {
  const s = v.s;
  const ring = s.slabRing[slab];
  if (isEmpty(s, slab)) {
    releaseSlab(v, slab);
  } else if (s.ringState[ring] === RING_OPEN && s.slabFreeTop[slab << 4] >= s.slabListAt[slab << 4]) {
    list(v, ring * v.classCount + s.slabClass[slab], slab);
  }
}

/** Folds a retired owner's counters into row 0, so totals survive the id being reused. */
function retireRow(v: SharedView, dead: number): void {
  const s = v.s;
  for (const rows of [s.rowCounters, s.rowRingPending, s.rowMisc]) {
    const from = rows[dead];
    const into = rows[0];
    for (let i = 0; i < from.length; i++) into[i] += from[i];
    from.fill(0);
  }
}

/** Reclaims slots noted as lost that are still lost after the grace period. */
function confirmLost(v: SharedView, now: number): void {
  if (v.lost.length === 0) return;
  const s = v.s;
  const keep = [];
  for (const lost of v.lost) {
    if (now - lost.seenAt < LOST_GRACE_MS) {
      keep.push(lost);
      continue;
    }
    const { slab, slot } = lost;
    const base = slab << v.slotShift;
    if (s.slabState[slab] !== SLAB_ACTIVE || Atomics.load(s.slabOwner, slab) !== v.owner || s.genAt(base + slot) !== lost.gen) continue;
    // A live view may still hold the slot in a chain of buffered remote frees: wait for its flush.
    if (hasPendingChains(v, slab) || inFlight(v, slab)) {
      keep.push(lost);
      continue;
    }
    mergeRemote(v, slab);
    let onStack = false;
    const top = s.slabFreeTop[slab << 4];
    for (let i = 0; i < top && !onStack; i++) onStack = s.freeSlots[base + i] === slot;
    if (onStack) continue;
    // Its freer died between its claim and the queue: end the generation, clear the claim.
    if ((lost.gen & 1) === 1) s.setGenAt(base + slot, (lost.gen + 1) & GEN_MASK);
    s.clearClaimAt(base + slot);
    s.freeSlots[base + s.slabFreeTop[slab << 4]++] = slot;
    afterReturn(v, slab);
  }
  v.lost = keep;
}
