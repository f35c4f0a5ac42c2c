/**
 * The five cases of noctjs/ecs-benchmark written for bitECS 0.4, each in three stores:
 * - native: plain objects of typed arrays indexed by eid (the bitECS 0.4 way: `{ value: Int32Array }`);
 * - slab: @tslab/bitecs components; iteration systems read each record's offset from a slabQuery
 *   (one dense Int32Array per component, aligned with the query), churn cases use the eid map;
 * - slab eid-map: iteration systems looking every entity up in the eid map instead
 *   (`offsets[pages[eid >>> shift] + (eid & mask)]`), shown for comparison;
 * - slab+frames: slab with a frame adapter (records retired, freed at a tick after every step).
 * One `step()` is one operation of the original benchmark. Systems are written out per store, in
 * each store's own idiom, so neither pays for an abstraction layer. Query term arrays are hoisted.
 */
import { addComponent, addEntity, createWorld, query, removeComponent, removeEntity, type World } from 'bitecs';
import { createAllocator, type SlabAllocator } from '@tslab/core';
import { createFrameEpochs, type FrameEpochs } from '@tslab/frame';
import { slabComponent, slabQuery } from '@tslab/bitecs';
import { nativeSum, queryDouble, querySwap, slabDouble, slabSum, slabSwap, type Native, type Slab } from './ecs-kernels.js';

export type StoreKind = 'native' | 'slab' | 'slab eid-map' | 'slab+frames';
export const CASE_NAMES = ['packed_5', 'simple_iter', 'frag_iter', 'entity_cycle', 'add_remove'] as const;
export type CaseName = (typeof CASE_NAMES)[number];
export const ITERATION_CASES: readonly CaseName[] = ['packed_5', 'simple_iter', 'frag_iter'];
export const CHURN_CASES: readonly CaseName[] = ['entity_cycle', 'add_remove'];

export interface EcsCase {
  step(): void;
  /** A digest of the data, equal between stores after the same number of steps. */
  checksum(): number;
  /** Bytes of component storage (typed arrays, or slab records + eid maps). */
  storageBytes(): number;
  dispose(): void;
}

/** Native store capacity: every case stays below 4,096 live ids. */
const NATIVE_CAPACITY = 1 << 13;
const I32 = { value: 'i32' } as const;

function native(): Native {
  return { value: new Int32Array(NATIVE_CAPACITY) };
}

/** A heap whose smallest class (16) holds an 8-byte { value: i32 } record. */
export function ecsHeap(): SlabAllocator {
  return createAllocator({ sizeClasses: [16, 24, 32, 48, 64, 96, 128, 256] });
}

interface SlabWorld {
  heap: SlabAllocator;
  world: World;
  frames: FrameEpochs | undefined;
  make(): Slab;
}

function slabWorld(withFrames: boolean): SlabWorld {
  const heap = ecsHeap();
  const world = createWorld();
  const frames = withFrames ? createFrameEpochs(heap) : undefined;
  return { heap, world, frames, make: () => slabComponent(heap, I32, { world, frames }) };
}

function slabBytes(heap: SlabAllocator, comps: readonly Slab[]): number {
  return comps.reduce((sum, c) => sum + c.stats().mapBytes, heap.statsGlobal().committedBytes);
}

// ---- packed_5: 1,000 entities with A..E; five systems each doubling one component ----

function packed5(kind: StoreKind, count = 1000): EcsCase {
  if (kind === 'native') {
    const world = createWorld();
    const comps = [native(), native(), native(), native(), native()];
    const terms = comps.map((c) => [c]);
    for (let i = 0; i < count; i++) {
      const e = addEntity(world);
      for (const c of comps) {
        addComponent(world, e, c);
        c.value[e] = 1;
      }
    }
    return {
      step() {
        for (let c = 0; c < 5; c++) {
          const C = comps[c];
          const ents = query(world, terms[c]);
          for (let i = 0; i < ents.length; i++) C.value[ents[i]] *= 2;
        }
      },
      checksum: () => comps.reduce((s, c, k) => (s + nativeSum(c, query(world, terms[k]))) | 0, 0),
      storageBytes: () => comps.reduce((s, c) => s + c.value.byteLength, 0),
      dispose() {},
    };
  }
  const sw = slabWorld(kind === 'slab+frames');
  const comps = [sw.make(), sw.make(), sw.make(), sw.make(), sw.make()];
  const terms = comps.map((c) => [c]);
  for (let i = 0; i < count; i++) {
    const e = addEntity(sw.world);
    for (const c of comps) {
      addComponent(sw.world, e, c);
      sw.heap.i32[(c.offsetOf(e) + c.fields.value) >> 2] = 1;
    }
  }
  const queries = kind === 'slab eid-map' ? [] : terms.map((t) => slabQuery(sw.world, t));
  return {
    step() {
      if (queries.length > 0) for (let c = 0; c < 5; c++) queryDouble(sw.heap, comps[c], queries[c]);
      else for (let c = 0; c < 5; c++) slabDouble(sw.heap, comps[c], query(sw.world, terms[c]));
      sw.frames?.tick();
    },
    checksum: () => comps.reduce((s, c, k) => (s + slabSum(c, query(sw.world, terms[k]))) | 0, 0),
    storageBytes: () => slabBytes(sw.heap, comps) + queries.reduce((sum, q) => sum + q.bytes, 0),
    dispose: () => {
      queries.forEach((q) => q.dispose());
      comps.forEach((c) => c.dispose());
    },
  };
}

// ---- simple_iter: 4 x 1,000 entities with mixes of A..E; three systems swapping two fields ----

function simpleIter(kind: StoreKind, count = 1000): EcsCase {
  const mixes = [[0, 1], [0, 1, 2], [0, 1, 2, 3], [0, 1, 2, 4]];
  const pairs = [[0, 1], [2, 3], [2, 4]];
  if (kind === 'native') {
    const world = createWorld();
    const c = [native(), native(), native(), native(), native()];
    const terms = pairs.map(([p, q]) => [c[p], c[q]]);
    for (let i = 0; i < count; i++) {
      for (const mix of mixes) {
        const e = addEntity(world);
        for (const k of mix) {
          addComponent(world, e, c[k]);
          c[k].value[e] = k;
        }
      }
    }
    return {
      step() {
        for (let s = 0; s < 3; s++) {
          const P = c[pairs[s][0]];
          const Q = c[pairs[s][1]];
          const ents = query(world, terms[s]);
          for (let i = 0; i < ents.length; i++) {
            const eid = ents[i];
            const x = P.value[eid];
            P.value[eid] = Q.value[eid];
            Q.value[eid] = x;
          }
        }
      },
      checksum: () => c.reduce((s, comp, k) => (s + nativeSum(comp, query(world, [c[k]])) * (k + 1)) | 0, 0),
      storageBytes: () => c.reduce((s, comp) => s + comp.value.byteLength, 0),
      dispose() {},
    };
  }
  const sw = slabWorld(kind === 'slab+frames');
  const c = [sw.make(), sw.make(), sw.make(), sw.make(), sw.make()];
  const terms = pairs.map(([p, q]) => [c[p], c[q]]);
  for (let i = 0; i < count; i++) {
    for (const mix of mixes) {
      const e = addEntity(sw.world);
      for (const k of mix) {
        addComponent(sw.world, e, c[k]);
        sw.heap.i32[(c[k].offsetOf(e) + c[k].fields.value) >> 2] = k;
      }
    }
  }
  const queries = kind === 'slab eid-map' ? [] : terms.map((t) => slabQuery(sw.world, t));
  return {
    step() {
      if (queries.length > 0) for (let s = 0; s < 3; s++) querySwap(sw.heap, c[pairs[s][0]], c[pairs[s][1]], queries[s]);
      else for (let s = 0; s < 3; s++) slabSwap(sw.heap, c[pairs[s][0]], c[pairs[s][1]], query(sw.world, terms[s]));
      sw.frames?.tick();
    },
    checksum: () => c.reduce((s, comp, k) => (s + slabSum(comp, query(sw.world, [c[k]])) * (k + 1)) | 0, 0),
    storageBytes: () => slabBytes(sw.heap, c) + queries.reduce((sum, q) => sum + q.bytes, 0),
    dispose: () => {
      queries.forEach((q) => q.dispose());
      c.forEach((comp) => comp.dispose());
    },
  };
}

// ---- frag_iter: 26 component types x 100 entities each, plus Data on all; one system over Data ----

function fragIter(kind: StoreKind, count = 100): EcsCase {
  if (kind === 'native') {
    const world = createWorld();
    const comps = Array.from({ length: 26 }, native);
    const Data = native();
    const terms = [Data];
    for (let i = 0; i < count; i++) {
      for (const comp of comps) {
        const e = addEntity(world);
        addComponent(world, e, Data);
        addComponent(world, e, comp);
        Data.value[e] = 1;
      }
    }
    return {
      step() {
        const ents = query(world, terms);
        for (let i = 0; i < ents.length; i++) Data.value[ents[i]] *= 2;
      },
      checksum: () => nativeSum(Data, query(world, terms)),
      storageBytes: () => (comps.length + 1) * Data.value.byteLength,
      dispose() {},
    };
  }
  const sw = slabWorld(kind === 'slab+frames');
  const comps = Array.from({ length: 26 }, () => sw.make());
  const Data = sw.make();
  const terms = [Data];
  for (let i = 0; i < count; i++) {
    for (const comp of comps) {
      const e = addEntity(sw.world);
      addComponent(sw.world, e, Data);
      addComponent(sw.world, e, comp);
      sw.heap.i32[(Data.offsetOf(e) + Data.fields.value) >> 2] = 1;
    }
  }
  const dataQuery = kind === 'slab eid-map' ? null : slabQuery(sw.world, terms);
  return {
    step() {
      if (dataQuery !== null) queryDouble(sw.heap, Data, dataQuery);
      else slabDouble(sw.heap, Data, query(sw.world, terms));
      sw.frames?.tick();
    },
    checksum: () => slabSum(Data, query(sw.world, terms)),
    storageBytes: () => slabBytes(sw.heap, [...comps, Data]) + (dataQuery?.bytes ?? 0),
    dispose: () => {
      dataQuery?.dispose();
      [...comps, Data].forEach((comp) => comp.dispose());
    },
  };
}

// ---- entity_cycle: for 1,000 entities with A, create one entity with B each; destroy every B ----

function entityCycle(kind: StoreKind, count = 1000): EcsCase {
  let spawned = 0;
  if (kind === 'native') {
    const world = createWorld();
    const A = native();
    const B = native();
    const qA = [A];
    const qB = [B];
    for (let i = 0; i < count; i++) {
      const e = addEntity(world);
      addComponent(world, e, A);
      A.value[e] = i;
    }
    return {
      step() {
        const as = query(world, qA);
        for (let i = 0; i < as.length; i++) {
          const e = addEntity(world);
          addComponent(world, e, B);
          B.value[e] = A.value[as[i]];
          spawned = (spawned + B.value[e]) | 0;
        }
        const bs = query(world, qB);
        for (let i = 0; i < bs.length; i++) removeEntity(world, bs[i]);
      },
      checksum: () => spawned,
      storageBytes: () => A.value.byteLength + B.value.byteLength,
      dispose() {},
    };
  }
  const sw = slabWorld(kind === 'slab+frames');
  const A = sw.make();
  const B = sw.make();
  const qA = [A];
  const qB = [B];
  const AV = A.fields.value;
  const BV = B.fields.value;
  for (let i = 0; i < count; i++) {
    const e = addEntity(sw.world);
    addComponent(sw.world, e, A);
    sw.heap.i32[(A.offsetOf(e) + AV) >> 2] = i;
  }
  // The A system reads its records through a slabQuery (the iteration idiom); B's records are
  // written right after the add that created them.
  const queryA = slabQuery(sw.world, qA);
  return {
    step() {
      const heap = sw.heap;
      const n = queryA.update();
      const aOffsets = queryA.offsetsOf(A);
      for (let i = 0; i < n; i++) {
        const v = heap.i32[(aOffsets[i] + AV) >> 2];
        const e = addEntity(sw.world);
        addComponent(sw.world, e, B);
        const i32 = heap.i32; // re-read: adding may grow the heap
        const b = (B.offsetOf(e) + BV) >> 2;
        i32[b] = v;
        spawned = (spawned + i32[b]) | 0;
      }
      const bs = query(sw.world, qB);
      for (let i = 0; i < bs.length; i++) removeEntity(sw.world, bs[i]);
      sw.frames?.tick();
    },
    checksum: () => spawned,
    storageBytes: () => slabBytes(sw.heap, [A, B]) + queryA.bytes,
    dispose: () => {
      queryA.dispose();
      [A, B].forEach((comp) => comp.dispose());
    },
  };
}

// ---- add_remove: on 1,000 entities, add component B, then remove it ----

function addRemove(kind: StoreKind, count = 1000): EcsCase {
  let added = 0;
  const make = kind === 'native' ? undefined : slabWorld(kind === 'slab+frames');
  const world = make ? make.world : createWorld();
  const A = make ? make.make() : native();
  const B = make ? make.make() : native();
  const qA = [A];
  const qB = [B];
  for (let i = 0; i < count; i++) addComponent(world, addEntity(world), A);
  return {
    step() {
      const as = query(world, qA);
      for (let i = 0; i < as.length; i++) addComponent(world, as[i], B);
      const bs = query(world, qB);
      added = (added + bs.length) | 0;
      for (let i = 0; i < bs.length; i++) removeComponent(world, bs[i], B);
      make?.frames?.tick();
    },
    checksum: () => added,
    storageBytes: () => (make ? slabBytes(make.heap, [A as Slab, B as Slab]) : (A as Native).value.byteLength * 2),
    dispose: () => {
      if (make) [A as Slab, B as Slab].forEach((comp) => comp.dispose());
    },
  };
}

export function buildCase(name: CaseName, kind: StoreKind): EcsCase {
  switch (name) {
    case 'packed_5':
      return packed5(kind);
    case 'simple_iter':
      return simpleIter(kind);
    case 'frag_iter':
      return fragIter(kind);
    case 'entity_cycle':
      return entityCycle(kind);
    case 'add_remove':
      return addRemove(kind);
  }
}
