import { describe, expect, it } from 'vitest';
import { $internal, addComponent, addEntity, createWorld, query, removeEntity, set, type InternalWorld } from 'bitecs';
import { createFrameEpochs } from '@tslab/frame';
import { slabComponent } from '../src/index.js';
import { rng, smallHeap } from './helpers.js';


const schema = { serial: 'u32', check: 'f64', life: 'u16' } as const;

function run(withFrames: boolean, frames = 240) {
  const heap = smallHeap();
  const fx = withFrames ? createFrameEpochs(heap) : undefined;
  const world = createWorld();
  const P = slabComponent(heap, schema, { world, frames: fx });
  const S = P.fields.serial;
  const K = P.fields.check;
  const L = P.fields.life;
  const terms = [P];
  const random = rng(withFrames ? 7 : 11);
  const expected = new Map<number, number>(); // eid -> serial
  let serial = 0;
  let reusedWithinFrame = 0;
  let reusedAcrossFrames = 0;
  let recycledIds = 0;
  let badCanaries = 0;
  let checked = 0;
  const everSeen = new Set<number>();
  const previousFrameRetired = new Set<number>();

  const spawn = (count: number, retiredNow: Set<number>): void => {
    for (let i = 0; i < count; i++) {
      const e = addEntity(world);
      if (everSeen.has(e)) recycledIds++;
      everSeen.add(e);
      serial++;
      addComponent(world, e, set(P, { serial, check: serial * 1.5 + 0.25, life: 1 + Math.floor(random() * 12) }));
      const o = P.offsetOf(e);
      if (retiredNow.has(o)) reusedWithinFrame++;
      if (previousFrameRetired.has(o)) reusedAcrossFrames++;
      expected.set(e, serial);
    }
  };

  for (let frame = 0; frame < frames; frame++) {
    const retiredNow = new Set<number>();
    spawn(5 + Math.floor(random() * 40), retiredNow);
    // The "life" system: check every canary, age, kill at 0. Removed entities stay in this loop's
    // array (bitECS drops them at the next query() call) and new ones recycle their ids at once.
    let f64 = heap.f64;
    let u32 = heap.u32;
    let u16 = new Uint16Array(heap.buffer);
    const ents = query(world, terms);
    const removedThisLoop = new Set<number>();
    for (let i = 0; i < ents.length; i++) {
      const eid = ents[i];
      if (removedThisLoop.has(eid)) continue;
      const o = P.offsetOf(eid);
      const s = expected.get(eid);
      checked++;
      if (u32[(o + S) >> 2] !== s || f64[(o + K) >> 3] !== s! * 1.5 + 0.25) badCanaries++;
      const life = --u16[(o + L) >> 1];
      if (life === 0) {
        retiredNow.add(o);
        removeEntity(world, eid);
        removedThisLoop.add(eid);
        expected.delete(eid);
        if (withFrames) {
          // The retired record keeps its data until the tick: nobody else got it.
          if (u32[(o + S) >> 2] !== s) badCanaries++;
        }
        if ((i & 3) === 0) {
          // Spawn mid-loop: recycles the id just freed (bitECS hands it out again at once).
          spawn(1, retiredNow);
          f64 = heap.f64; // adding may have grown the heap: re-read views
          u32 = heap.u32;
          u16 = new Uint16Array(heap.buffer);
        }
      }
    }
    // No record is shared: the live records' offsets are distinct and never the sink.
    const live = query(world, terms);
    const offsets = new Set<number>();
    for (let i = 0; i < live.length; i++) offsets.add(P.offsetOf(live[i]));
    expect(offsets.size).toBe(live.length);
    expect(offsets.has(P.sinkOffset)).toBe(false);
    expect(P.liveRecords).toBe(live.length);
    expect(live.length).toBe(expected.size);

    previousFrameRetired.clear();
    for (const o of retiredNow) previousFrameRetired.add(o);
    fx?.tick();
    if (frame % 16 === 0) heap.check();
  }
  heap.check();
  const index = (world as InternalWorld)[$internal].entityIndex;
  return { heap, P, badCanaries, checked, reusedWithinFrame, reusedAcrossFrames, recycledIds, maxId: index.maxId, serial, fx };
}

describe('entity churn across frames', () => {
  it('with a frame adapter: ids recycle, records are never reused in the frame they were removed', () => {
    const r = run(true);
    expect(r.serial).toBeGreaterThan(5000);
    expect(r.checked).toBeGreaterThan(30000);
    expect(r.badCanaries).toBe(0);
    expect(r.recycledIds).toBeGreaterThan(4000); // bitECS recycles ids immediately
    expect(r.maxId).toBeLessThan(600);
    expect(r.reusedWithinFrame).toBe(0);
    expect(r.reusedAcrossFrames).toBeGreaterThan(0); // after the tick the slots are reused
    expect(r.P.stats().staleFrees).toBe(0);
    r.P.dispose();
    r.fx!.tick();
    expect(r.heap.statsGlobal().liveObjects).toBe(0);
    r.heap.check();
  });

  it('without a frame adapter: records are freed at once, canaries still hold', () => {
    const r = run(false);
    expect(r.recycledIds).toBeGreaterThan(4000);
    expect(r.badCanaries).toBe(0);
    expect(r.reusedWithinFrame).toBeGreaterThan(0); // immediate free: the slot comes back at once
    r.P.dispose();
    expect(r.heap.statsGlobal().liveObjects).toBe(0);
    r.heap.check();
  });

  it('a removed entity still iterated in the same loop writes into the sink, not into a record', () => {
    const heap = smallHeap();
    const fx = createFrameEpochs(heap);
    const world = createWorld();
    const P = slabComponent(heap, schema, { world, frames: fx });
    const eids: number[] = [];
    for (let i = 0; i < 64; i++) {
      const e = addEntity(world);
      addComponent(world, e, set(P, { serial: 1000 + i }));
      eids.push(e);
    }
    const victim = eids[40];
    const victimOffset = P.offsetOf(victim);
    const u32 = heap.u32;
    const ents = query(world, [P]);
    for (let i = 0; i < ents.length; i++) {
      const eid = ents[i];
      if (i === 0) removeEntity(world, victim); // still in `ents` until the next query()
      const o = P.offsetOf(eid);
      u32[(o + P.fields.serial) >> 2] += 1; // the victim's write goes to the sink
    }
    expect(ents).toContain(victim);
    expect(u32[(victimOffset + P.fields.serial) >> 2]).toBe(1040); // retired record untouched
    for (let i = 0; i < 64; i++) if (i !== 40) expect(P.serial[eids[i]]).toBe(1001 + i);
    fx.tick();
    heap.check();
  });
});
