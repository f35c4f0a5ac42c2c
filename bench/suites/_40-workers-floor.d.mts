/** Shared memory of the floor allocator for `workers` workers (at most 2): one entry per worker. */
export interface FloorWorkerMemory {
  gens: SharedArrayBuffer;
  returned: SharedArrayBuffer;
  returnIdx: SharedArrayBuffer;
}
export function floorMemory(workers: number): FloorWorkerMemory[];
