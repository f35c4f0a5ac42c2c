import { describe, expect, it } from 'vitest';
import {
  addComponent,
  addEntity,
  createEntityIndex,
  createWorld,
  hasComponent,
  Not,
  query,
  removeComponent,
  removeEntity,
  withVersioning,
  type World,
} from 'bitecs';
import { createFrameEpochs } from '@tslab/frame';
import { slabComponent, slabQuery } from '../src/index.js';
import { heapBytesPerCall, rng, smallHeap } from './helpers.js';


const schema = { serial: 'u32', check: 'f64' } as const;

describe('slabQuery: offsets aligned with the query', () => {
  for (const variant of ['plain', 'frames'] as const) {
    it(`${variant}: random churn over 200 frames keeps offsetsOf(C)[i] === C.offsetOf(eids[i]) and the data intact`, () => {
      const heap = smallHeap();
      const frames = variant === 'frames' ? createFrameEpochs(heap) : undefined;
      const world: World = createWorld();
      const A = slabComponent(heap, schema, { world, frames });
      const B = slabComponent(heap, { serial: 'u32' }, { world, frames });
      const Tag = {};
      const terms = [A, B, Not(Tag)];
      const q = slabQuery(world, terms);
      const random = rng(variant.length * 7919);
      const live: number[] = [];
      let serial = 1;
      let compared = 0;
      const u32 = () => heap.u32;
      const f64 = () => heap.f64;
      const stamp = (eid: number): void => {
        const s = serial++;
        u32()[(A.offsetOf(eid) + A.fields.serial) >> 2] = s;
        f64()[(A.offsetOf(eid) + A.fields.check) >> 3] = s * 3;
        u32()[(B.offsetOf(eid) + B.fields.serial) >> 2] = s;
      };
      for (let frame = 0; frame < 200; frame++) {
        const ops = 5 + Math.floor(random() * 40);
        for (let o = 0; o < ops; o++) {
          const r = random();
          if (r < 0.35 || live.length === 0) {
            const e = addEntity(world);
            addComponent(world, e, A);
            addComponent(world, e, B);
            stamp(e);
            live.push(e);
          } else {
            const at = Math.floor(random() * live.length);
            const e = live[at];
            if (r < 0.5) {
              removeEntity(world, e);
              live[at] = live[live.length - 1];
              live.pop();
            } else if (r < 0.6) {
              removeComponent(world, e, B); // leaves the query; re-added below, possibly in this frame
            } else if (r < 0.7) {
              if (!hasComponent(world, e, B)) {
                addComponent(world, e, B);
                u32()[(B.offsetOf(e) + B.fields.serial) >> 2] = u32()[(A.offsetOf(e) + A.fields.serial) >> 2];
              }
            } else if (r < 0.8) {
              if (hasComponent(world, e, Tag)) removeComponent(world, e, Tag);
              else addComponent(world, e, Tag);
            } else if (r < 0.85) {
              query(world, terms); // a user's own query() commits removals too
            } else {
              // Within a frame, before update(): a removed entity's entry already points at the sinks.
              const n = q.count;
              const offs = q.offsetsOf(A);
              const eids = q.eids;
              let notSink = 0;
              for (let i = 0; i < Math.min(n, eids.length); i++) {
                if (!hasComponent(world, eids[i], A) && offs[i] !== A.sinkOffset) notSink++;
              }
              expect(notSink).toBe(0);
            }
          }
        }
        const n = q.update();
        const eids = q.eids;
        const expected = query(world, terms);
        expect(n).toBe(expected.length);
        const offA = q.offsetsOf(A);
        const offB = q.offsetsOf(B);
        let wrong = 0;
        for (let i = 0; i < n; i++) {
          const eid = eids[i];
          if (eid !== expected[i] || offA[i] !== A.offsetOf(eid) || offB[i] !== B.offsetOf(eid)) wrong++;
          const s = u32()[(offA[i] + A.fields.serial) >> 2];
          if (f64()[(offA[i] + A.fields.check) >> 3] !== s * 3 || u32()[(offB[i] + B.fields.serial) >> 2] !== s) wrong++;
          compared++;
        }
        expect(wrong).toBe(0);
        frames?.tick();
      }
      expect(compared).toBeGreaterThan(2000);
      q.dispose();
      A.dispose();
      B.dispose();
      heap.check();
    });
  }

  it('versioned ids: offsets follow the id part (one round of recycling; see versioning.test.ts for bitECS 0.4.0\'s limit)', () => {
    const heap = smallHeap();
    const world = createWorld(createEntityIndex(withVersioning(8)));
    const A = slabComponent(heap, schema, { world });
    const q = slabQuery(world, [A]);
    const first = Array.from({ length: 40 }, () => addEntity(world));
    for (const e of first) addComponent(world, e, A);
    expect(q.update()).toBe(40);
    for (const e of first) removeEntity(world, e);
    const second = Array.from({ length: 40 }, () => addEntity(world));
    for (const e of second) addComponent(world, e, A);
    expect(second.every((e) => e > 2 ** 24)).toBe(true);
    expect(q.update()).toBe(40);
    const offs = q.offsetsOf(A);
    const eids = q.eids;
    const expected = Array.from({ length: 40 }, (_, i) => A.offsetOf(eids[i]));
    expect(Array.from(offs.slice(0, 40))).toEqual(expected);
    expect(new Set(expected).size).toBe(40);
    q.dispose();
    A.dispose();
    heap.check();
  });

  it('offsetsOf() is one packed array per component for the query\'s lifetime: it grows in place', () => {
    const heap = smallHeap();
    const world = createWorld();
    const A = slabComponent(heap, schema, { world });
    const q = slabQuery(world, [A]);
    const offs = q.offsetsOf(A);
    expect(Array.isArray(offs)).toBe(true);
    const eids: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const e = addEntity(world);
      addComponent(world, e, A);
      eids.push(e);
    }
    expect(q.update()).toBe(5000);
    expect(q.offsetsOf(A)).toBe(offs);
    expect(offs.length).toBeGreaterThanOrEqual(5000);
    // No holes up to the capacity (a hole would make V8 drop the array's packed fast path).
    let holes = 0;
    for (let i = 0; i < offs.length; i++) if (!(i in offs)) holes++;
    expect(holes).toBe(0);
    expect(offs.slice(0, 5000)).toEqual(Array.from(q.eids, (e) => A.offsetOf(e)));
    expect(q.bytes).toBe(offs.length * 8);
    q.dispose();
    A.dispose();
    heap.check();
  });

  it('entities present before slabQuery() are listed; dispose() unhooks and the bitECS query keeps working', () => {
    const heap = smallHeap();
    const world = createWorld();
    const A = slabComponent(heap, schema, { world });
    const before = Array.from({ length: 10 }, () => {
      const e = addEntity(world);
      addComponent(world, e, A);
      return e;
    });
    const q = slabQuery(world, [A]);
    expect(q.update()).toBe(10);
    expect(Array.from(q.offsetsOf(A).slice(0, 10))).toEqual(before.map((e) => A.offsetOf(e)));
    q.dispose();
    removeEntity(world, before[0]);
    expect(query(world, [A]).length).toBe(9);
    expect(() => q.update()).toThrow(/after dispose/);
    A.dispose();
    heap.check();
  });

  it('a component disposed under a live slabQuery restores its hooks; update() notices and rebuilds', () => {
    const heap = smallHeap();
    const world = createWorld();
    const A = slabComponent(heap, schema, { world });
    const q = slabQuery(world, [A]);
    const e = addEntity(world);
    addComponent(world, e, A);
    expect(q.update()).toBe(1);
    A.dispose();
    const e2 = addEntity(world);
    addComponent(world, e2, A);
    expect(q.update()).toBe(2);
    // Disposed: no records, every offset is the sink.
    expect(q.offsetsOf(A)[1]).toBe(A.offsetOf(e2));
    q.dispose();
  });

  it('two slabQueries over the same terms: both stay right, and disposing the first leaves the second hooked', () => {
    const heap = smallHeap();
    const world = createWorld();
    const A = slabComponent(heap, schema, { world });
    const first = slabQuery(world, [A]);
    const second = slabQuery(world, [A]);
    const ents = Array.from({ length: 50 }, () => {
      const e = addEntity(world);
      addComponent(world, e, A);
      return e;
    });
    expect(first.update()).toBe(50);
    first.dispose();
    for (let i = 0; i < 50; i += 3) removeEntity(world, ents[i]);
    for (let i = 0; i < 20; i++) addComponent(world, addEntity(world), A);
    const n = second.update();
    expect(n).toBe(query(world, [A]).length);
    const offs = second.offsetsOf(A);
    let wrong = 0;
    for (let i = 0; i < n; i++) if (offs[i] !== A.offsetOf(second.eids[i])) wrong++;
    expect(wrong).toBe(0);
    second.dispose();
    A.dispose();
    heap.check();
  });

  it('rejects bad terms with a TypeError naming the problem', () => {
    const heap = smallHeap();
    const world = createWorld();
    const other = createWorld();
    const A = slabComponent(heap, schema, { world });
    const Foreign = slabComponent(heap, schema, { world: other });
    expect(() => slabQuery(world, [])).toThrow(/terms must be a non-empty array/);
    expect(() => slabQuery(world, [{}])).toThrow(/at least one slab component/);
    expect(() => slabQuery(world, [A, Foreign])).toThrow(/bound to this world/);
    expect(() => slabQuery(world, [A]).offsetsOf(Foreign)).toThrow(/not a slab component of this query/);
    A.dispose();
    Foreign.dispose();
  });

  it('update() allocates nothing in a steady frame (heap bytes per call)', () => {
    const heap = smallHeap();
    const world = createWorld();
    const A = slabComponent(heap, schema, { world });
    const B = slabComponent(heap, { serial: 'u32' }, { world });
    for (let i = 0; i < 1000; i++) {
      const e = addEntity(world);
      addComponent(world, e, A);
      addComponent(world, e, B);
    }
    const q = slabQuery(world, [A, B]);
    let sum = 0;
    const bytes = heapBytesPerCall(() => {
      const n = q.update();
      const offs = q.offsetsOf(A);
      const i32 = heap.i32;
      for (let i = 0; i < n; i++) sum += i32[(offs[i] + A.fields.serial) >> 2];
    });
    expect(sum).toBe(0);
    // One object per call would be 16 bytes or more; what remains is the harness's own noise.
    expect(bytes).toBeLessThan(4);
    q.dispose();
    A.dispose();
    B.dispose();
    heap.check();
  });
});
