/**
 * The structural types this package needs from @tslab/core and @tslab/frame. They are declared here
 * (not imported) so the package type-checks on its own; a real `SlabAllocator` and a real
 * `FrameEpochs` satisfy them.
 */
import type { World } from 'bitecs';

/** Opaque slab handle (a double, may exceed 2^31); 0 is the null handle. */
export type Handle = number;
/** Byte offset into `heap.buffer`; 0 is the null pointer. */
export type Ptr = number;
/** Epoch id of the allocator. */
export type EpochId = number;

/** The part of `SlabAllocator` (@tslab/core) a slab component uses. */
export interface SlabHeap {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  readonly u8: Uint8Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
  alloc(size: number, epoch?: EpochId): Handle;
  free(h: Handle): boolean;
  offset(h: Handle): Ptr;
  /** alloc writing the handle to table[index], returning the offset (0 on failure). */
  allocInto(size: number, table: Float64Array, index: number, epoch?: EpochId): Ptr;
  /** free(table[index]). */
  freeFrom(table: Float64Array, index: number): boolean;
  /** `count` objects at once, handles written to table[start ..]; returns how many it allocated. */
  allocMany(size: number, table: Float64Array, start: number, count: number, epoch?: EpochId): number;
  epochCurrent(): EpochId;
}

/** The part of `FrameEpochs` (@tslab/frame) a slab component uses: the frame epoch and deferred free. */
export interface FrameRetirer {
  readonly epoch: EpochId;
  retire(h: Handle): void;
  /** retire(table[index]); the frame adapter of @tslab/frame has it. */
  retireFrom(table: Float64Array, index: number): void;
}

/** Field types of a schema: the typed-array element types. */
export type FieldType = 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'f32' | 'f64';

/** A component schema: field name -> field type, e.g. `{ x: 'f32', y: 'f32', life: 'u16' }`. */
export type Schema = Readonly<Record<string, FieldType>>;

export interface SlabComponentOptions {
  /** The bitECS 0.4 world the component is bound to (observers are per world). */
  world: World;
  /**
   * Frame adapter (`createFrameEpochs(heap)`): records are allocated in `frames.epoch` and freed
   * through `frames.retire`, so a removed record is never handed out again before the next tick.
   */
  frames?: FrameRetirer;
  /** log2 of the eids per page of the eid map, 2..12; default 4 (16 eids a page). */
  pageShift?: number;
}

/**
 * One schema field seen as an eid-indexed array (`C.x[eid]`), reading and writing slab memory.
 * This is the slow, convenient path (a Proxy trap per access) that the bitECS serializers use;
 * systems use the offsets (see README). Reads of an eid without a record give 0; writes to it are
 * ignored, except for an entity that has the component without a record yet (a prefab), which gets one.
 */
export interface FieldArray {
  [eid: number]: number;
}

export interface SlabComponentStats {
  /** Records currently held (entities and prefabs). */
  liveRecords: number;
  /** Of which prefab records (prefabs fire no bitECS add/remove hooks: see `sweepPrefabs`). */
  prefabRecords: number;
  /** Bytes of one record (fields laid out by alignment, rounded up to 8). */
  recordBytes: number;
  /** liveRecords x recordBytes. */
  liveRecordBytes: number;
  /** JS-side bytes of the eid map (page directory, offset and handle pools, page bookkeeping). */
  mapBytes: number;
  /** Pages of the eid map holding at least one record. */
  pagesInUse: number;
  /** Pages the pools can hold before growing. */
  pageCapacity: number;
  /** Records allocated since creation. */
  allocs: number;
  /** Records freed or retired since creation. */
  frees: number;
  /** heap.free() calls that returned false (the record was already gone, e.g. its epoch was reset). */
  staleFrees: number;
}
