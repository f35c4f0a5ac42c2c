import { describe, expect, it } from 'vitest';
import {
  addComponent,
  addEntity,
  addPrefab,
  createWorld,
  getComponent,
  hasComponent,
  IsA,
  query,
  removeComponent,
  removeEntity,
  set,
} from 'bitecs';
import { slabComponent } from '../src/index.js';
import { smallHeap } from './helpers.js';

const schema = { x: 'f32', y: 'f32', hp: 'u16' } as const;

function setup() {
  const heap = smallHeap();
  const world = createWorld();
  const Unit = slabComponent(heap, schema, { world });
  return { heap, world, Unit };
}

describe('prefabs (IsA inheritance)', () => {
  it('a prefab gets a record from its data; IsA copies it into a distinct record of the instance', () => {
    const { heap, world, Unit } = setup();
    const orc = addPrefab(world);
    addComponent(world, orc, set(Unit, { x: 1, y: 2, hp: 90 }));
    expect(Unit.stats().prefabRecords).toBe(1);
    expect(Unit.read(orc)).toEqual({ x: 1, y: 2, hp: 90 });

    const a = addEntity(world);
    addComponent(world, a, IsA(orc));
    const b = addEntity(world);
    addComponent(world, b, IsA(orc));
    expect(hasComponent(world, a, Unit)).toBe(true);
    expect(getComponent(world, a, Unit)).toEqual({ x: 1, y: 2, hp: 90 });
    expect(Unit.read(b)).toEqual({ x: 1, y: 2, hp: 90 });
    const offsets = new Set([Unit.offsetOf(orc), Unit.offsetOf(a), Unit.offsetOf(b)]);
    expect(offsets.size).toBe(3);

    // Instances own their data.
    Unit.hp[a] = 10;
    expect(Unit.hp[orc]).toBe(90);
    expect(Unit.hp[b]).toBe(90);
    // Queries skip the prefab itself.
    expect([...query(world, [Unit])].sort((p, q) => p - q)).toEqual([a, b]);
    expect(Unit.liveRecords).toBe(3);
    heap.check();
  });

  it('a prefab given the component without data is written through the field arrays or ensure()', () => {
    const { heap, world, Unit } = setup();
    const base = addPrefab(world);
    addComponent(world, base, Unit); // no hook fires: no record yet
    expect(Unit.liveRecords).toBe(0);
    expect(getComponent(world, base, Unit)).toEqual({ x: 0, y: 0, hp: 0 }); // zeros, not undefined
    Unit.hp[base] = 33; // creates the prefab record
    expect(Unit.stats().prefabRecords).toBe(1);
    const o = Unit.ensure(base);
    expect(o).toBe(Unit.offsetOf(base));
    heap.f32[(o + Unit.fields.x) >> 2] = 4.5;
    const inst = addEntity(world);
    addComponent(world, inst, IsA(base));
    expect(Unit.read(inst)).toEqual({ x: 4.5, y: 0, hp: 33 });
    expect(Unit.ensure(addEntity(world))).toBe(0); // no component, no record
    heap.check();
  });

  it('multi-level IsA copies through intermediate prefabs', () => {
    const { heap, world, Unit } = setup();
    const base = addPrefab(world);
    addComponent(world, base, set(Unit, { x: 7, hp: 1 }));
    const elite = addPrefab(world);
    addComponent(world, elite, IsA(base)); // inherits into a prefab: onSet without onAdd
    Unit.hp[elite] = 500;
    const inst = addEntity(world);
    addComponent(world, inst, IsA(elite));
    expect(Unit.read(inst)).toEqual({ x: 7, y: 0, hp: 500 });
    expect(Unit.read(base)).toEqual({ x: 7, y: 0, hp: 1 });
    expect(Unit.stats().prefabRecords).toBe(2);
    heap.check();
  });

  it('a removed prefab record is freed by sweepPrefabs, not before (bitECS fires no hook)', () => {
    const { heap, world, Unit } = setup();
    const live0 = heap.statsGlobal().liveObjects;
    const p = addPrefab(world);
    addComponent(world, p, set(Unit, { hp: 5 }));
    const h = Unit.handleOf(p);
    const q = addPrefab(world);
    addComponent(world, q, set(Unit, { hp: 6 }));
    removeEntity(world, p);
    removeComponent(world, q, Unit);
    expect(heap.isLive(h)).toBe(true);
    expect(Unit.liveRecords).toBe(2);
    expect(Unit.sweepPrefabs()).toBe(2);
    expect(heap.isLive(h)).toBe(false);
    expect(Unit.liveRecords).toBe(0);
    expect(heap.statsGlobal().liveObjects).toBe(live0);
    expect(Unit.sweepPrefabs()).toBe(0);
    heap.check();
  });

  it('a stale prefab record is freed when a new prefab record is made or its id is reused', () => {
    const { heap, world, Unit } = setup();
    const p1 = addPrefab(world);
    addComponent(world, p1, set(Unit, { hp: 1 }));
    const h1 = Unit.handleOf(p1);
    removeEntity(world, p1);
    const p2 = addPrefab(world); // recycles p1's id (no versioning)
    expect(p2).toBe(p1);
    const p3 = addPrefab(world);
    addComponent(world, p3, set(Unit, { hp: 3 })); // sweeps first: p2 lacks Unit, so p1's record goes
    expect(heap.isLive(h1)).toBe(false);
    expect(Unit.stats().prefabRecords).toBe(1);

    const h3 = Unit.handleOf(p3);
    Unit.hp[p3] = 77;
    removeEntity(world, p3);
    const e = addEntity(world); // takes p3's id
    expect(e).toBe(p3);
    addComponent(world, e, Unit); // onAdd finds p3's record: replaced by a fresh zeroed one
    expect(heap.isLive(h3)).toBe(false);
    expect(Unit.read(e)).toEqual({ x: 0, y: 0, hp: 0 });
    expect(Unit.stats().prefabRecords).toBe(0);
    expect(Unit.liveRecords).toBe(1);
    heap.check();
  });
});
