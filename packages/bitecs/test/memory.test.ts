import { describe, expect, it } from 'vitest';
import { $internal, addComponent, addEntity, createWorld, removeEntity, set, type InternalWorld, type World } from 'bitecs';
import { slabComponent } from '../src/index.js';
import { smallHeap } from './helpers.js';

const schema = { x: 'f32', y: 'f32', life: 'u16' } as const;

/**
 * Adds an entity whose id is `id`. A real world reaches id 1,000,000 only after a million live
 * entities (about 4 s and 250 MB of bitECS bookkeeping here); moving the entity index's counter
 * gives the component the very same eids at a fraction of the cost.
 */
function addEntityWithId(world: World, id: number): number {
  const index = (world as InternalWorld)[$internal].entityIndex;
  index.maxId = id - 1;
  const eid = addEntity(world);
  if (eid !== id) throw new Error(`expected id ${id}, got ${eid}`);
  return eid;
}

describe('memory follows live records, not the largest id', () => {
  it('1,000 live entities with ids scattered up to 1,000,000 cost kilobytes', () => {
    const heap = smallHeap();
    const world = createWorld();
    const C = slabComponent(heap, schema, { world });
    const empty = C.stats().mapBytes;
    const ids = new Set<number>();
    let seed = 12345;
    while (ids.size < 1000) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      ids.add(1 + (seed % 1_000_000));
    }
    const sorted = [...ids].sort((a, b) => a - b);
    for (const id of sorted) addComponent(world, addEntityWithId(world, id), set(C, { x: id }));
    expect(sorted[sorted.length - 1]).toBeGreaterThan(990_000);
    const stats = C.stats();
    expect(stats.liveRecords).toBe(1000);
    for (const id of sorted) expect(C.x[id]).toBe(id);

    // Native bitECS 0.4 stores for this schema: one typed array per field, indexed by eid.
    const nativeBytes = (1_000_001) * (4 + 4 + 2);
    const slabRecordBytes = heap.statsClass(0).liveBytes; // 1,000 records of 16 bytes, class 16
    console.log(
      `[memory] 1,000 records, ids up to ${sorted[sorted.length - 1]}: eid map ${(stats.mapBytes / 1024).toFixed(1)} KiB ` +
        `(empty ${(empty / 1024).toFixed(1)} KiB), records ${(slabRecordBytes / 1024).toFixed(1)} KiB, ` +
        `native typed arrays ${(nativeBytes / 2 ** 20).toFixed(1)} MiB`,
    );
    expect(slabRecordBytes).toBe(1001 * 16); // with the sink
    expect(stats.mapBytes).toBeLessThan(1024 * 1024); // a flat eid-indexed map would take 12 MB
    expect(stats.mapBytes * 10).toBeLessThan(nativeBytes);
    heap.check();
  });

  it('trim() and the automatic compaction give the map back after a mass removal', () => {
    const heap = smallHeap();
    const world = createWorld();
    const C = slabComponent(heap, schema, { world });
    const eids: number[] = [];
    for (let i = 0; i < 60_000; i++) {
      const e = addEntity(world);
      addComponent(world, e, set(C, { x: i }));
      eids.push(e);
    }
    const full = C.stats().mapBytes;
    for (let i = 0; i < eids.length; i++) if (i % 600 !== 0) removeEntity(world, eids[i]);
    expect(C.liveRecords).toBe(100);
    expect(C.stats().mapBytes).toBe(full); // removing never replaces the arrays
    const pagesBefore = C.pages;
    const given = C.trim();
    expect(given).toBeGreaterThan(full / 2);
    expect(C.pages).toBe(pagesBefore); // the directory still spans id 60,000 (entity 59,401 lives)
    expect(C.stats().mapBytes).toBeLessThan(full / 4);
    for (let i = 0; i < eids.length; i += 600) expect(C.x[eids[i]]).toBe(i);

    // Again, without trim(): the next add that needs a page compacts a large, mostly empty pool.
    for (let i = 0; i < 60_000; i++) addComponent(world, addEntity(world), C);
    const grown = C.stats().mapBytes;
    const live = [...Array(60_100).keys()].map((k) => k + 1).filter((e) => C.has(e));
    for (const e of live) removeEntity(world, e);
    const keep = addEntity(world);
    addComponent(world, keep, set(C, { y: 3 }));
    expect(C.liveRecords).toBe(1);
    expect(C.stats().mapBytes).toBeLessThan(grown / 4);
    expect(C.y[keep]).toBe(3);
    heap.check();
  });
});
