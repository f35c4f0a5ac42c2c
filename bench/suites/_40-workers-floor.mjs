/**
 * A reference for shared-heap scaling (workers suite): a minimal allocator that frees with one
 * CAS on every free, own or remote (a stale or double free returns false, and of two racing frees
 * exactly one wins), as tslab did before its own frees dropped atomics (src/shared/remote-free.ts).
 * It shows what the handoff and the generation line cost on this machine. One size, no epochs, no
 * stats, no slabs:
 * - each worker owns SLOTS slots: a local free stack (plain Int32Array, never shared) and one
 *   generation word per slot in a SharedArrayBuffer;
 * - alloc pops a slot and bumps its generation with a plain store (only the owner allocates it);
 * - free, own or remote, wins the slot with one Atomics.compareExchange on that generation (the
 *   exactly-once point); an own free pushes the slot back on the stack, a remote free
 *   appends it to the owner's return ring, published every RETURN_BATCH slots (tslab splices its
 *   remote chains every 32), which the owner drains when its stack runs low.
 * What is left per remote free is the generation line, which the owner last wrote when it handed
 * the slot out: it has to cross to the freeing core and back.
 * With `checkRemote` false, a remote free skips the generation (it frees whatever it is given, a
 * stale handle too): what is left is the handoff itself, the least any allocator pays here.
 * bench/suites/40-workers.ts runs this with the same loop, rings and shares as tslab, so every row
 * carries the same handoff cost.
 */
// Enough slots for the working set plus a full handoff ring (65,536) in flight: no null allocs.
const SLOTS = 1 << 17;
const SLOT_MASK = SLOTS - 1;
const GEN_MASK = 0xffff;
const GEN_FIELD = SLOTS;
const OWNER_FIELD = SLOTS * 65536;
const RETURN_RING = SLOTS;
const RETURN_BATCH = 32;

/** Shared memory for `workers` floor heaps: pass to every worker, with its index. */
export function floorMemory(workers) {
  return Array.from({ length: workers }, () => ({
    gens: new SharedArrayBuffer(SLOTS * 4),
    returned: new SharedArrayBuffer(RETURN_RING * 4),
    // [published tail, consumed head] of the return ring (one producer: two workers at most)
    returnIdx: new SharedArrayBuffer(8),
  }));
}

export class FloorHeap {
  constructor(memory, me, checkRemote = true) {
    if (memory.length > 2) throw new RangeError(`FloorHeap: at most 2 workers (one producer per return ring), got ${memory.length}`);
    this.me = me;
    this.checkRemote = checkRemote;
    this.myGens = new Int32Array(memory[me].gens);
    this.myReturned = new Int32Array(memory[me].returned);
    this.myReturnIdx = new Int32Array(memory[me].returnIdx);
    const other = memory.length > 1 ? memory[1 - me] : memory[me];
    this.otherGens = new Int32Array(other.gens);
    this.otherReturned = new Int32Array(other.returned);
    this.otherReturnIdx = new Int32Array(other.returnIdx);
    this.stack = new Int32Array(SLOTS);
    for (let s = 0; s < SLOTS; s++) this.stack[s] = SLOTS - 1 - s;
    this.top = SLOTS;
    this.returnTail = 0;
  }

  alloc(_size) {
    if (this.top === 0 && this.mergeReturned() === 0) return 0;
    const slot = this.stack[--this.top];
    const gen = (this.myGens[slot] + 1) & GEN_MASK;
    this.myGens[slot] = gen;
    return this.me * OWNER_FIELD + gen * GEN_FIELD + slot;
  }

  free(h) {
    const slot = h & SLOT_MASK;
    const gen = (h / GEN_FIELD) & GEN_MASK;
    if ((h / OWNER_FIELD) >>> 0 === this.me) {
      if (Atomics.compareExchange(this.myGens, slot, gen, (gen + 1) & GEN_MASK) !== gen) return false;
      this.stack[this.top++] = slot;
      return true;
    }
    if (this.checkRemote && Atomics.compareExchange(this.otherGens, slot, gen, (gen + 1) & GEN_MASK) !== gen) return false;
    this.otherReturned[this.returnTail & (RETURN_RING - 1)] = slot;
    if ((++this.returnTail & (RETURN_BATCH - 1)) === 0) Atomics.store(this.otherReturnIdx, 0, this.returnTail);
    return true;
  }

  /** Takes back what the other worker freed; returns how many slots. */
  mergeReturned() {
    const tail = Atomics.load(this.myReturnIdx, 0);
    let head = this.myReturnIdx[1];
    const n = tail - head;
    while (head < tail) this.stack[this.top++] = this.myReturned[head++ & (RETURN_RING - 1)];
    Atomics.store(this.myReturnIdx, 1, head);
    return n;
  }

  /** Publishes this worker's unpublished remote frees (the throughput loop's wind-down). */
  collect() {
    Atomics.store(this.otherReturnIdx, 0, this.returnTail);
    return 0;
  }

  detach() {}
}
