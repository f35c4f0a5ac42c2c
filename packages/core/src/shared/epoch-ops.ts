import { EpochRingFullError } from '../errors.js';
import { invalid, outOfRange } from '../errors.js';
import {
  GEN_MASK, HISTORY_LENGTH, MAX_LABELS, RESERVED_SLABS, RING_CLOSED, RING_CLOSING, RING_FREE, RING_OPEN, RING_STATE_NAMES, SLAB_ACTIVE,
} from '../layout.js';
import type { EpochId, EpochState } from '../types.js';
import {
  F_ADVANCES, F_CURRENT, F_HISTORY_COUNT, F_NEXT_ID, H_ACTIVE_SLABS, H_CURRENT_RING, H_LABEL_COUNT, H_SLAB_TOP, H_STOP_STAMP,
  LABEL_CHARS,
} from './layout.js';
import { CLAIM_FREES, CLAIM_QUEUES, claimRemote, mergeRemote, pushRemote } from './remote-free.js';
import { afterReturn, collectStopped, releaseRing } from './slab-ops.js';
import type { SharedView } from './view.js';

/**
 * The epoch ring in shared memory; every function here runs under the heap lock (taken by the
 * caller). Epoch e lives in ring slot e % slots; a slot is reused only once it owns no slab, which
 * is exact: a slab leaves its epoch only when its owner has merged every free into it and found it
 * empty, so no object of the old epoch can remain.
 */

export function ringOf(v: SharedView, e: EpochId): number {
  const s = v.s;
  const ring = e % s.layout.epochSlots;
  return s.ringIds[ring] === e && s.ringState[ring] !== RING_FREE ? ring : -1;
}

export function stateName(v: SharedView, ring: number): EpochState {
  return RING_STATE_NAMES[v.s.ringState[ring]];
}

/** Opens a new epoch in a free ring slot; -1 when none is free. */
export function openRing(v: SharedView): number {
  const s = v.s;
  const slots = s.layout.epochSlots;
  const nextId = s.hdr64[F_NEXT_ID];
  for (let step = 0; step < slots; step++) {
    const id = nextId + step;
    const ring = id % slots;
    if (s.ringState[ring] !== RING_FREE) continue;
    s.hdr64[F_NEXT_ID] = id + 1;
    s.ringIds[ring] = id;
    s.ringOpenedAt[ring] = s.hdr64[F_ADVANCES];
    s.ringLabel[ring] = -1;
    Atomics.store(s.ringState, ring, RING_OPEN);
    return ring;
  }
  return -1;
}

export function makeCurrent(v: SharedView, ring: number): void {
  const s = v.s;
  s.hdr64[F_ADVANCES]++;
  s.ringOpenedAt[ring] = s.hdr64[F_ADVANCES];
  s.hdr64[F_CURRENT] = s.ringIds[ring];
  Atomics.store(s.hdr, H_CURRENT_RING, ring);
  const at = s.hdr64[F_HISTORY_COUNT] % HISTORY_LENGTH;
  s.historyCommitted[at] = s.hdr[H_ACTIVE_SLABS] * v.slabBytes;
  s.historyLive[at] = s.liveObjects();
  s.hdr64[F_HISTORY_COUNT]++;
}

/**
 * The epoch in `ring` stops taking allocations. Every owner drops its current and partial slabs of
 * it when it sees the stop stamp move; this view does so now. Returns this view's slabs released.
 */
export function stopRing(v: SharedView, ring: number, state: number): number {
  const s = v.s;
  Atomics.store(s.ringState, ring, state);
  Atomics.add(s.hdr, H_STOP_STAMP, 1);
  const released = collectStopped(v);
  releaseIfDrained(v, ring);
  return released;
}

export function releaseIfDrained(v: SharedView, ring: number): void {
  const s = v.s;
  if (s.ringState[ring] !== RING_OPEN && s.ringState[ring] !== RING_FREE && s.ringSlabs[ring] === 0) releaseRing(v, ring);
}

export function advance(v: SharedView): EpochId | -1 {
  const s = v.s;
  const next = openRing(v);
  if (next < 0) return -1;
  const old = s.hdr[H_CURRENT_RING];
  makeCurrent(v, next);
  stopRing(v, old, RING_CLOSING);
  return s.hdr64[F_CURRENT];
}

/** Returns the slabs this view released (the report's releasedSlabs). */
export function close(v: SharedView, e: EpochId): number {
  const s = v.s;
  const ring = ringOf(v, e);
  if (ring < 0) return 0;
  if (ring === s.hdr[H_CURRENT_RING]) {
    const next = openRing(v);
    if (next < 0) throw fullError(v);
    makeCurrent(v, next);
  }
  return stopRing(v, ring, RING_CLOSED);
}

/**
 * Bulk free: every live slot of the epoch is freed as free() would: slots of this view's slabs go
 * straight back, the others are claimed and queued for their owner to merge (remote-free.ts). Returns
 * the objects freed and leaves the slabs the epoch held in v.resetSlabs (no result object: frame
 * loops reset every frame).
 */
export function reset(v: SharedView, e: EpochId): number {
  const s = v.s;
  const ring = ringOf(v, e);
  v.resetSlabs = 0;
  if (ring < 0) return 0;
  v.resetSlabs = s.ringSlabs[ring];
  const top = s.hdr[H_SLAB_TOP];
  let freed = 0;
  for (let slab = RESERVED_SLABS; slab < top; slab++) {
    if (s.slabState[slab] !== SLAB_ACTIVE || s.slabRing[slab] !== ring) continue;
    const slots = s.slabSlots[slab];
    const base = slab << v.slotShift;
    const own = Atomics.load(s.slabOwner, slab) === v.owner;
    for (let slot = 0; slot < slots; slot++) {
      if (!s.isLiveAt(base + slot)) continue; // free, or freed by another view
      const gen = s.genAt(base + slot);
      if (own) {
        // This view's own free (remote-free.ts: plain, as free() does it).
        s.setGenAt(base + slot, (gen + 1) & GEN_MASK);
        s.freeSlots[base + s.slabFreeTop[slab << 4]++] = slot;
      } else {
        const claimed = claimRemote(v, base + slot, gen);
        if ((claimed & CLAIM_QUEUES) !== 0) pushRemote(v, slab, slot);
        if ((claimed & CLAIM_FREES) === 0) continue;
      }
      freed++;
    }
  }
  // A reset arena keeps no slab: this view's become empty and go back even when current.
  for (let slab = RESERVED_SLABS; slab < top; slab++) {
    if (s.slabState[slab] !== SLAB_ACTIVE || s.slabRing[slab] !== ring || Atomics.load(s.slabOwner, slab) !== v.owner) continue;
    const key = ring * v.classCount + s.slabClass[slab];
    if (v.myCur[key] === slab) v.myCur[key] = 0;
    mergeRemote(v, slab);
    afterReturn(v, slab);
  }
  if (s.ringState[ring] !== RING_OPEN) releaseIfDrained(v, ring);
  return freed;
}

export function fullError(v: SharedView): EpochRingFullError {
  const s = v.s;
  const busy: number[] = [];
  for (let r = 0; r < s.layout.epochSlots; r++) if (s.ringState[r] !== RING_FREE) busy.push(r);
  busy.sort((a, b) => s.ringIds[a] - s.ringIds[b]);
  const details = busy
    .map((r) => `epoch ${s.ringIds[r]} ${stateName(v, r)} with ${s.ringLive(r)} live, age ${s.hdr64[F_ADVANCES] - s.ringOpenedAt[r]}`)
    .join('; ');
  return new EpochRingFullError(busy.map((r) => s.ringIds[r]), details);
}

export function countIn(v: SharedView, state: number): number {
  let n = 0;
  for (let r = 0; r < v.s.layout.epochSlots; r++) if (v.s.ringState[r] === state) n++;
  return n;
}

/**
 * A registered label's text. Entries of the registry are written once, before the atomic store of
 * the count that publishes them, so each view decodes a published index once and keeps the string:
 * statsEpoch(e, into) runs every frame in an overlay, and decoding there made a string per
 * labelled epoch each call.
 */
export function labelAt(v: SharedView, index: number): string {
  const known = v.labelTexts[index];
  if (known !== undefined) return known;
  const s = v.s;
  // Loading the count first orders the reads below after the writer's; an index not yet published
  // is decoded again next time rather than kept half-written.
  const published = index < Atomics.load(s.hdr, H_LABEL_COUNT);
  const length = s.labelLength[index];
  let text = '';
  for (let i = 0; i < length; i++) text += String.fromCharCode(s.labelChars[index * LABEL_CHARS + i]);
  if (published) v.labelTexts[index] = text;
  return text;
}

/** Registers (or finds) a label in the shared registry of MAX_LABELS; returns its index. */
export function labelIndex(v: SharedView, label: string): number {
  if (typeof label !== 'string' || label.length === 0 || label.length > LABEL_CHARS) {
    throw invalid('label', label, `a string of 1..${LABEL_CHARS} characters`);
  }
  const s = v.s;
  const count = s.hdr[H_LABEL_COUNT];
  const known: string[] = [];
  for (let i = 0; i < count; i++) {
    const text = labelAt(v, i);
    if (text === label) return i;
    known.push(text);
  }
  if (count >= MAX_LABELS) {
    throw outOfRange('label', label, `one of the ${MAX_LABELS} labels already registered (${known.join(', ')}): the registry is bounded`);
  }
  for (let i = 0; i < label.length; i++) s.labelChars[count * LABEL_CHARS + i] = label.charCodeAt(i);
  s.labelLength[count] = label.length;
  Atomics.store(s.hdr, H_LABEL_COUNT, count + 1);
  return count;
}

export { RING_CLOSED, RING_CLOSING, RING_OPEN };
