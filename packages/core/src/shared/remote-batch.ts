import * as sharedLayout from './layout.js';
import * as remoteFree from './remote-free.js';
import { claimRemote, countPending, flagPending, pushRemote, splice } from './remote-free.js';
import type { SharedView } from './view.js';

// Module-local copies of the layout constants: V8 folds these into machine code, not imported bindings (see allocator.ts).
const { BATCH_ENTRIES } = sharedLayout;
const { CLAIM_FREES, CLAIM_QUEUES } = remoteFree;

/**
 * Batched remote frees. A free of another view's slot still takes its generation with a CAS at
 * once (remote-free.ts), but the slot is then linked into a chain kept by the freeing view, one chain
 * per destination slab, and the chain is spliced onto the slab's remote list with ONE CAS when it
 * holds BATCH_SLOTS slots, when another slab needs its entry, or at a flush point (this view's
 * alloc slow path when it goes to the lock and every 32nd one, collect() and its timer, epoch
 * operations, stats, check(), adoption, detach(), flushRemote()). Per free this saves the CAS on
 * the remote-list head, a line the owner exchanges on every merge, and the owner's pending flag;
 * measured in bench/suites/40-workers.ts.
 *
 * A buffered slot is freed (claimed at its generation, counted in the freer's pending counts) but on
 * no list, so it is still off the owner's free stack and counts as in use: the slab cannot be
 * released or reused before the flush. So that adoption never reclaims it as "lost" (see
 * adopt.ts), a chain publishes itself with this view's bit in the slab's pending mask (words
 * PENDING_WORD.. of the slab's remote-head line, two Int32 words for 64 owner ids): set when the
 * chain starts, claimed (cleared) right before the splice. The chains' table lives in the freer's
 * owner row (layout.ts BATCH_WORDS), so when a view dies holding chains, its adopter claims the bits
 * and splices them (spliceDeadChains).
 */
// BATCH_ENTRIES (layout.ts): chains per view, direct-mapped by slab (with 32, slabs 32 apart
// evicted each other: measured chains of ~9).
export const BATCH_SLOTS = 32;
/** First pending-mask word inside a slab's remote-head line (word 0 is the list head). */
export const PENDING_WORD = 1;
/** Word of the slab's remote-head line counting splices between their claim and their CAS. */
const INFLIGHT_WORD = 3;
// Words of one entry of the chains' table: e * 4 + ...
const E_SLAB = 0; // slab + 1, 0 when empty
const E_HEAD = 1; // newest slot + 1 (the chain's head as a remote-list link)
const E_TAIL = 2; // slot index (slab << slotShift | slot) of the oldest slot: gets the old list head
const E_COUNT = 3;

/**
 * Frees `slot` of `slab` (owned by another view) if it is live with `gen`; false when not. While
 * the view is attached (`attached`), the slot is buffered in this view's chain for the slab. The
 * chain's pending bit is set BEFORE the claim: from the claim until the splice, the bit or the slab's
 * in-flight count shows the entry, so the owner never releases the slab while an entry of it is
 * on its way (remote-free.ts). After detach() there is no later flush point: the slot is pushed at
 * once, covered by the in-flight count instead.
 *
 * One function on purpose, over V8's 460-byte limit for inlining: free() calls it, and were it
 * inlined there, free()'s own optimized code would grow past what its callers' inlining budget
 * takes, and every handle passed to free() would be boxed (measured: 16 B per remote free).
 */
export function freeRemote(v: SharedView, slab: number, slot: number, gen: number, attached: boolean): boolean {
  const heads = v.s.slabRemoteHead;
  const link = (slab << v.slotShift) | slot;
  if (!attached) {
    Atomics.add(heads, (slab << 4) + INFLIGHT_WORD, 1);
    const claimed = claimRemote(v, link, gen);
    if ((claimed & CLAIM_QUEUES) !== 0) pushRemote(v, slab, slot);
    Atomics.sub(heads, (slab << 4) + INFLIGHT_WORD, 1);
    // A release put off for this free must be looked at again.
    if (claimed === 0) flagPending(v, Atomics.load(v.s.slabOwner, slab), slab);
    return (claimed & CLAIM_FREES) !== 0;
  }
  const b = v.myBatch;
  const e = (slab & (BATCH_ENTRIES - 1)) << 2;
  if (b[e + E_SLAB] !== slab + 1) {
    if (b[e + E_SLAB] !== 0) flushEntry(v, b, e, v.owner); // another slab's chain: make room
    else v.batchesUsed++;
    b[e + E_HEAD] = 0;
    b[e + E_COUNT] = 0;
    b[e + E_SLAB] = slab + 1;
    // Published after the entry, so an adopter that sees the bit finds the chain.
    Atomics.or(heads, (slab << 4) + PENDING_WORD + (v.owner >> 5), 1 << (v.owner & 31));
  }
  const claimed = claimRemote(v, link, gen);
  // Not queued: a racing free won (the chain may stay empty), or the slot is already queued.
  if ((claimed & CLAIM_QUEUES) === 0) return claimed !== 0;
  countPending(v, slab, 1);
  if (b[e + E_COUNT] === 0) b[e + E_TAIL] = link;
  v.s.remoteNext[link] = b[e + E_HEAD];
  b[e + E_HEAD] = slot + 1;
  if (++b[e + E_COUNT] === BATCH_SLOTS) {
    flushEntry(v, b, e, v.owner);
    v.batchesUsed--;
  }
  return (claimed & CLAIM_FREES) !== 0;
}

/** Splices every chain of this view onto its slab's remote list. */
export function flushAll(v: SharedView): void {
  if (v.batchesUsed === 0) return;
  const b = v.myBatch;
  for (let e = 0; e < BATCH_ENTRIES << 2; e += 4) if (b[e + E_SLAB] !== 0) flushEntry(v, b, e, v.owner);
  v.batchesUsed = 0;
}

/**
 * Adoption (under the heap lock): splices the chains a dead view left in its row, each only if
 * its pending bit is still set (the claim makes the splice exactly-once against a zombie's flush).
 */
export function spliceDeadChains(v: SharedView, dead: number): void {
  const b = v.s.rowBatch[dead];
  for (let e = 0; e < BATCH_ENTRIES << 2; e += 4) if (b[e + E_SLAB] !== 0) flushEntry(v, b, e, dead);
  b.fill(0);
}

/**
 * Claims entry `e` of `table` (freer `freer`) and splices its chain with one CAS; empties the
 * entry. The slab's in-flight count covers the gap between the claim and the splice.
 */
function flushEntry(v: SharedView, table: Int32Array, e: number, freer: number): void {
  const s = v.s;
  const slab = table[e + E_SLAB] - 1;
  table[e + E_SLAB] = 0;
  const heads = s.slabRemoteHead;
  const bit = 1 << (freer & 31);
  Atomics.add(heads, (slab << 4) + INFLIGHT_WORD, 1);
  // Claim the chain: if an adopter took the bit (it presumed this view dead and spliced the
  // chain), the slots are no longer this view's to hand back.
  const before = Atomics.and(heads, (slab << 4) + PENDING_WORD + (freer >> 5), ~bit);
  if ((before & bit) !== 0) {
    if (table[e + E_COUNT] === 0) {
      // Nothing to splice (the chain's one free lost its CAS), but the owner may have put off
      // releasing the slab for this chain: have it look again.
      flagPending(v, Atomics.load(s.slabOwner, slab), slab);
    } else {
      splice(v, slab, table[e + E_HEAD], table[e + E_TAIL]);
    }
  }
  Atomics.sub(heads, (slab << 4) + INFLIGHT_WORD, 1);
}

/**
 * True when an entry of `slab` may be on its way to or on its remote list: a view holds a chain
 * of it, a splice is in flight, or the list is not empty. The slab is not released then.
 */
export function remoteBusy(v: SharedView, slab: number): boolean {
  const heads = v.s.slabRemoteHead;
  const at = slab << 4;
  return hasPendingChains(v, slab) || inFlight(v, slab) || Atomics.load(heads, at) !== 0;
}

/** True while a view is splicing a chain of `slab` (between its claim and its CAS). */
export function inFlight(v: SharedView, slab: number): boolean {
  return Atomics.load(v.s.slabRemoteHead, (slab << 4) + INFLIGHT_WORD) !== 0;
}

/** True when some view holds a chain of slots of `slab` not yet spliced. */
export function hasPendingChains(v: SharedView, slab: number): boolean {
  const heads = v.s.slabRemoteHead;
  return heads[(slab << 4) + PENDING_WORD] !== 0 || heads[(slab << 4) + PENDING_WORD + 1] !== 0;
}
