/**
 * The store's own cost on add/remove, without bitECS around it: the component's add and remove
 * hooks (what addComponent / removeComponent end up calling) driven directly through the query
 * [C]'s observables, next to bare heap.alloc + heap.free of the same size. Also the JS heap bytes
 * those hooks allocate per add+remove pair.
 */
import { $internal, addComponent, addEntity, createWorld, query, removeComponent } from 'bitecs';
import { createFrameEpochs } from '@tslab/frame';
import { slabComponent } from '@tslab/bitecs';
import { ecsHeap } from './ecs-cases.js';
import type { Kernel } from './measure.js';

const ENTITIES = 1000;

interface Notifier {
  notify(eid: number): unknown;
}

interface QueryShape {
  allComponents: unknown[];
  addObservable: Notifier;
  removeObservable: Notifier;
}

/** A kernel of `units` rounds, each adding then removing the component on 1,000 entities. */
export function hookKernel(withFrames: boolean): Kernel {
  const heap = ecsHeap();
  const world = createWorld();
  const frames = withFrames ? createFrameEpochs(heap) : undefined;
  const C = slabComponent(heap, { value: 'i32' }, { world, frames });
  for (let i = 0; i < ENTITIES; i++) addEntity(world);
  // The query [C] the component registered (and whose observables it wrapped). registerQuery
  // would not return it: in bitECS 0.4 every registerQuery call creates a new query, whose own
  // observables allocate on every notify (Array.from over the observers): until this was fixed
  // the row measured that (35.7 B per pair) instead of the store (0.01 B).
  const internal = (world as unknown as Record<symbol, { queries: Set<QueryShape> }>)[$internal];
  const q = [...internal.queries].find((query) => query.allComponents.length === 1 && query.allComponents[0] === C);
  if (q === undefined) throw new Error('hookKernel: the component registered no query [C]');
  const add = q.addObservable;
  const remove = q.removeObservable;
  return (units) => {
    for (let u = 0; u < units; u++) {
      for (let e = 1; e <= ENTITIES; e++) add.notify(e);
      for (let e = 1; e <= ENTITIES; e++) remove.notify(e);
      frames?.tick();
    }
  };
}

/** The same rounds with bare heap.alloc(8) / heap.free (the floor of the store's cost). */
export function heapKernel(): Kernel {
  const heap = ecsHeap();
  const handles = new Float64Array(ENTITIES + 1);
  return (units) => {
    for (let u = 0; u < units; u++) {
      for (let e = 1; e <= ENTITIES; e++) handles[e] = heap.alloc(8);
      for (let e = 1; e <= ENTITIES; e++) heap.free(handles[e]);
    }
  };
}

/** addComponent + removeComponent through bitECS on 1,000 entities, native or slab store, with the query [C] registered. */
export function bitecsKernel(store: 'native' | 'slab'): Kernel {
  const world = createWorld();
  const C = store === 'native' ? { value: new Int32Array(ENTITIES + 1) } : slabComponent(ecsHeap(), { value: 'i32' }, { world });
  for (let i = 0; i < ENTITIES; i++) addEntity(world);
  // A component systems iterate has its query. query() registers [C] only if it is not there yet:
  // registerQuery would add a second query [C] next to the one the slab component registered.
  query(world, [C]);
  return (units) => {
    for (let u = 0; u < units; u++) {
      for (let e = 1; e <= ENTITIES; e++) addComponent(world, e, C);
      for (let e = 1; e <= ENTITIES; e++) removeComponent(world, e, C);
    }
  };
}

export const HOOK_PAIRS_PER_UNIT = ENTITIES;
