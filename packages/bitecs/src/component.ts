/**
 * slabComponent: a bitECS 0.4 component whose per-entity records live in slab memory.
 * (About 500 lines: the component class, its bitECS hooks and the pool calls that share their
 * private steps, kept in one class so the hot hooks need no cross-module calls and the eid map and
 * record handles stay private; argument checks live in arguments.ts.)
 *
 * bitECS 0.4 stores only membership; data stores plug in through observers, which belong to one
 * world and receive only the eid (bitecs/dist/core):
 * - onAdd(C)  fires from addComponent / addComponents / setComponent / IsA inheritance — but never
 *   for a prefab (entities with `Prefab` skip query updates, and the add hook is a query hook);
 * - onRemove(C) fires from removeComponent and removeEntity (again never for a prefab);
 *   (both are taken from the query [C] directly, see query-hooks.ts)
 * - onSet(C) fires after an add carrying data (`set(C, data)`, setComponent) and when IsA copies a
 *   prefab's data (the data comes from onGet on the prefab);
 * - onGet(C) answers getComponent.
 * Records are allocated on add and freed on remove. A prefab's record has its own lifecycle: it is
 * created by the first write to it (onSet or `C.field[prefab] = v` or `ensure`) and freed by
 * `sweepPrefabs()`, by the next prefab record's creation, or when its id is reused by an entity.
 */
import {
  $internal,
  entityExists,
  hasComponent,
  observe,
  onGet,
  onSet,
  type InternalWorld,
  type World,
} from 'bitecs';
import { EidRecordMap } from './eid-map.js';
import { hookAddRemove } from './query-hooks.js';
import { createFieldArray, type FieldAccess } from './field-array.js';
import { heapViews, readField, writeField } from './heap-views.js';
import { checkBurst, describe } from './arguments.js';
import { layoutRecord, type RecordLayout } from './schema.js';
import type {
  FieldArray,
  FrameRetirer,
  Handle,
  Ptr,
  Schema,
  SlabComponentOptions,
  SlabComponentStats,
  SlabHeap,
} from './types.js';

/** Field values of one record, by field name. */
export type RecordData<S extends Schema> = { [K in keyof S]: number };

/** A slab component: the schema fields as eid-indexed arrays, plus the members of `SlabComponentStore`. */
export type SlabComponent<S extends Schema> = SlabComponentStore<S> & { readonly [K in keyof S]: FieldArray };

export class SlabComponentStore<S extends Schema> {
  readonly #heap: SlabHeap;
  readonly #world: World;
  readonly #frames: FrameRetirer | undefined;
  readonly #schema: S;
  readonly #layout: RecordLayout;
  readonly #recordWords: number;
  readonly #idMask: number;
  readonly #map: EidRecordMap;
  readonly #sinkHandle: Handle;
  /** Prefab records (created without an onAdd): id -> full eid, to check later whether it still lives. */
  readonly #prefabs = new Map<number, number>();
  #unsubscribe: (() => void)[] = [];
  #disposed = false;
  #allocs = 0;
  #lastOffset = 0;
  /** renewRecords' scratch: the burst's handles, and which entity of the burst each one is for. */
  #burstHandles = new Float64Array(0);
  #burstIndex = new Int32Array(0);
  #frees = 0;
  #staleFrees = 0;

  constructor(heap: SlabHeap, schema: S, options: SlabComponentOptions) {
    if (heap === null || typeof heap !== 'object' || typeof heap.alloc !== 'function' || typeof heap.offset !== 'function') {
      throw new TypeError(`slabComponent: heap must be a SlabAllocator from createAllocator(), got ${describe(heap)}`);
    }
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`slabComponent: options must be { world, frames? }, got ${describe(options)}`);
    }
    const { world, frames, pageShift = 4 } = options;
    const internal = (world as InternalWorld | undefined)?.[$internal];
    if (internal === undefined) {
      throw new TypeError(`slabComponent: options.world must be a bitECS 0.4 world from createWorld(), got ${describe(world)}`);
    }
    if (frames !== undefined && (frames === null || typeof frames.retire !== 'function' || typeof frames.retireFrom !== 'function' || typeof frames.epoch !== 'number')) {
      throw new TypeError(`slabComponent: options.frames must be createFrameEpochs(heap) or undefined, got ${describe(frames)}`);
    }
    if (!Number.isInteger(pageShift) || pageShift < 2 || pageShift > 12) {
      throw new RangeError(`slabComponent: options.pageShift must be an integer 2..12, got ${describe(pageShift)}`);
    }
    this.#heap = heap;
    this.#world = world;
    this.#frames = frames;
    this.#schema = Object.freeze({ ...schema });
    this.#layout = layoutRecord(schema);
    this.#recordWords = this.#layout.recordBytes >> 3;
    const index = internal.entityIndex;
    // Versioned ids carry the version in their top bits; records are keyed by the id part (only one
    // version of an id is alive at a time).
    this.#idMask = index.versioning ? index.entityMask : 0x7fffffff;

    // The sink: a record every eid without one points at, so a stray write is harmless.
    this.#sinkHandle = this.#allocRecord();
    this.#map = new EidRecordMap(pageShift, this.#idMask, this.#lastOffset);

    const access: FieldAccess = {
      readField: (field, eid) => this.#readField(field, eid),
      writeField: (field, eid, value) => this.#writeField(field, eid, value),
    };
    this.#layout.fields.forEach((field, i) => {
      Object.defineProperty(this, field.name, {
        value: createFieldArray(access, i, field.type),
        enumerable: true,
        writable: false,
        configurable: false,
      });
    });

    this.#unsubscribe = [
      hookAddRemove(
        world,
        this,
        (eid) => this.#attach(eid),
        (eid) => this.#detach(eid),
      ),
      observe(world, onSet(this), (eid: number, data: unknown) => this.#set(eid, data)),
      observe(world, onGet(this), (eid: number) => this.read(eid) ?? this.#zeros()),
    ];
  }

  // ---- fast access (see README: read these once per system, again after adding components) ----

  get heap(): SlabHeap {
    return this.#heap;
  }
  get world(): World {
    return this.#world;
  }
  get schema(): S {
    return this.#schema;
  }
  /** Byte offset of each field inside a record: `f32[(recordOffset + C.fields.x) >> 2]`. */
  get fields(): Readonly<{ [K in keyof S]: number }> {
    return this.#layout.byteOffsets as { [K in keyof S]: number };
  }
  get recordBytes(): number {
    return this.#layout.recordBytes;
  }
  /** `eid & idMask` is the id the eid map is keyed by (drops withVersioning's version bits). */
  get idMask(): number {
    return this.#idMask;
  }
  get pageShift(): number {
    return this.#map.pageShift;
  }
  get pageMask(): number {
    return this.#map.pageMask;
  }
  /** Page directory: `offsets[pages[id >>> pageShift] + (id & pageMask)]` is the record offset of id. */
  get pages(): Int32Array {
    return this.#map.pages;
  }
  /** Record byte offset per pool slot; slots without a record hold `sinkOffset`. */
  get offsets(): Int32Array {
    return this.#map.offsets;
  }
  /** Offset of the scratch record that eids without a record point at. */
  get sinkOffset(): Ptr {
    return this.#map.sink;
  }
  get liveRecords(): number {
    return this.#map.live;
  }
  get disposed(): boolean {
    return this.#disposed;
  }

  /**
   * Byte offset of the record of `eid` (a current eid, e.g. from a query), or `sinkOffset` when it
   * has none. Unchecked for speed: use `has(eid)` to test membership.
   */
  offsetOf(eid: number): Ptr {
    const id = eid & this.#idMask;
    const map = this.#map;
    const p = id >>> map.pageShift;
    return p < map.pages.length ? map.offsets[map.pages[p] + (id & map.pageMask)] : map.sink;
  }

  /** Slab handle of the record of `eid`, or 0. */
  handleOf(eid: number): Handle {
    if (!hasComponent(this.#world, eid, this)) return 0;
    const slot = this.#map.find(eid & this.#idMask);
    return slot < 0 ? 0 : this.#map.handles[slot];
  }

  /** True when `eid` has the component and a record (a prefab gets one on first write). */
  has(eid: number): boolean {
    return hasComponent(this.#world, eid, this) && this.#map.find(eid & this.#idMask) >= 0;
  }

  /** Record offset of `eid`, creating the record of a prefab that has none yet; 0 if `eid` lacks the component. */
  ensure(eid: number): Ptr {
    if (!hasComponent(this.#world, eid, this)) return 0;
    const slot = this.#slotOrPrefabRecord(eid);
    return slot < 0 ? 0 : this.#map.offsets[slot];
  }

  /** The record's values (into `into` when given), or undefined when `eid` has no record. */
  read(eid: number, into?: Partial<RecordData<S>>): RecordData<S> | undefined {
    if (!hasComponent(this.#world, eid, this)) return undefined;
    const slot = this.#map.find(eid & this.#idMask);
    if (slot < 0) return undefined;
    const out = (into ?? {}) as Record<string, number>;
    const views = heapViews(this.#heap);
    const o = this.#map.offsets[slot];
    for (const field of this.#layout.fields) out[field.name] = readField(views, field.type, o + field.byteOffset);
    return out as RecordData<S>;
  }

  /** Writes the fields present in `data` (as `setComponent` does); false when `eid` lacks the component. */
  write(eid: number, data: Partial<RecordData<S>>): boolean {
    if (!hasComponent(this.#world, eid, this)) return false;
    this.#set(eid, data);
    return true;
  }

  /**
   * Frees the record of `eid` while the entity keeps the component (retired through the frame
   * adapter when bound). For entity pools: a dead particle's entity waits for the next spawn with
   * its components, so bitECS sees no removeComponent / addComponent per particle, yet the record
   * is given back when the particle dies. Until `renewRecord(eid)` (or a write) gives it a new
   * record, the entity reads as zeros and its offset is the sink. False when it had no record.
   */
  releaseRecord(eid: number): boolean {
    return this.#detach(eid);
  }

  /**
   * Gives `eid`, which has the component, a fresh zero-filled record (in the frame epoch when a
   * frame adapter is bound), releasing the one it had; returns the record's offset, or 0 when `eid`
   * lacks the component. The other half of `releaseRecord` for pooled entities.
   */
  renewRecord(eid: number): Ptr {
    if (!hasComponent(this.#world, eid, this)) return 0;
    const id = eid & this.#idMask;
    const prefab = this.#prefabs.size !== 0 && this.#prefabs.has(id);
    this.#detach(eid);
    this.#attach(eid);
    if (prefab) this.#prefabs.set(id, eid); // still freed by sweepPrefabs, as prefab records are
    return this.offsetOf(eid);
  }

  /**
   * renewRecord for a burst of pooled entities, eids[start .. start + count): each one that has the
   * component gets a fresh zero-filled record (in the frame epoch when a frame adapter is bound), all
   * from one `heap.allocMany` call, slab by slab, and offsets[at + i] receives the record offset of
   * eids[start + i] (0 when that entity lacks the component, or when the heap had no room left: like
   * allocMany, a full heap makes fewer records instead of throwing). Returns how many it made.
   */
  renewRecords(eids: ArrayLike<number>, start: number, count: number, offsets: Int32Array, at = 0): number {
    checkBurst(eids, start, count, offsets, at);
    const world = this.#world;
    const prefabs = this.#prefabs;
    if (this.#burstHandles.length < count) {
      this.#burstHandles = new Float64Array(count);
      this.#burstIndex = new Int32Array(count);
    }
    const handles = this.#burstHandles;
    const burstIndex = this.#burstIndex;
    // Pass 1: who gets a record. Their old records go now, as in renewRecord; a prefab's record
    // (rare) takes renewRecord's own path, which keeps it tracked.
    let wanted = 0;
    for (let i = 0; i < count; i++) {
      const eid = eids[start + i];
      if (!hasComponent(world, eid, this)) offsets[at + i] = 0;
      else if (prefabs.size !== 0 && prefabs.has(eid & this.#idMask)) offsets[at + i] = this.renewRecord(eid);
      else {
        this.#detach(eid);
        burstIndex[wanted++] = i;
      }
    }
    const heap = this.#heap;
    const frames = this.#frames;
    const bytes = this.#layout.recordBytes;
    const made = frames === undefined ? heap.allocMany(bytes, handles, 0, wanted) : heap.allocMany(bytes, handles, 0, wanted, frames.epoch);
    // Pass 2: install the records (the same steps as #attach, with the handle already made).
    // emptySlotFor may replace the map's arrays, so they are read through the map each time.
    const map = this.#map;
    for (let j = 0; j < made; j++) {
      const i = burstIndex[j];
      const slot = this.#emptySlotFor(eids[start + i] & this.#idMask);
      map.handles[slot] = handles[j];
      const o = heap.offset(handles[j]);
      this.#settle(slot, o);
      offsets[at + i] = o;
    }
    for (let j = made; j < wanted; j++) offsets[at + burstIndex[j]] = 0;
    this.#allocs += made;
    return made;
  }

  /** Frees the records of prefabs that were removed or lost the component; returns how many. */
  sweepPrefabs(): number {
    let freed = 0;
    for (const [id, eid] of [...this.#prefabs]) {
      if (entityExists(this.#world, eid) && hasComponent(this.#world, eid, this)) continue;
      const slot = this.#map.find(id);
      if (slot >= 0) this.#releaseSlot(id, slot);
      this.#prefabs.delete(id);
      freed++;
    }
    return freed;
  }

  /**
   * Compacts the eid map after a mass removal (large maps also do it themselves when seven eighths
   * of their pages are free). Replaces `pages` and `offsets`. Returns the JS bytes given back.
   */
  trim(): number {
    return this.#map.trim();
  }

  stats(): SlabComponentStats {
    const map = this.#map;
    return {
      liveRecords: map.live,
      prefabRecords: this.#prefabs.size,
      recordBytes: this.#layout.recordBytes,
      liveRecordBytes: map.live * this.#layout.recordBytes,
      mapBytes: map.bytes(),
      pagesInUse: map.pagesInUse,
      pageCapacity: map.capacityPages,
      allocs: this.#allocs,
      frees: this.#frees,
      staleFrees: this.#staleFrees,
    };
  }

  /**
   * Stops observing the world and frees every record and the sink (through the frame adapter when
   * bound). Call it before `resetWorld`/`deleteWorld` or when dropping the component.
   */
  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#unsubscribe = [];
    const slots: number[] = [];
    this.#map.forEachSlot((slot) => slots.push(slot));
    for (const slot of slots) {
      const h = this.#map.handles[slot];
      this.#map.clear(slot); // never replaces the arrays, so the collected slots stay valid
      this.#freeHandle(h);
    }
    this.#prefabs.clear();
    this.#freeHandle(this.#sinkHandle);
  }

  // ---- hooks ----

  /** Allocates and zero-fills a record; its offset is left in #lastOffset (no second offset() call). */
  #allocRecord(): Handle {
    const heap = this.#heap;
    const frames = this.#frames;
    const h = frames === undefined ? heap.alloc(this.#layout.recordBytes) : heap.alloc(this.#layout.recordBytes, frames.epoch);
    if (h === 0) this.#allocFailed();
    const o = heap.offset(h);
    this.#lastOffset = o;
    this.#zeroRecord(o);
    return h;
  }

  /** Zero-fills the record at `o` through f64 (records are 8-aligned, multiples of 8). Call it after allocating: reads the heap's current view. */
  #zeroRecord(o: number): void {
    const f64 = this.#heap.f64;
    for (let i = o >> 3, end = i + this.#recordWords; i < end; i++) f64[i] = 0;
  }

  /** The map slot of `id`, emptied of a record that outlived its entity (a removed prefab's: no hook fired). */
  #emptySlotFor(id: number): number {
    const map = this.#map;
    const slot = map.slotFor(id);
    if (map.handles[slot] === 0) return slot;
    this.#releaseSlot(id, slot);
    return map.slotFor(id);
  }

  /** Completes a record just allocated into map slot `slot` (its handle already there) at offset `o`. */
  #settle(slot: number, o: number): void {
    this.#zeroRecord(o);
    this.#map.offsets[slot] = o;
    this.#map.added(slot);
  }

  #allocFailed(): never {
    throw new Error(
      `slabComponent: heap.alloc(${this.#layout.recordBytes}) returned the null handle ` +
        '(maxBytes reached or the epoch accepts no allocations): the record cannot be created',
    );
  }

  // The hooks below are written flat, with the heap calls in their own bodies: a handle is a double
  // above 2^31, and passing or returning one across a call V8 does not inline boxes it (16 bytes).

  #attach(eid: number): void {
    const slot = this.#emptySlotFor(eid & this.#idMask);
    const heap = this.#heap;
    const frames = this.#frames;
    const bytes = this.#layout.recordBytes;
    const handles = this.#map.handles; // after emptySlotFor, which may have replaced the map's arrays
    // allocInto writes the handle straight into the map's Float64Array: no handle crosses a call.
    const o = frames === undefined ? heap.allocInto(bytes, handles, slot) : heap.allocInto(bytes, handles, slot, frames.epoch);
    if (o === 0) this.#allocFailed();
    this.#settle(slot, o);
    this.#allocs++;
  }

  /** Frees the record of `eid` (the remove hook); false when it had none. */
  #detach(eid: number): boolean {
    const id = eid & this.#idMask;
    const map = this.#map;
    const slot = map.find(id);
    if (slot < 0) return false;
    if (this.#prefabs.size !== 0) this.#prefabs.delete(id);
    this.#frees++;
    if (this.#frames !== undefined) this.#frames.retireFrom(map.handles, slot);
    else if (!this.#heap.freeFrom(map.handles, slot)) this.#staleFrees++;
    map.clear(slot);
    return true;
  }

  /** Frees the record in `slot` (cold paths: prefabs, stale records). */
  #releaseSlot(id: number, slot: number): void {
    const h = this.#map.handles[slot];
    this.#map.clear(slot);
    this.#prefabs.delete(id);
    this.#freeHandle(h);
  }

  #freeHandle(h: Handle): void {
    this.#frees++;
    if (this.#frames !== undefined) this.#frames.retire(h);
    else if (!this.#heap.free(h)) this.#staleFrees++;
  }

  /** Slot of the record of `eid` (which has the component), creating a prefab record when missing. */
  #slotOrPrefabRecord(eid: number): number {
    const id = eid & this.#idMask;
    const found = this.#map.find(id);
    if (found >= 0) return found;
    if (this.#prefabs.size !== 0) this.sweepPrefabs();
    this.#attach(eid);
    this.#prefabs.set(id, eid);
    return this.#map.find(id);
  }

  #set(eid: number, data: unknown): void {
    if (data === null || typeof data !== 'object') return;
    const slot = this.#slotOrPrefabRecord(eid);
    const o = this.#map.offsets[slot];
    const views = heapViews(this.#heap);
    const values = data as Record<string, unknown>;
    for (const field of this.#layout.fields) {
      const value = values[field.name];
      if (value !== undefined) writeField(views, field.type, o + field.byteOffset, Number(value));
    }
  }

  #zeros(): RecordData<S> {
    const out: Record<string, number> = {};
    for (const field of this.#layout.fields) out[field.name] = 0;
    return out as RecordData<S>;
  }

  #readField(field: number, eid: number): number {
    if (!hasComponent(this.#world, eid, this)) return 0;
    const slot = this.#map.find(eid & this.#idMask);
    if (slot < 0) return 0;
    const f = this.#layout.fields[field];
    return readField(heapViews(this.#heap), f.type, this.#map.offsets[slot] + f.byteOffset);
  }

  #writeField(field: number, eid: number, value: number): void {
    if (!hasComponent(this.#world, eid, this)) return;
    const slot = this.#slotOrPrefabRecord(eid);
    const f = this.#layout.fields[field];
    writeField(heapViews(this.#heap), f.type, this.#map.offsets[slot] + f.byteOffset, value);
  }
}

/**
 * Creates a bitECS 0.4 component bound to `options.world` whose records live in `heap`. Use it as
 * any component: `addComponent(world, eid, C)`, `set(C, { x: 1 })`, queries, prefabs, serializers.
 */
export function slabComponent<S extends Schema>(heap: SlabHeap, schema: S, options: SlabComponentOptions): SlabComponent<S> {
  return new SlabComponentStore(heap, schema, options) as SlabComponent<S>;
}
