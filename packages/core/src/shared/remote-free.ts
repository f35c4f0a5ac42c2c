import * as coreLayout from '../layout.js';
import * as sharedLayout from './layout.js';
import type { SharedView } from './view.js';

// Module-local copies of the layout constants: V8 folds these into machine code, not imported bindings (see allocator.ts).
const { GEN_MASK } = coreLayout;
const { C_CAS, C_CAS_RETRIES, C_PENDING, GEN_REMOTE, LINK_MASK, QUEUED, SUMMARY_STRIDE } = sharedLayout;

/**
 * Frees that cross views, and why a view frees its own objects without any atomic operation.
 *
 * V8 does not inline `Atomics` calls: each costs a builtin call (about 20 ns here, 15x a plain
 * typed-array write). So a view frees a slot of its own slabs the plain-mode way: it reads the
 * generation, compares, writes generation + 1 and pushes the slot on its stack. Only another view
 * that frees the slot takes it with a CAS, from the live generation g to (g + 1) | GEN_REMOTE, and
 * queues it on a remote list for the owner to merge. A slot with GEN_REMOTE is dead (even) and
 * never equals a handle's generation, so the owner's plain free of it returns false.
 *
 * The one race that plain free leaves open is a double free in flight in two threads at once: the
 * owner reads g, the other view's CAS lands, the owner writes g + 1 over the mark. Both calls
 * return true. Nothing is corrupted and nothing is counted twice:
 * - the slot is on the owner's stack once; the queued entry finds no GEN_REMOTE when it is merged
 *   and is dropped (every merged entry, dropped or not, takes its pending count back);
 * - a slot is queued at most once at a time (QUEUED in its remoteNext word, set by the freer with
 *   an atomic test-and-set, cleared by the merge), so the stale entry and a later remote free of
 *   the same slot cannot link it into two lists: the later free rides on the queued entry;
 * - a slab is released only when no chain, splice or list can still hold an entry of it
 *   (remoteBusy), so an entry is always merged into the slab incarnation it was counted for.
 */

/** Counts `entries` remote-free entries added (+) or merged (-) for `slab`, in this view's row. */
export function countPending(v: SharedView, slab: number, entries: number): void {
  const s = v.s;
  v.myRingPending[s.slabRing[slab]] += entries;
  v.myCounters[C_PENDING * v.classCount + s.slabClass[slab]] += entries;
}

/** Takes the live slot `link` for a remote free: the linearization point among non-owners. */
export function markRemote(v: SharedView, link: number, gen: number): boolean {
  return Atomics.compareExchange(v.s.gens, link, gen, ((gen + 1) & GEN_MASK) | GEN_REMOTE) === gen;
}

/**
 * Marks slot `link` queued; false when it already was (an entry of it waits to be merged, and
 * this free rides on it: the merge will find this free's GEN_REMOTE).
 */
export function claimQueue(v: SharedView, link: number): boolean {
  return (Atomics.or(v.s.remoteNext, link, QUEUED) & QUEUED) === 0;
}

/**
 * Pushes one marked slot onto its slab's remote list at once (epoch resets, detached views): under
 * the heap lock, so no release of the slab interleaves. The first push onto an empty list flags
 * the slab in its owner's pending bitmap.
 */
export function pushRemote(v: SharedView, slab: number, slot: number): void {
  const s = v.s;
  const link = (slab << v.slotShift) | slot;
  if (!claimQueue(v, link)) return;
  countPending(v, slab, 1);
  const heads = s.slabRemoteHead;
  const cls = s.slabClass[slab];
  const counters = v.myCounters;
  const casAt = C_CAS * v.classCount + cls;
  let old = heads[slab << 4]; // a guess: the CAS below checks it
  for (;;) {
    counters[casAt]++;
    s.remoteNext[link] = old | QUEUED;
    const seen = Atomics.compareExchange(heads, slab << 4, old, slot + 1);
    if (seen === old) break;
    old = seen;
    counters[C_CAS_RETRIES * v.classCount + cls]++;
  }
  if (old === 0) flagPending(v, Atomics.load(s.slabOwner, slab), slab);
}

export function flagPending(v: SharedView, owner: number, slab: number): void {
  if (owner === 0) return;
  Atomics.or(v.s.rowBits[owner], slab >> 5, 1 << (slab & 31));
  Atomics.store(v.s.summary, owner * SUMMARY_STRIDE, 1);
}

/**
 * Owner only: moves the slab's remote list onto its local free stack. The QUEUED flags of the
 * entries are cleared before their generations are read, with one full barrier between (an
 * atomic read-modify-write: a lock-prefixed instruction on x64, an acquire-release one on arm64),
 * so a remote free that found its slot's flag still set has its GEN_REMOTE seen here. Returns the
 * entries merged (slots handed back plus stale entries).
 */
export function mergeRemote(v: SharedView, slab: number): number {
  const s = v.s;
  if (Atomics.load(s.slabRemoteHead, slab << 4) === 0) return 0;
  let head = Atomics.exchange(s.slabRemoteHead, slab << 4, 0);
  const base = slab << v.slotShift;
  const slots = v.mergeSlots;
  let entries = 0;
  while (head !== 0) {
    const slot = head - 1;
    head = s.remoteNext[base | slot] & LINK_MASK;
    s.remoteNext[base | slot] = 0;
    slots[entries++] = slot;
  }
  Atomics.add(s.slabRemoteHead, slab << 4, 0); // the barrier
  const gens = s.gens;
  let top = s.slabFreeTop[slab << 4];
  for (let i = 0; i < entries; i++) {
    const slot = slots[i];
    const gen = gens[base | slot];
    if ((gen & GEN_REMOTE) !== 0) {
      gens[base | slot] = gen & GEN_MASK;
      s.freeSlots[base + top++] = slot;
    }
  }
  s.slabFreeTop[slab << 4] = top;
  countPending(v, slab, -entries);
  return entries;
}
