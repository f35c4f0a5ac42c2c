import { describe, expect, it } from 'vitest';
import { addComponent, addEntity, createWorld, hasComponent, removeComponent, removeEntity } from 'bitecs';
import { createFrameEpochs } from '@tslab/frame';
import { createAllocator } from '@tslab/core';
import { slabComponent } from '../src/index.js';
import { rng, smallHeap } from './helpers.js';

const schema = { serial: 'u32', check: 'f64' } as const;

/** A heap, a world, the component, and one pooled entity: it has the component, its record released. */
function pooledEntity() {
  const heap = smallHeap();
  const world = createWorld();
  const C = slabComponent(heap, schema, { world });
  const e = addEntity(world);
  addComponent(world, e, C);
  C.releaseRecord(e);
  return { heap, world, C, e };
}

describe('releaseRecord / renewRecord: pooled entities keep the component, records come and go', () => {
  it('release frees the record but keeps membership; renew gives a fresh zeroed one', () => {
    const heap = smallHeap();
    const world = createWorld();
    const C = slabComponent(heap, schema, { world });
    const e = addEntity(world);
    addComponent(world, e, C);
    C.serial[e] = 7;
    const h = C.handleOf(e);
    expect(C.releaseRecord(e)).toBe(true);
    expect(heap.isLive(h)).toBe(false);
    expect(hasComponent(world, e, C)).toBe(true);
    expect(C.has(e)).toBe(false);
    expect(C.offsetOf(e)).toBe(C.sinkOffset);
    expect(C.read(e)).toBeUndefined();
    expect(C.serial[e]).toBe(0);
    expect(C.liveRecords).toBe(0);
    expect(C.releaseRecord(e)).toBe(false);
    const o = C.renewRecord(e);
    expect(o).toBe(C.offsetOf(e));
    expect(o).not.toBe(C.sinkOffset);
    expect(C.read(e)).toEqual({ serial: 0, check: 0 });
    expect(C.liveRecords).toBe(1);
    // Removing the entity frees the renewed record once; nothing else is freed.
    removeEntity(world, e);
    expect(C.liveRecords).toBe(0);
    expect(C.stats().staleFrees).toBe(0);
    expect(heap.statsGlobal().liveObjects).toBe(1); // the sink
    expect(C.renewRecord(addEntity(world))).toBe(0); // no component, no record
    C.dispose();
    heap.check();
  });

  it('a write to a released entity brings a record back; removeComponent then frees it', () => {
    const { heap, world, C, e } = pooledEntity();
    C.serial[e] = 5;
    expect(C.read(e)).toEqual({ serial: 5, check: 0 });
    removeComponent(world, e, C);
    expect(C.liveRecords).toBe(0);
    C.dispose();
    expect(heap.statsGlobal().liveObjects).toBe(0);
    heap.check();
  });

  it('with a frame adapter a released record is retired: untouched until tick, then freed', () => {
    const heap = smallHeap();
    const frames = createFrameEpochs(heap);
    const world = createWorld();
    const C = slabComponent(heap, schema, { world, frames });
    const e = addEntity(world);
    addComponent(world, e, C);
    const h = C.handleOf(e);
    const old = C.offsetOf(e);
    heap.u32[old >> 2] = 99;
    C.releaseRecord(e);
    const again = C.renewRecord(e);
    expect(again).not.toBe(old); // the retired record is not handed out again this frame
    expect(heap.isLive(h)).toBe(true);
    expect(heap.u32[old >> 2]).toBe(99);
    frames.tick();
    expect(heap.isLive(h)).toBe(false);
    C.dispose();
    frames.dispose();
    heap.check();
  });

  for (const withFrames of [false, true]) {
    it(`${withFrames ? 'frames' : 'no frames'}: a pool of entities over 120 frames, canaries intact, exact record count`, () => {
      const heap = smallHeap();
      const frames = withFrames ? createFrameEpochs(heap) : undefined;
      const world = createWorld();
      const C = slabComponent(heap, schema, { world, frames });
      const random = rng(withFrames ? 3 : 5);
      const pool: number[] = [];
      const live: number[] = [];
      let serial = 1;
      let broken = 0;
      for (let frame = 0; frame < 120; frame++) {
        const spawns = Math.floor(random() * 60);
        for (let k = 0; k < spawns; k++) {
          let e = pool.pop();
          let o: number;
          if (e === undefined) {
            e = addEntity(world);
            addComponent(world, e, C);
            o = C.offsetOf(e);
          } else {
            o = C.renewRecord(e);
          }
          if (heap.u32[(o + C.fields.serial) >> 2] !== 0) broken++; // fresh records are zeroed
          heap.u32[(o + C.fields.serial) >> 2] = serial;
          heap.f64[(o + C.fields.check) >> 3] = serial * 3;
          serial++;
          live.push(e);
        }
        for (let i = live.length - 1; i >= 0; i--) {
          if (random() < 0.3) {
            const e = live[i];
            const o = C.offsetOf(e);
            if (heap.f64[(o + C.fields.check) >> 3] !== heap.u32[(o + C.fields.serial) >> 2] * 3) broken++;
            C.releaseRecord(e);
            live[i] = live[live.length - 1];
            live.pop();
            pool.push(e);
          }
        }
        frames?.tick();
        expect(C.liveRecords).toBe(live.length);
      }
      expect(broken).toBe(0);
      expect(serial).toBeGreaterThan(1500);
      C.dispose();
      frames?.dispose();
      expect(heap.statsGlobal().liveObjects).toBe(0);
      heap.check();
    });
  }
});

describe('renewRecords: a burst of pooled entities renewed at once', () => {
  it('gives each pooled entity a fresh zeroed record, as renewRecord would, and skips entities without the component', () => {
    const heap = smallHeap();
    const world = createWorld();
    const frames = createFrameEpochs(heap, { advanceEvery: 2 });
    const C = slabComponent(heap, schema, { world, frames });
    const pooled: number[] = [];
    for (let i = 0; i < 300; i++) {
      const e = addEntity(world);
      addComponent(world, e, C);
      C.serial[e] = i + 1;
      C.check[e] = -1.5;
      pooled.push(e);
    }
    for (const e of pooled.slice(0, 250)) C.releaseRecord(e); // 50 keep their records: renewed too
    frames.tick();
    const bare = [addEntity(world), addEntity(world)]; // no component: offset 0, no record
    const oldHandles = pooled.slice(250).map((e) => C.handleOf(e));
    const eids = new Uint32Array([...pooled.slice(0, 100), bare[0], ...pooled.slice(100), bare[1]]);
    const offsets = new Int32Array(eids.length + 7).fill(-1);
    expect(C.renewRecords(eids, 0, eids.length, offsets, 5)).toBe(300);
    expect(Array.from(offsets.subarray(0, 5))).toEqual([-1, -1, -1, -1, -1]);
    expect(offsets[5 + 100]).toBe(0);
    expect(offsets[5 + eids.length - 1]).toBe(0);
    const seen = new Set<number>();
    for (let i = 0; i < eids.length; i++) {
      const e = eids[i];
      if (bare.includes(e)) continue;
      expect(offsets[5 + i]).toBe(C.offsetOf(e));
      expect(C.read(e)).toEqual({ serial: 0, check: 0 });
      seen.add(offsets[5 + i]);
    }
    expect(seen.size).toBe(300);
    expect(C.liveRecords).toBe(300);
    frames.tick(); // the 50 replaced records were retired, and are freed now
    for (const h of oldHandles) expect(heap.isLive(h)).toBe(false);
    expect(heap.statsGlobal().liveObjects).toBe(301); // and the sink
    expect(C.stats().staleFrees).toBe(0);
    C.dispose();
    frames.dispose();
    heap.check();
  });

  it('makes fewer records when the heap is full, and offsets 0 for the rest', () => {
    const heap = createAllocator({ sizeClasses: [16, 32, 64, 128], slabBytes: 16384, maxBytes: 8 * 16384 });
    const world = createWorld();
    const C = slabComponent(heap, schema, { world });
    const eids = new Uint32Array(10);
    for (let i = 0; i < 10; i++) {
      eids[i] = addEntity(world);
      addComponent(world, eids[i], C);
      C.releaseRecord(eids[i]);
    }
    const filler: number[] = [];
    for (let h = heap.alloc(16); h !== 0; h = heap.alloc(16)) filler.push(h);
    const offsets = new Int32Array(10).fill(-1);
    expect(C.renewRecords(eids, 0, 10, offsets)).toBe(0);
    expect(Array.from(offsets)).toEqual(new Array(10).fill(0));
    for (const e of eids) expect(C.offsetOf(e)).toBe(C.sinkOffset);
    for (const h of filler.splice(0, 4)) heap.free(h);
    expect(C.renewRecords(eids, 0, 10, offsets)).toBe(4);
    for (let i = 0; i < 10; i++) expect(offsets[i]).toBe(i < 4 ? C.offsetOf(eids[i]) : 0);
    expect(C.liveRecords).toBe(4);
    for (const h of filler) heap.free(h);
    C.dispose();
    heap.check();
  });

  it('rejects bad arguments with an error naming them, and changes nothing', () => {
    const { heap, C, e } = pooledEntity();
    const eids = new Uint32Array([e]);
    expect(() => C.renewRecords(eids, 0, 1, [0] as unknown as Int32Array)).toThrow(TypeError);
    expect(() => C.renewRecords(null as unknown as Uint32Array, 0, 1, new Int32Array(1))).toThrow(/eids must be/);
    expect(() => C.renewRecords(eids, 0, 2, new Int32Array(2))).toThrow(/count must be an integer 0\.\.1, got 2/);
    expect(() => C.renewRecords(eids, 1.5, 0, new Int32Array(2))).toThrow(RangeError);
    expect(() => C.renewRecords(eids, 0, 1, new Int32Array(1), 1)).toThrow(/offsets \(length 1\) has no room for 1 offsets from at = 1/);
    expect(C.liveRecords).toBe(0);
    expect(C.offsetOf(e)).toBe(C.sinkOffset);
    C.dispose();
    heap.check();
  });
});
