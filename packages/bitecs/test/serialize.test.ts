import { describe, expect, it } from 'vitest';
import { addComponent, addComponents, addEntity, createWorld, hasComponent, removeEntity, set, type World } from 'bitecs';
import {
  createSnapshotDeserializer,
  createSnapshotSerializer,
  createSoADeserializer,
  createSoASerializer,
} from 'bitecs/serialization';
import { slabComponent, type SlabComponent } from '../src/index.js';
import { smallHeap } from './helpers.js';

const schema = { x: 'f32', y: 'f32', hp: 'u16', team: 'i8', mass: 'f64', id: 'u32' } as const;
type Body = SlabComponent<typeof schema>;

function populate(world: World, Body: Body, Tag: object): number[] {
  const eids: number[] = [];
  for (let i = 0; i < 300; i++) {
    const e = addEntity(world);
    eids.push(e);
    if (i % 5 === 0) addComponent(world, e, Tag); // some entities lack Body
    else if (i % 7 === 0) addComponents(world, e, Tag, set(Body, { x: i / 3, y: -i, hp: i * 300, team: -(i % 100), mass: i * 1e-3, id: 4e9 - i }));
    else addComponent(world, e, set(Body, { x: i * 0.25, y: i, hp: i, team: i % 100, mass: Math.sqrt(i), id: i * 7919 }));
  }
  for (let i = 0; i < eids.length; i += 11) removeEntity(world, eids[i]); // holes
  return eids.filter((_, i) => i % 11 !== 0);
}

describe('bitecs/serialization', () => {
  it('snapshot: serialize a world, deserialize into a fresh world with its own slab component, equal data', () => {
    const heap = smallHeap();
    const world1 = createWorld();
    const Body1 = slabComponent(heap, schema, { world: world1 });
    const Tag1 = {};
    const alive = populate(world1, Body1, Tag1);
    const packet = createSnapshotSerializer(world1, [Body1, Tag1], new ArrayBuffer(1 << 20))();

    // Into a fresh world on another heap, and into one on the same heap.
    for (const heap2 of [smallHeap(), heap]) {
      const world2 = createWorld();
      const Body2 = slabComponent(heap2, schema, { world: world2 });
      const Tag2 = {};
      const idMap = createSnapshotDeserializer(world2, [Body2, Tag2])(packet);
      expect(idMap.size).toBe(alive.length);
      expect(Body2.liveRecords).toBe(Body1.liveRecords);
      let compared = 0;
      for (const e1 of alive) {
        const e2 = idMap.get(e1);
        expect(e2).toBeDefined();
        expect(hasComponent(world2, e2!, Body2)).toBe(hasComponent(world1, e1, Body1));
        expect(hasComponent(world2, e2!, Tag2)).toBe(hasComponent(world1, e1, Tag1));
        if (hasComponent(world1, e1, Body1)) {
          expect(Body2.read(e2!)).toEqual(Body1.read(e1));
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(200);
      heap2.check();
    }
    heap.check();
  });

  it('SoA serializer copies field data by eid between slab components', () => {
    const heap = smallHeap();
    const world1 = createWorld();
    const Body1 = slabComponent(heap, schema, { world: world1 });
    const alive = populate(world1, Body1, {});
    const withBody = alive.filter((e) => Body1.has(e));
    const packet = createSoASerializer([Body1], { buffer: new ArrayBuffer(1 << 20) })(withBody);

    const world2 = createWorld();
    const Body2 = slabComponent(heap, schema, { world: world2 });
    const idMap = new Map<number, number>();
    for (const e of withBody) {
      const e2 = addEntity(world2);
      addComponent(world2, e2, Body2);
      idMap.set(e, e2);
    }
    createSoADeserializer([Body2])(packet, idMap);
    for (const e of withBody) expect(Body2.read(idMap.get(e)!)).toEqual(Body1.read(e));
    heap.check();
  });
});
