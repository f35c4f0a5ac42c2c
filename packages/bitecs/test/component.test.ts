import { describe, expect, it } from 'vitest';
import {
  addComponent,
  addComponents,
  addEntity,
  createWorld,
  getComponent,
  hasComponent,
  Not,
  observe,
  onAdd,
  onRemove,
  Or,
  query,
  removeComponent,
  removeEntity,
  set,
  setComponent,
} from 'bitecs';
import { heapViews, slabComponent } from '../src/index.js';
import { heapBytesPerCall, smallHeap, stored } from './helpers.js';

const schema = { x: 'f32', y: 'f32', life: 'u16', mass: 'f64' } as const;

function setup() {
  const heap = smallHeap();
  const world = createWorld();
  const Body = slabComponent(heap, schema, { world });
  return { heap, world, Body };
}

describe('slabComponent as a bitECS 0.4 component', () => {
  it('exposes exactly the schema fields as enumerable own keys', () => {
    const { heap, Body } = setup();
    expect(Object.keys(Body)).toEqual(['x', 'y', 'life', 'mass']);
    expect(Array.isArray(Body.x)).toBe(true); // what the serializers check
    expect(Symbol.for('bitecs-f32') in Body.x).toBe(true);
    expect(Symbol.for('bitecs-u16') in Body.life).toBe(true);
    expect(Symbol.for('bitecs-f32') in Body.life).toBe(false);
    expect('component' in Body).toBe(false); // addComponent would take it for set(C, data)
    expect(Body.fields).toEqual({ mass: 0, x: 8, y: 12, life: 16 });
    expect(Body.recordBytes).toBe(24);
    heap.check();
  });

  it('addComponent allocates a zero-filled record; removeComponent frees it', () => {
    const { heap, world, Body } = setup();
    const allocsBefore = heap.statsGlobal().liveObjects;
    const e = addEntity(world);
    addComponent(world, e, Body);
    expect(hasComponent(world, e, Body)).toBe(true);
    expect(Body.has(e)).toBe(true);
    expect(Body.liveRecords).toBe(1);
    expect(heap.statsGlobal().liveObjects).toBe(allocsBefore + 1);
    expect(getComponent(world, e, Body)).toEqual({ x: 0, y: 0, life: 0, mass: 0 });
    const o = Body.offsetOf(e);
    expect(o).not.toBe(Body.sinkOffset);
    expect(o % 8).toBe(0);
    expect(heap.isLive(Body.handleOf(e))).toBe(true);
    expect(heap.offset(Body.handleOf(e))).toBe(o);

    // Dirty the record, remove, re-add: the new record must be zeroed even if the slot is reused.
    heap.f32[(o + Body.fields.x) >> 2] = 42;
    heap.f64[(o + Body.fields.mass) >> 3] = -7.5;
    const h = Body.handleOf(e);
    removeComponent(world, e, Body);
    expect(hasComponent(world, e, Body)).toBe(false);
    expect(Body.has(e)).toBe(false);
    expect(Body.liveRecords).toBe(0);
    expect(heap.isLive(h)).toBe(false);
    expect(Body.offsetOf(e)).toBe(Body.sinkOffset);
    expect(getComponent(world, e, Body)).toBeUndefined();
    addComponent(world, e, Body);
    expect(Body.read(e)).toEqual({ x: 0, y: 0, life: 0, mass: 0 });
    expect(heap.statsGlobal().liveObjects).toBe(allocsBefore + 1);
    heap.check();
  });

  it('set(C, data) on add, setComponent, addComponents and getComponent reach the record', () => {
    const { heap, world, Body } = setup();
    const Tag = {};
    const a = addEntity(world);
    addComponent(world, a, set(Body, { x: 1.5, y: -2, life: 300, mass: 1e100 }));
    expect(getComponent(world, a, Body)).toEqual({ x: 1.5, y: -2, life: 300, mass: 1e100 });

    setComponent(world, a, Body, { y: 9 }); // partial update keeps other fields
    expect(Body.read(a)).toEqual({ x: 1.5, y: 9, life: 300, mass: 1e100 });

    const b = addEntity(world);
    addComponents(world, b, Tag, set(Body, { x: 3, life: 70000 }));
    expect(hasComponent(world, b, Tag)).toBe(true);
    expect(Body.read(b)).toEqual({ x: 3, y: 0, life: stored('u16', 70000), mass: 0 });

    const c = addEntity(world);
    setComponent(world, c, Body, { x: 0.1 }); // setComponent adds when missing
    expect(Body.has(c)).toBe(true);
    expect(Body.x[c]).toBe(stored('f32', 0.1));
    expect(Body.liveRecords).toBe(3);
    // Three distinct records.
    expect(new Set([Body.offsetOf(a), Body.offsetOf(b), Body.offsetOf(c)]).size).toBe(3);
    heap.check();
  });

  it('every field type stores with typed-array conversion through all access paths', () => {
    const heap = smallHeap();
    const world = createWorld();
    const types = ['u8', 'i8', 'u16', 'i16', 'u32', 'i32', 'f32', 'f64'] as const;
    const All = slabComponent(heap, { a: 'u8', b: 'i8', c: 'u16', d: 'i16', e: 'u32', f: 'i32', g: 'f32', h: 'f64' }, { world });
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] as const;
    const input = [257, -129, 65537, -32769, -1, 2 ** 31, 1 / 3, Math.PI];
    const eid = addEntity(world);
    const data: Record<string, number> = {};
    names.forEach((n, i) => (data[n] = input[i]));
    addComponent(world, eid, set(All, data));
    const v = heapViews(heap);
    const o = All.offsetOf(eid);
    const viewOf = { u8: v.u8, i8: v.i8, u16: v.u16, i16: v.i16, u32: v.u32, i32: v.i32, f32: v.f32, f64: v.f64 };
    const shift = { u8: 0, i8: 0, u16: 1, i16: 1, u32: 2, i32: 2, f32: 2, f64: 3 };
    names.forEach((n, i) => {
      const expected = stored(types[i], input[i]);
      expect(All[n][eid]).toBe(expected); // proxy path
      expect(viewOf[types[i]][(o + All.fields[n]) >> shift[types[i]]]).toBe(expected); // fast path
    });
    expect(getComponent(world, eid, All)).toEqual(Object.fromEntries(names.map((n, i) => [n, stored(types[i], input[i])])));
    // Writes through the field arrays.
    All.b[eid] = -5;
    All.h[eid] = 2.25;
    expect(All.read(eid)?.b).toBe(-5);
    expect(v.f64[(o + All.fields.h) >> 3]).toBe(2.25);
    heap.check();
  });

  it('removeEntity frees the record; field arrays of entities without the component read 0 and ignore writes', () => {
    const { heap, world, Body } = setup();
    const e = addEntity(world);
    addComponent(world, e, set(Body, { x: 5 }));
    const other = addEntity(world);
    expect(Body.x[other]).toBe(0);
    Body.x[other] = 12; // ignored: other lacks Body
    expect(Body.has(other)).toBe(false);
    expect(Body.liveRecords).toBe(1);
    const h = Body.handleOf(e);
    removeEntity(world, e);
    expect(heap.isLive(h)).toBe(false);
    expect(Body.liveRecords).toBe(0);
    expect(Body.x[e]).toBe(0);
    heap.check();
  });

  it('works in queries with Not and Or', () => {
    const { heap, world, Body } = setup();
    const Frozen = {};
    const Other = slabComponent(heap, { v: 'i32' }, { world });
    const a = addEntity(world);
    const b = addEntity(world);
    const c = addEntity(world);
    const d = addEntity(world);
    addComponent(world, a, Body);
    addComponents(world, b, Body, Frozen);
    addComponent(world, c, Other);
    addComponent(world, d, Frozen);
    const moving = [Body, Not(Frozen)];
    const either = [Or(Body, Other)];
    expect([...query(world, moving)].sort()).toEqual([a]);
    expect([...query(world, either)].sort((p, q) => p - q)).toEqual([a, b, c]);
    removeComponent(world, b, Frozen);
    expect([...query(world, moving)].sort((p, q) => p - q)).toEqual([a, b]);
    removeComponent(world, a, Body);
    expect([...query(world, either)].sort((p, q) => p - q)).toEqual([b, c]);
    expect(Body.liveRecords).toBe(1);
    expect(Other.liveRecords).toBe(1);
    heap.check();
  });

  it('the fast path (pages/offsets and offsetOf) matches the records and allocates nothing', () => {
    const { heap, world, Body } = setup();
    const eids: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const e = addEntity(world);
      if (i % 3 !== 0) {
        addComponent(world, e, set(Body, { x: i, y: 1 }));
        eids.push(e);
      }
    }
    const terms = [Body];
    const X = Body.fields.x;
    const Y = Body.fields.y;
    const system = (): void => {
      const f32 = heap.f32;
      const pages = Body.pages;
      const offsets = Body.offsets;
      const shift = Body.pageShift;
      const mask = Body.pageMask;
      const ents = query(world, terms);
      for (let i = 0; i < ents.length; i++) {
        const eid = ents[i];
        const o = offsets[pages[eid >>> shift] + (eid & mask)];
        f32[(o + X) >> 2] += f32[(o + Y) >> 2];
      }
    };
    const viaOffsetOf = (): void => {
      const f32 = heap.f32;
      const ents = query(world, terms);
      for (let i = 0; i < ents.length; i++) {
        const o = Body.offsetOf(ents[i]);
        f32[(o + Y) >> 2] += 1;
      }
    };
    system();
    viaOffsetOf();
    for (const e of eids) {
      expect(Body.x[e]).toBe(e - 1 + 1); // i = e - 1 (eids start at 1), plus y = 1
      expect(Body.y[e]).toBe(2);
    }
    // Zero garbage: warm up, then measure heap growth over many runs (bitECS's query() itself
    // allocates a little per call, so measure the loops with the query hoisted).
    const ents = query(world, terms);
    const loop = (): void => {
      const f32 = heap.f32;
      const pages = Body.pages;
      const offsets = Body.offsets;
      for (let i = 0; i < ents.length; i++) {
        const eid = ents[i];
        const o = offsets[pages[eid >>> 4] + (eid & 15)];
        f32[(o + X) >> 2] *= 1;
        f32[(Body.offsetOf(eid) + Y) >> 2] *= 1;
      }
    };
    const perEntity = heapBytesPerCall(loop) / ents.length;
    console.log(`[garbage] system loop over ${ents.length} entities: ${perEntity.toFixed(4)} heap bytes per entity`);
    expect(perEntity).toBeLessThan(0.01);
    heap.check();
  });

  it('a system sees current views after records are added while it runs', () => {
    const { heap, world, Body } = setup();
    const first = addEntity(world);
    addComponent(world, first, Body);
    // Adding many components grows the heap (views replaced) and the eid map (arrays replaced).
    const viewVersion = heap.statsGlobal().viewVersion;
    const pagesBefore = Body.pages;
    for (let i = 0; i < 20000; i++) addComponent(world, addEntity(world), set(Body, { life: i & 0xffff }));
    expect(heap.statsGlobal().viewVersion).toBeGreaterThan(viewVersion);
    expect(Body.pages).not.toBe(pagesBefore);
    const f32 = heap.f32; // re-read after the adds
    f32[(Body.offsetOf(first) + Body.fields.x) >> 2] = 7;
    expect(Body.x[first]).toBe(7);
    expect(Body.life[20001]).toBe(19999);
    heap.check();
  });

  it('user onAdd/onRemove observers of the component still fire, with the record readable', () => {
    const { heap, world, Body } = setup();
    const seen: string[] = [];
    const offAdd = observe(world, onAdd(Body), (eid: number) => {
      seen.push(`add ${eid} has=${Body.has(eid)} x=${Body.x[eid]}`);
    });
    const offRemove = observe(world, onRemove(Body), (eid: number) => {
      seen.push(`remove ${eid} x=${Body.x[eid]} live=${Body.liveRecords}`);
    });
    const e = addEntity(world);
    addComponent(world, e, set(Body, { x: 3 }));
    removeComponent(world, e, Body); // hasComponent is already false here: read the record directly
    offAdd();
    offRemove();
    offRemove(); // idempotent
    addComponent(world, e, Body);
    removeEntity(world, e);
    expect(seen).toEqual([`add ${e} has=true x=0`, `remove ${e} x=0 live=1`]);
    expect(Body.liveRecords).toBe(0);
    heap.check();
  });

  it('dispose frees every record and the sink and stops observing', () => {
    const { heap, world, Body } = setup();
    const before = heap.statsGlobal().liveObjects;
    for (let i = 0; i < 100; i++) addComponent(world, addEntity(world), Body);
    expect(heap.statsGlobal().liveObjects).toBe(before + 100);
    Body.dispose();
    expect(Body.disposed).toBe(true);
    expect(Body.liveRecords).toBe(0);
    expect(heap.statsGlobal().liveObjects).toBe(before - 1); // the sink too
    addComponent(world, addEntity(world), Body);
    expect(heap.statsGlobal().liveObjects).toBe(before - 1);
    heap.check();
  });
});
