import { HeapCheckError } from '../errors.js';
import { NO_SLAB, RESERVED_SLABS, RING_FREE, RING_OPEN, SLAB_ACTIVE, SLAB_CACHED, SLAB_FREE } from '../layout.js';
import {
  F_CURRENT, F_NEXT_ID, H_ACTIVE_SLABS, H_CACHED_SLABS, H_CURRENT_RING, H_FREE_SLABS, H_LOWEST_FREE, H_SLAB_TOP,
  MAX_OWNERS, OWNER_ALIVE, OWNER_FREE,
} from './layout.js';
import { hasPendingChains, remoteBusy } from './remote-batch.js';
import type { SharedView } from './view.js';

/**
 * heap.check() for a shared heap, run under the heap lock after this view has collected. Exact
 * only while no other worker is allocating or freeing (their fast paths take no lock): call it
 * when the workers are idle, e.g. after they finished or detached. Every slot of an active slab
 * must be exactly one of: live (odd generation, not claimed), on the owner's local stack, or
 * claimed by another view's free and on the remote list. The remote list may also hold stale
 * entries, left by a double free that raced the owner's own free (remote-free.ts): their claim is
 * not the slot's generation, and their slot is counted where it really is.
 */
export function checkShared(v: SharedView, viewsCurrent: boolean): void {
  const fail = (message: string): never => {
    throw new HeapCheckError(`heap.check(): ${message}`);
  };
  const s = v.s;
  const { epochSlots, slotsPerSlab, maxSlabs } = s.layout;
  const classes = v.classCount;
  const top = s.hdr[H_SLAB_TOP];
  if (top > maxSlabs) fail(`slabTop ${top} exceeds the metadata's ${maxSlabs} slabs`);
  if (v.memory.buffer.byteLength < top * v.slabBytes) fail(`buffer is ${v.memory.buffer.byteLength} bytes but ${top} slabs of ${v.slabBytes} are in use`);
  if (!viewsCurrent) fail('views do not cover the current buffer');

  const ringLive = new Float64Array(epochSlots);
  /** Slots off the free stacks less the pending remote frees counted in the rows, as stats count live objects. */
  const ringCounted = new Float64Array(epochSlots);
  const ringSlabs = new Int32Array(epochSlots);
  const classLive = new Float64Array(classes);
  const classCounted = new Float64Array(classes);
  let chainsPending = false;
  const checkDeadFrom = (slab: number, first: number): void => {
    const base = slab << v.slotShift;
    for (let slot = first; slot < slotsPerSlab; slot++) {
      const gen = s.genAt(base + slot);
      if ((gen & 1) !== 0) fail(`slab ${slab} slot entry ${slot} has live generation ${gen} but is no slot in use`);
      if (first === 0 && s.claimAt(base + slot) !== 0) fail(`slab ${slab} is free but slot ${slot} still holds claim ${s.claimAt(base + slot)}`);
    }
  };
  const classActive = new Int32Array(classes);
  const seen = new Uint8Array(slotsPerSlab);
  let free = 0;
  let active = 0;
  let cached = 0;
  for (let slab = RESERVED_SLABS; slab < top; slab++) {
    const state = s.slabState[slab];
    const where = `slab ${slab} (offset ${slab * v.slabBytes})`;
    if (state === SLAB_FREE) {
      free++;
      if (slab < s.hdr[H_LOWEST_FREE]) fail(`${where} is free below lowestFreeHint ${s.hdr[H_LOWEST_FREE]}`);
      // free() checks no slab state: it relies on these being even (dead).
      checkDeadFrom(slab, 0);
      continue;
    }
    if (state !== SLAB_ACTIVE && state !== SLAB_CACHED) fail(`${where} has unknown state ${state}`);
    const cls = s.slabClass[slab];
    if (cls < 0 || cls >= classes) fail(`${where} has class ${cls} outside 0..${classes - 1}`);
    const slotCount = Math.floor(v.slabBytes / v.sizes[cls]);
    if (s.slabSlots[slab] !== slotCount) fail(`${where} has ${s.slabSlots[slab]} slots, class ${v.sizes[cls]} B needs ${slotCount}`);
    const base = slab << v.slotShift;
    const freeTop = s.slabFreeTop[slab << 4];
    if (freeTop < 0 || freeTop > slotCount) fail(`${where} free stack top ${freeTop} outside 0..${slotCount}`);
    seen.fill(0);
    for (let i = 0; i < freeTop; i++) {
      const slot = s.freeSlots[base + i];
      if (slot >= slotCount) fail(`${where} free stack holds slot ${slot} >= ${slotCount}`);
      if (seen[slot]) fail(`${where} free stack holds slot ${slot} twice`);
      seen[slot] = 1;
      if ((s.genAt(base + slot) & 1) !== 0) fail(`${where} slot ${slot} is on the free stack but its generation ${s.genAt(base + slot)} says live`);
    }
    let remote = 0;
    let stale = 0;
    for (let head = s.slabRemoteHead[slab << 4]; head !== 0; head = s.remoteNext[base | (head - 1)]) {
      const slot = head - 1;
      if (++remote > slotCount) fail(`${where} remote list has a cycle`);
      if (slot >= slotsPerSlab) fail(`${where} remote list holds slot ${slot}, past the slab's ${slotsPerSlab} entries`);
      if (s.claimAt(base + slot) !== s.genAt(base + slot) || s.claimAt(base + slot) === 0) {
        stale++;
        continue;
      }
      if (slot >= slotCount || seen[slot]) fail(`${where} remote list holds slot ${slot} twice, on the local stack, or out of range`);
      seen[slot] = 2;
    }
    if (hasPendingChains(v, slab)) chainsPending = true;
    let liveSlots = 0;
    for (let slot = 0; slot < slotCount; slot++) {
      if (s.isLiveAt(base + slot)) liveSlots++;
      // Unless another live view still buffers remote frees of this slab (spliced at its next flush).
      else if (!seen[slot] && !hasPendingChains(v, slab)) fail(`${where} slot ${slot} is neither live nor on a free list (lost slot)`);
    }
    checkDeadFrom(slab, slotCount);
    classLive[cls] += liveSlots;
    // Stale entries are counted pending, yet their slots are where they belong: add them back.
    const counted = slotCount - freeTop + stale;
    if (state === SLAB_CACHED) {
      cached++;
      if (liveSlots !== 0 || remote !== 0) fail(`${where} is cached but holds ${liveSlots} live objects and ${remote} remote frees`);
      let found = 0;
      for (let i = 0; i < s.cacheCount[cls]; i++) if (s.cache[cls * v.config.cacheSlabs + i] === slab) found++;
      if (found !== 1) fail(`${where} is cached but appears ${found} times in the class ${v.sizes[cls]} cache`);
      continue;
    }
    active++;
    classActive[cls]++;
    const owner = s.slabOwner[slab];
    if (owner < 1 || owner >= MAX_OWNERS || s.ownerState[owner] === OWNER_FREE) fail(`${where} is owned by ${owner}, which is no registered view`);
    const r = s.slabRing[slab];
    if (r < 0 || r >= epochSlots || s.ringState[r] === RING_FREE) fail(`${where} belongs to ring slot ${r}, which holds no epoch`);
    ringLive[r] += liveSlots;
    ringCounted[r] += counted;
    classCounted[cls] += counted;
    ringSlabs[r]++;
    const key = r * classes + cls;
    const current = s.rowCur[owner][key] === slab;
    const open = s.ringState[r] === RING_OPEN;
    // Only this view's slabs are settled now; other owners drop slabs of stopped epochs when they next collect.
    // (Unless its release waits for an entry of it still on its way: remoteBusy in slab-ops.ts.)
    if (owner === v.owner && freeTop === slotCount && !(open && current) && !remoteBusy(v, slab)) {
      fail(`${where} is empty but still held by epoch ${s.ringIds[r]} (not its current slab)`);
    }
    if (s.slabListed[slab << 4] === 1) {
      if (current) fail(`${where} is both current and on the partial list`);
      if (freeTop < s.slabListAt[slab << 4]) fail(`${where} is on the partial list with ${freeTop} free slots, fewer than its listing threshold ${s.slabListAt[slab << 4]}`);
    } else if (owner === v.owner && open && !current && freeTop >= s.slabListAt[slab << 4]) {
      fail(`${where} of open epoch ${s.ringIds[r]} has ${freeTop} free slots but is on no partial list (slots lost to allocation)`);
    }
  }
  if (free !== s.hdr[H_FREE_SLABS]) fail(`free slab count ${s.hdr[H_FREE_SLABS]} but ${free} slabs are free`);
  if (active !== s.hdr[H_ACTIVE_SLABS]) fail(`active slab count ${s.hdr[H_ACTIVE_SLABS]} but ${active} slabs are active`);
  if (cached !== s.hdr[H_CACHED_SLABS]) fail(`cached slab count ${s.hdr[H_CACHED_SLABS]} but ${cached} slabs are cached`);
  // Pending counts cover the chains other views still buffer; a stale entry in a chain is not seen here.
  for (let cls = 0; cls < classes; cls++) {
    const counted = classCounted[cls] - s.pending(-1, cls);
    if (counted !== classLive[cls] && !chainsPending) fail(`class ${v.sizes[cls]} B counts ${counted} live objects (slots in use less pending remote frees) but ${classLive[cls]} slots are live`);
    if (s.classActive[cls] !== classActive[cls]) fail(`class ${v.sizes[cls]} B counts ${s.classActive[cls]} active slabs, found ${classActive[cls]}`);
  }
  checkOwnerRows(v, fail);
  let open = 0;
  for (let r = 0; r < epochSlots; r++) {
    if (s.ringState[r] === RING_FREE) {
      if (ringSlabs[r] !== 0) fail(`ring slot ${r} is free but owns ${ringSlabs[r]} slabs`);
      continue;
    }
    const id = s.ringIds[r];
    if (id % epochSlots !== r || id >= s.hdr64[F_NEXT_ID]) fail(`epoch ${id} sits in ring slot ${r} or was never handed out`);
    if (s.ringState[r] === RING_OPEN) open++;
    else if (ringSlabs[r] === 0) fail(`epoch ${id} is ${s.ringState[r]} with no slabs but was not freed`);
    const counted = ringCounted[r] - s.pending(r, -1);
    if (counted !== ringLive[r] && !chainsPending) fail(`epoch ${id} counts ${counted} live objects (slots in use less pending remote frees) but its slabs hold ${ringLive[r]}`);
    if (s.ringSlabs[r] !== ringSlabs[r]) fail(`epoch ${id} counts ${s.ringSlabs[r]} slabs but owns ${ringSlabs[r]}`);
  }
  const current = s.hdr[H_CURRENT_RING];
  if (s.ringState[current] !== RING_OPEN || s.ringIds[current] !== s.hdr64[F_CURRENT]) fail(`current epoch ${s.hdr64[F_CURRENT]} is not open in ring slot ${current}`);
  if (open === 0) fail('no open epoch');
}

function checkOwnerRows(v: SharedView, fail: (message: string) => never): void {
  const s = v.s;
  const classes = v.classCount;
  for (let owner = 1; owner < MAX_OWNERS; owner++) {
    if (s.ownerState[owner] === OWNER_FREE) continue;
    const cur = s.rowCur[owner];
    const partial = s.rowPartial[owner];
    for (let key = 0; key < s.layout.keyCount; key++) {
      const ring = (key / classes) | 0;
      const cls = key % classes;
      const slab = cur[key];
      if (slab !== NO_SLAB && (s.slabState[slab] !== SLAB_ACTIVE || s.slabOwner[slab] !== owner || s.slabRing[slab] !== ring || s.slabClass[slab] !== cls)) {
        fail(`current slab ${slab} of owner ${owner} (ring ${ring}, class ${s.layout.classCount > cls ? v.sizes[cls] : cls} B) is not its active slab of that epoch and class`);
      }
      if (slab !== NO_SLAB && owner === v.owner && s.ringState[ring] !== RING_OPEN) fail(`owner ${owner} keeps current slab ${slab} of stopped ring ${ring}`);
      let steps = 0;
      for (let at = partial[key], prev = NO_SLAB; at !== NO_SLAB; prev = at, at = s.slabNext[at << 4]) {
        if (++steps > s.hdr[H_SLAB_TOP]) fail(`partial list of owner ${owner} ring ${ring} class ${v.sizes[cls]} B has a cycle`);
        if (s.slabPrev[at << 4] !== prev || s.slabListed[at << 4] !== 1 || s.slabOwner[at] !== owner || s.slabRing[at] !== ring || s.slabClass[at] !== cls) {
          fail(`partial list of owner ${owner} ring ${ring} class ${v.sizes[cls]} B is broken at slab ${at}`);
        }
      }
    }
    if (owner === v.owner && s.ownerState[owner] !== OWNER_ALIVE) fail(`this view (owner ${owner}) is not registered as alive`);
  }
}
