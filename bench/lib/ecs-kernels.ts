/**
 * The systems of the ecs cases (ecs-cases.ts), one function per access shape so each stays
 * monomorphic: on a slabQuery (the iteration idiom), on the eid map (for comparison), and the
 * checksums that prove every store did the same work.
 */
import type { SlabAllocator } from '@tslab/core';
import type { SlabComponent, SlabQuery } from '@tslab/bitecs';

/** The cases' component: one i32 field. */
export type Slab = SlabComponent<{ readonly value: 'i32' }>;
/** bitECS 0.4 native store: a typed array indexed by eid. */
export interface Native {
  value: Int32Array;
}

/** value *= 2 for every entity of `ents`. */
export function slabDouble(heap: SlabAllocator, C: Slab, ents: ArrayLike<number>): void {
  const i32 = heap.i32;
  const pages = C.pages;
  const offsets = C.offsets;
  const shift = C.pageShift;
  const mask = C.pageMask;
  const V = C.fields.value;
  for (let i = 0; i < ents.length; i++) {
    const eid = ents[i];
    const o = offsets[pages[eid >>> shift] + (eid & mask)];
    i32[(o + V) >> 2] *= 2;
  }
}

/** Swaps P.value and Q.value for every entity of `ents`. */
export function slabSwap(heap: SlabAllocator, P: Slab, Q: Slab, ents: ArrayLike<number>): void {
  const i32 = heap.i32;
  const pp = P.pages;
  const po = P.offsets;
  const qp = Q.pages;
  const qo = Q.offsets;
  const PV = P.fields.value;
  const QV = Q.fields.value;
  const shift = P.pageShift; // both components use the default page shift
  const mask = P.pageMask;
  for (let i = 0; i < ents.length; i++) {
    const eid = ents[i];
    const a = (po[pp[eid >>> shift] + (eid & mask)] + PV) >> 2;
    const b = (qo[qp[eid >>> shift] + (eid & mask)] + QV) >> 2;
    const x = i32[a];
    i32[a] = i32[b];
    i32[b] = x;
  }
}

/** value *= 2 for every entity of a slabQuery over [C]. */
export function queryDouble(heap: SlabAllocator, C: Slab, q: SlabQuery): void {
  const n = q.update();
  const i32 = heap.i32;
  const offsets = q.offsetsOf(C);
  const V = C.fields.value;
  for (let i = 0; i < n; i++) i32[(offsets[i] + V) >> 2] *= 2;
}

/** Swaps P.value and Q.value for every entity of a slabQuery over [P, Q]. */
export function querySwap(heap: SlabAllocator, P: Slab, Q: Slab, q: SlabQuery): void {
  const n = q.update();
  const i32 = heap.i32;
  const po = q.offsetsOf(P);
  const qo = q.offsetsOf(Q);
  const PV = P.fields.value;
  const QV = Q.fields.value;
  for (let i = 0; i < n; i++) {
    const a = (po[i] + PV) >> 2;
    const b = (qo[i] + QV) >> 2;
    const x = i32[a];
    i32[a] = i32[b];
    i32[b] = x;
  }
}

export function nativeSum(C: Native, ents: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < ents.length; i++) s = (s + C.value[ents[i]]) | 0;
  return s;
}

export function slabSum(C: Slab, ents: ArrayLike<number>): number {
  const i32 = C.heap.i32;
  let s = 0;
  for (let i = 0; i < ents.length; i++) s = (s + i32[(C.offsetOf(ents[i]) + C.fields.value) >> 2]) | 0;
  return s;
}
