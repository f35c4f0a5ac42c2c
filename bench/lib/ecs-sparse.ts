/**
 * Memory of a component used by few entities whose ids are scattered over a large range (a "boss"
 * component in a world that once held a million entities): native bitECS stores cost one typed
 * array element per id per field; slab components cost their live records plus the eid map.
 * The world's id counter is moved forward instead of creating a million live entities (that costs
 * about 4 s and 250 MB of bitECS bookkeeping here); the component sees exactly the same eids.
 */
import { $internal, addComponent, addEntity, createWorld, type InternalWorld, type World } from 'bitecs';
import { slabComponent } from '@tslab/bitecs';
import { ecsHeap } from './ecs-cases.js';

export interface SparseResult {
  live: number;
  maxId: number;
  nativeBytes: number;
  slabRecordBytes: number;
  slabMapBytes: number;
  heapCommittedBytes: number;
}

function addEntityWithId(world: World, id: number): number {
  const index = (world as unknown as InternalWorld)[$internal].entityIndex;
  index.maxId = id - 1;
  return addEntity(world);
}

export function measureSparse(live: number, maxId: number): SparseResult {
  const schema = { x: 'f32', y: 'f32', life: 'u16' } as const;
  const heap = ecsHeap();
  const world = createWorld();
  const C = slabComponent(heap, schema, { world });
  const ids = new Set<number>();
  let seed = 12345;
  while (ids.size < live) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    ids.add(1 + (seed % maxId));
  }
  const sorted = [...ids].sort((a, b) => a - b);
  for (const id of sorted) addComponent(world, addEntityWithId(world, id), C);
  const largest = sorted[sorted.length - 1];
  const stats = C.stats();
  const result: SparseResult = {
    live,
    maxId: largest,
    // Float32Array x2 + Uint16Array, each of length maxId + 1
    nativeBytes: (largest + 1) * (4 + 4 + 2),
    slabRecordBytes: (stats.liveRecords + 1) * 16, // 16-byte class, plus the sink
    slabMapBytes: stats.mapBytes,
    heapCommittedBytes: heap.statsGlobal().committedBytes,
  };
  C.dispose();
  heap.check();
  return result;
}
