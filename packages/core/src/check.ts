import { HeapCheckError } from './errors.js';
import type { HeapCore } from './heap-core.js';
import type { SlabTable } from './slab.js';
import { HDR_OBJECT_SIZE, NO_SLAB, RESERVED_SLABS, RING_FREE, RING_OPEN, SLAB_ACTIVE, SLAB_CACHED, SLAB_FREE, SLAB_HEADER_SHIFT } from './layout.js';

/**
 * Walks every invariant of the heap and throws HeapCheckError on the first violation. Slow
 * (it visits every slab and slot) and allocating: for tests and debugging, never per frame.
 */
export function checkHeap(heap: HeapCore): void {
  const fail = (message: string): never => {
    throw new HeapCheckError(`heap.check(): ${message}`);
  };
  const { slabs, ring, classes, config, counters } = heap;
  const slabBytes = config.slabBytes;
  const bufferBytes = heap.memory.buffer.byteLength;
  if (heap.memory.canShrink ? bufferBytes !== heap.slabTop * slabBytes : bufferBytes < heap.slabTop * slabBytes) {
    fail(`buffer is ${bufferBytes} bytes but ${heap.slabTop} slabs of ${slabBytes} are in use`);
  }
  if (heap.slabTop > slabs.capacity) fail(`slabTop ${heap.slabTop} exceeds metadata capacity ${slabs.capacity}`);
  if (heap.u8.buffer !== heap.memory.buffer) fail('views do not cover the current buffer (stale views after a resize)');

  const ringLive = new Float64Array(ring.slots);
  const ringSlabs = new Int32Array(ring.slots);
  const classLive = new Float64Array(heap.classCount);
  const classActive = new Int32Array(heap.classCount);
  const seen = new Uint8Array(slabs.slotsPerSlab);
  let free = 0;
  let active = 0;
  let cached = 0;
  const bound = heap.slotGens === slabs.gens && heap.slotStack === slabs.freeSlots && heap.slabHeader === slabs.header && heap.slabInverseSize === slabs.inverseSize;
  if (!bound) fail('the fast paths read slab arrays that are not the slab table\'s (bindSlabArrays missed after a resize)');
  for (let slab = RESERVED_SLABS; slab < heap.slabTop; slab++) {
    const state = slabs.state[slab];
    const cls = slabs.classOf[slab];
    const where = `slab ${slab} (offset ${slab * slabBytes})`;
    if (state === SLAB_FREE) {
      free++;
      if (cls !== -1 || slabs.ring[slab] !== -1) fail(`${where} is free but has class ${cls} / ring ${slabs.ring[slab]}`);
      if (slab < heap.lowestFreeHint) fail(`${where} is free below lowestFreeHint ${heap.lowestFreeHint}`);
      checkEvenPast(slabs, slab, 0, where);
      continue;
    }
    if (state !== SLAB_ACTIVE && state !== SLAB_CACHED) fail(`${where} has unknown state ${state}`);
    if (cls < 0 || cls >= heap.classCount) fail(`${where} has class ${cls} outside 0..${heap.classCount - 1}`);
    const slotCount = Math.floor(slabBytes / classes.sizes[cls]);
    if (slabs.slotsOf(slab) !== slotCount) fail(`${where} has ${slabs.slotsOf(slab)} slots, class ${classes.sizes[cls]} B needs ${slotCount}`);
    const objectSize = slabs.header[(slab << SLAB_HEADER_SHIFT) + HDR_OBJECT_SIZE];
    if (objectSize !== classes.sizes[cls] || slabs.inverseSize[slab] !== 1 / objectSize) fail(`${where} records object size ${objectSize} (reciprocal ${slabs.inverseSize[slab]}), its class ${classes.sizes[cls]} B`);
    const top = slabs.freeTopOf(slab);
    if (top < 0 || top > slotCount) fail(`${where} free stack top ${top} outside 0..${slotCount}`);
    seen.fill(0);
    const base = slab << slabs.slotShift;
    for (let i = 0; i < top; i++) {
      const slot = slabs.freeSlots[base + i];
      if (slot >= slotCount) fail(`${where} free stack holds slot ${slot} >= ${slotCount}`);
      if (seen[slot]) fail(`${where} free stack holds slot ${slot} twice`);
      seen[slot] = 1;
      if ((slabs.gens[base + slot] & 1) !== 0) fail(`${where} slot ${slot} is on the free stack but its generation ${slabs.gens[base + slot]} says live`);
    }
    let liveSlots = 0;
    for (let slot = 0; slot < slotCount; slot++) {
      const odd = (slabs.gens[base + slot] & 1) === 1;
      if (odd) liveSlots++;
      if (!odd && !seen[slot]) fail(`${where} slot ${slot} is neither live nor on the free stack (lost slot)`);
    }
    // free() skips a slot-count check on the strength of this: no slot past the count is ever live.
    checkEvenPast(slabs, slab, slotCount, where);
    if (liveSlots + top !== slotCount) fail(`${where}: ${liveSlots} live + ${top} free != ${slotCount} slots`);
    classLive[cls] += liveSlots;
    if (state === SLAB_CACHED) {
      cached++;
      if (liveSlots !== 0) fail(`${where} is cached but holds ${liveSlots} live objects`);
      if (slabs.ring[slab] !== -1) fail(`${where} is cached but owned by ring slot ${slabs.ring[slab]}`);
      let found = 0;
      for (let i = 0; i < heap.cacheCount[cls]; i++) if (heap.cache[cls * config.cacheSlabs + i] === slab) found++;
      if (found !== 1) fail(`${where} is cached but appears ${found} times in the class ${classes.sizes[cls]} cache`);
      continue;
    }
    active++;
    classActive[cls]++;
    const r = slabs.ring[slab];
    if (r < 0 || r >= ring.slots || ring.state[r] === RING_FREE) fail(`${where} is owned by ring slot ${r}, which holds no epoch`);
    ringLive[r] += liveSlots;
    ringSlabs[r]++;
    const key = r * heap.classCount + cls;
    const isCurrent = heap.currentSlab[key] === slab;
    if (liveSlots === 0 && !(ring.state[r] === RING_OPEN && isCurrent)) fail(`${where} is empty but still owned by epoch ${ring.ids[r]} (not its current slab)`);
    if (slabs.listed[slab] === 1) {
      if (ring.state[r] !== RING_OPEN) fail(`${where} is on a partial list of epoch ${ring.ids[r]}, which is not open`);
      if (isCurrent) fail(`${where} is both current and on the partial list`);
      if (top < slabs.listAtOf(slab)) fail(`${where} has ${top} free slots, fewer than its list threshold ${slabs.listAtOf(slab)}, but is on the partial list`);
    } else if (ring.state[r] === RING_OPEN && !isCurrent && top >= slabs.listAtOf(slab)) {
      fail(`${where} of open epoch ${ring.ids[r]} has ${top} free slots but is on no partial list (slots lost to allocation)`);
    }
  }
  if (free !== heap.freeSlabCount) fail(`freeSlabCount ${heap.freeSlabCount} but ${free} slabs are free`);
  if (active !== heap.activeSlabCount) fail(`activeSlabCount ${heap.activeSlabCount} but ${active} slabs are active`);
  if (cached !== heap.cachedSlabCount) fail(`cachedSlabCount ${heap.cachedSlabCount} but ${cached} slabs are cached`);

  for (let cls = 0; cls < heap.classCount; cls++) {
    if (counters.allocs[cls] < classLive[cls]) fail(`class ${classes.sizes[cls]} B counts ${counters.allocs[cls]} allocations but ${classLive[cls]} slots are live`);
    if (heap.classLive(cls) !== classLive[cls]) fail(`class ${classes.sizes[cls]} B: classLive() says ${heap.classLive(cls)}, the slot walk ${classLive[cls]}`);
    if (counters.activeSlabs[cls] !== classActive[cls]) fail(`class ${classes.sizes[cls]} B counts ${counters.activeSlabs[cls]} active slabs, found ${classActive[cls]}`);
    if (heap.cacheCount[cls] < 0 || heap.cacheCount[cls] > config.cacheSlabs) fail(`class ${classes.sizes[cls]} B cache count ${heap.cacheCount[cls]} outside 0..${config.cacheSlabs}`);
    for (let i = 0; i < heap.cacheCount[cls]; i++) {
      const slab = heap.cache[cls * config.cacheSlabs + i];
      if (slab < RESERVED_SLABS || slab >= heap.slabTop || slabs.state[slab] !== SLAB_CACHED || slabs.classOf[slab] !== cls) {
        fail(`class ${classes.sizes[cls]} B cache entry ${i} is slab ${slab}, which is not a cached slab of that class`);
      }
    }
  }

  const ids = new Set<number>();
  let open = 0;
  for (let r = 0; r < ring.slots; r++) {
    const state = ring.state[r];
    if (state === RING_FREE) {
      if (ringSlabs[r] !== 0 || ringLive[r] !== 0) fail(`ring slot ${r} is free but owns ${ringSlabs[r]} slabs / ${ringLive[r]} objects`);
      continue;
    }
    const id = ring.ids[r];
    if (id % ring.slots !== r) fail(`epoch ${id} sits in ring slot ${r}, expected ${id % ring.slots}`);
    if (id >= ring.nextId || ids.has(id)) fail(`epoch id ${id} in ring slot ${r} is duplicated or not yet handed out`);
    ids.add(id);
    if (state === RING_OPEN) open++;
    else if (ringLive[r] === 0) fail(`epoch ${id} is ${ring.stateName(r)} with no live objects but was not freed`);
    if (ring.slabs[r] !== ringSlabs[r]) fail(`epoch ${id} counts ${ring.slabs[r]} slabs but owns ${ringSlabs[r]}`);
    for (let cls = 0; cls < heap.classCount; cls++) {
      const key = r * heap.classCount + cls;
      const current = heap.currentSlab[key];
      if (current !== NO_SLAB && (state !== RING_OPEN || slabs.state[current] !== SLAB_ACTIVE || slabs.ring[current] !== r || slabs.classOf[current] !== cls)) {
        fail(`current slab ${current} of epoch ${id} class ${classes.sizes[cls]} B is not an active slab of that epoch and class`);
      }
      let steps = 0;
      for (let s = heap.partialHead[key], prev = NO_SLAB; s !== NO_SLAB; prev = s, s = slabs.next[s]) {
        if (++steps > heap.slabTop) fail(`partial list of epoch ${id} class ${classes.sizes[cls]} B has a cycle`);
        if (slabs.prev[s] !== prev || slabs.listed[s] !== 1 || slabs.ring[s] !== r || slabs.classOf[s] !== cls) {
          fail(`partial list of epoch ${id} class ${classes.sizes[cls]} B is broken at slab ${s}`);
        }
      }
    }
  }
  if (ring.state[heap.currentRing] !== RING_OPEN || ring.ids[heap.currentRing] !== heap.currentEpoch) {
    fail(`current epoch ${heap.currentEpoch} is not open in ring slot ${heap.currentRing}`);
  }
  if (open === 0) fail('no open epoch');
}

/** Throws unless every slot entry of `slab` from `first` on has an even (not live) generation. */
function checkEvenPast(slabs: SlabTable, slab: number, first: number, where: string): void {
  const base = slab << slabs.slotShift;
  for (let slot = first; slot < slabs.slotsPerSlab; slot++) {
    const gen = slabs.gens[base + slot];
    if ((gen & 1) !== 0) throw new HeapCheckError(`heap.check(): ${where} slot entry ${slot} (past its ${first} slots) has the live generation ${gen}`);
  }
}
