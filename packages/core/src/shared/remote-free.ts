import * as coreLayout from '../layout.js';
import * as sharedLayout from './layout.js';
import type { SharedView } from './view.js';

// Module-local copies of the layout constants: V8 folds these into machine code, not imported bindings (see allocator.ts).
const { GEN_MASK } = coreLayout;
const { C_CAS, C_CAS_RETRIES, C_PENDING, SLOT_CLAIM, SLOT_WORDS_SHIFT, SUMMARY_STRIDE } = sharedLayout;

/**
 * Frees that cross views, and why a view frees its own objects without any atomic operation.
 *
 * V8 does not inline `Atomics` calls: each costs a builtin call (about 20 ns here, 15x a plain
 * typed-array write). So only the owner ever writes a slot's generation, with plain stores: alloc,
 * its own free (read, compare, write generation + 1, push: plain mode's free) and its merge.
 * Another view frees a slot by claiming it: one CAS of the slot's claim word (state.ts) from 0, or
 * from a stale claim, to the handle's generation. A live slot whose claim equals its generation is
 * dead: free(), isLive() and the owner's own free all check both words. The claim stays until the
 * owner merges the slot from its remote list, which hands the slot back and clears the claim.
 *
 * The one race plain own frees leave open is a double free in flight in two threads at once: the
 * owner reads the live generation g and no claim, the other view claims g, the owner writes g + 1.
 * Both calls return true. Nothing is corrupted and nothing is counted twice:
 * - the slot is on the owner's stack once; its queued entry finds the generation moved past the
 *   claim when it is merged and is dropped (every merged entry takes its pending count back);
 * - a slot is queued at most once at a time: only a claim from 0 queues it, and only the merge
 *   clears a claim. If the slot is handed out again and another view frees it before the stale
 *   entry is merged, that free replaces the stale claim (a CAS) and rides on the queued entry: the
 *   merge then finds claim = generation and hands the slot back;
 * - a slab is released only when no chain, splice or list can still hold an entry of it
 *   (remoteBusy), so an entry is always merged into the slab incarnation it was counted for.
 */

/** claimRemote's result is a set of these two flags. */
export const CLAIM_QUEUES = 1; // the caller must queue the slot (it claimed it from 0)
export const CLAIM_FREES = 2; // the free succeeded (the caller returns true)
// So: 0 lost (not live at `gen`, or another free claimed it first); QUEUES | FREES claimed;
// FREES alone claimed over a stale claim, riding on the entry already queued; QUEUES alone
// claimed from 0 after the generation moved on: queued like a stale entry, freeing nothing.

/**
 * Claims slot `link` for a free at `gen` by a view that does not own it (the linearization point
 * among such frees). The caller checked once that the slot's generation is `gen`. The generation
 * is read again after the CAS: between the first read and the CAS, another view may have claimed
 * the slot and the owner merged it (ending the generation, then clearing the claim), so a CAS from
 * 0 can succeed on a slot that is no longer at `gen`. That claim is queued like a stale one (the
 * merge drops it) and frees nothing.
 */
export function claimRemote(v: SharedView, link: number, gen: number): number {
  const s = v.s;
  const words = s.gens;
  const at = link << SLOT_WORDS_SHIFT;
  let claim = words[at | SLOT_CLAIM];
  for (;;) {
    if (claim === gen || words[at] !== gen) return 0;
    const seen = Atomics.compareExchange(words, at | SLOT_CLAIM, claim, gen);
    if (seen === claim) {
      const queues = claim === 0 ? CLAIM_QUEUES : 0;
      return words[at] === gen ? queues | CLAIM_FREES : queues;
    }
    claim = seen;
  }
}

/** Counts `entries` remote-free entries added (+) or merged (-) for `slab`, in this view's row. */
export function countPending(v: SharedView, slab: number, entries: number): void {
  const s = v.s;
  v.myRingPending[s.slabRing[slab]] += entries;
  v.myCounters[C_PENDING * v.classCount + s.slabClass[slab]] += entries;
}

/**
 * Pushes one claimed slot (claimRemote's result has CLAIM_QUEUES) onto its slab's remote list at
 * once (epoch resets under the heap lock, detached views covered by the slab's in-flight count).
 */
export function pushRemote(v: SharedView, slab: number, slot: number): void {
  countPending(v, slab, 1);
  splice(v, slab, slot + 1, (slab << v.slotShift) | slot);
}

/**
 * Links the chain first..tail (links: slot + 1; `tail` a slot index) in front of the slab's remote
 * list with one CAS; the first push onto an empty list flags the slab in its owner's pending bitmap.
 */
export function splice(v: SharedView, slab: number, first: number, tail: number): void {
  const s = v.s;
  const heads = s.slabRemoteHead;
  const cls = s.slabClass[slab];
  const counters = v.myCounters;
  const casAt = C_CAS * v.classCount + cls;
  let old = heads[slab << 4]; // a guess: the CAS below checks it
  for (;;) {
    counters[casAt]++;
    s.remoteNext[tail] = old;
    const seen = Atomics.compareExchange(heads, slab << 4, old, first);
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
 * Owner only: moves the slab's remote list onto its local free stack. An entry whose claim equals
 * the slot's generation is a free: the slot goes back and its claim is cleared with a plain store
 * (no other view can claim a slot whose claim already equals its generation). Any other entry is
 * stale (see above): its claim is cleared with a CAS, because a free riding on it may be replacing
 * the claim at that moment, and is then looked at again. Returns the entries merged.
 */
export function mergeRemote(v: SharedView, slab: number): number {
  const s = v.s;
  if (Atomics.load(s.slabRemoteHead, slab << 4) === 0) return 0;
  let head = Atomics.exchange(s.slabRemoteHead, slab << 4, 0);
  const base = slab << v.slotShift;
  const words = s.gens;
  let top = s.slabFreeTop[slab << 4];
  let entries = 0;
  while (head !== 0) {
    const slot = head - 1;
    head = s.remoteNext[base | slot];
    const at = (base | slot) << SLOT_WORDS_SHIFT;
    const gen = words[at];
    let claim = words[at | SLOT_CLAIM];
    if (claim !== gen) {
      const seen = Atomics.compareExchange(words, at | SLOT_CLAIM, claim, 0);
      // A free rode on this entry meanwhile: its claim is now the slot's generation.
      claim = seen === claim ? 0 : seen;
    }
    if (claim === gen && claim !== 0) {
      // Generation first, then the claim: a view that then reads the claim as 0 reads the new
      // generation after it (stores and loads keep their order on x64), so it cannot claim the
      // slot at the old generation a second time.
      words[at] = (gen + 1) & GEN_MASK;
      words[at | SLOT_CLAIM] = 0;
      s.freeSlots[base + top++] = slot;
    }
    entries++;
  }
  s.slabFreeTop[slab << 4] = top;
  countPending(v, slab, -entries);
  return entries;
}
