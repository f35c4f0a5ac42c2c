import { describe, expect, it } from 'vitest';
import { addComponent, addEntity, createWorld, hasComponent, removeComponent, removeEntity } from 'bitecs';
import { createFrameEpochs } from '@tslab/frame';
import { slabComponent } from '../src/index.js';
import { rng, smallHeap } from './helpers.js';

const schema = { serial: 'u32', check: 'f64' } as const;

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
    const heap = smallHeap();
    const world = createWorld();
    const C = slabComponent(heap, schema, { world });
    const e = addEntity(world);
    addComponent(world, e, C);
    C.releaseRecord(e);
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
