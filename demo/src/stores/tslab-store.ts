import { heapViews, slabComponent, type SlabComponent } from '@tslab/bitecs';
import type { SlabAllocator } from '@tslab/core';
import type { FrameEpochs } from '@tslab/frame';
import { addComponent, createWorld, deleteWorld, type World } from 'bitecs';
import { MAX_PARTICLES, type StorageMode } from '../settings.js';
import { packColor, rgbToBgr } from '../colors.js';
import { EntitySlots } from './entity-slots.js';
import { createTslabHeap, type TslabHeapOptions } from './tslab-heap.js';
import { launchRecords, RECORD_BYTES, RECORD_WORDS, stepRecords } from './particle-record.js';
import { nextBurstColor, startBurst, withRoom, type ParticleStore, type SpriteSink } from './store.js';

/** The fields of particle-record.ts's record, which the constructor checks the component's layout against. */
const PARTICLE_SCHEMA = { x: 'f32', y: 'f32', vx: 'f32', vy: 'f32', ageLife: 'u32', bgr: 'u32' } as const;
type ParticleSchema = typeof PARTICLE_SCHEMA;

/**
 * Particle records in tslab slabs through @tslab/bitecs: each particle is a bitECS entity whose
 * `Particle` component record is allocated in the current frame epoch when it spawns and retired
 * when it dies (freed at the frame's `tick()`, so a record is never reused while bitECS could still
 * see the dead entity). Entities are pooled with their component: a death is `releaseRecord`, a
 * spawn on a pooled entity `renewRecord`, so bitECS itself does no work per particle. Epochs
 * advance every `cadence` frames and the previous one is closed; it drains as its particles die,
 * and its slabs go back to the heap.
 *
 * The update loop reads each record's word index from an array kept beside the slot list (filled at
 * spawn from `P.offsetOf` / `renewRecords`) and fields through the heap's typed views (re-read once
 * per frame, after spawning, because allocation may replace them): the same loop as the records
 * mode's (particle-record.ts).
 */
export class TslabStore implements ParticleStore {
  readonly mode: StorageMode = 'tslab';
  readonly heap: SlabAllocator;
  readonly frames: FrameEpochs;
  private readonly world: World;
  private readonly slots: EntitySlots;
  private readonly P: SlabComponent<ParticleSchema>;
  /** Slots of the particles that died this frame. */
  private dead = new Int32Array(1024);
  /**
   * Record word index (byte offset / 4) per sprite slot, kept beside `slots.eidAt` (records never
   * move, so the index taken at spawn stays valid): the update loop reads one array instead of the
   * eid map.
   */
  private wordAt = new Int32Array(1024);

  constructor(
    private readonly sprites: SpriteSink,
    options: TslabHeapOptions,
  ) {
    const { heap, frames } = createTslabHeap(options);
    this.heap = heap;
    this.frames = frames;
    this.world = createWorld();
    this.slots = new EntitySlots(this.world);
    this.P = slabComponent(this.heap, PARTICLE_SCHEMA, { world: this.world, frames: this.frames });
    // The shared record loops address fields at fixed words: the component's layout must be theirs.
    for (const name of Object.keys(RECORD_WORDS) as (keyof ParticleSchema)[]) {
      const at = this.P.fields[name];
      if (at !== RECORD_WORDS[name] * 4) throw new Error(`TslabStore: field ${name} is at byte ${at}, not ${RECORD_WORDS[name] * 4}`);
    }
    if (this.P.recordBytes !== RECORD_BYTES) throw new Error(`TslabStore: records are ${this.P.recordBytes} bytes, not ${RECORD_BYTES}`);
  }

  get count(): number {
    return this.slots.count;
  }

  spawn(n: number, x: number, y: number, life: number): number {
    const room = Math.max(0, Math.min(n, MAX_PARTICLES - this.slots.count));
    const bgr = rgbToBgr(nextBurstColor());
    startBurst();
    const { world, slots, P, sprites } = this;
    const first = slots.count;
    // Byte offsets first (what offsetOf and renewRecords give), made word indices in pass 2.
    const wordAt = (this.wordAt = withRoom(this.wordAt, first + room));
    // Pass 1 gives each particle an entity and a fresh zero-filled record in the frame epoch. Pooled
    // entities come first (acquire empties the pool before it makes entities) and still have the
    // component: one renewRecords call renews their records from one allocMany (no bitECS call, no
    // call per record). Only a new entity needs addComponent.
    let pooled = 0;
    for (let i = 0; i < room; i++) {
      const eid = slots.acquire();
      if (slots.acquiredNew) {
        addComponent(world, eid, P);
        wordAt[first + i] = P.offsetOf(eid);
      } else {
        pooled++;
      }
      slots.push(eid);
      sprites.add(x, y, packColor(bgr, 255));
    }
    if (pooled > 0 && P.renewRecords(slots.eidAt, first, pooled, wordAt, first) < pooled) {
      throw new Error('TslabStore: the heap has no room for the burst'); // as addComponent would
    }
    // Pass 2 writes the records through views read once, after every allocation of the burst (an
    // allocation may replace them), in loops that make no call.
    for (let i = first; i < first + room; i++) wordAt[i] >>= 2;
    const v = heapViews(this.heap);
    launchRecords(v.f32, v.u32, wordAt, first, first + room, x, y, life, bgr);
    return room;
  }

  update(): void {
    const { slots, sprites, P } = this;
    // The views are stable for the whole update: removing a component (retire) never replaces
    // them; only allocation and tick() do.
    const v = heapViews(this.heap);
    const wordAt = this.wordAt;
    const n = slots.count;
    const dead = (this.dead = withRoom(this.dead, n));
    // Two passes, as in every mode: move and list the dead, then remove.
    const deaths = stepRecords(v.f32, v.u32, wordAt, n, dead, sprites);
    // Highest slot first: a swap-remove then always moves a live particle into the hole.
    for (let d = deaths - 1; d >= 0; d--) {
      const i = dead[d];
      const eid = slots.eidAt[i];
      P.releaseRecord(eid); // retires the record (freed at this frame's tick()); the entity keeps P
      slots.release(eid);
      sprites.removeAt(i);
      wordAt[i] = wordAt[slots.count - 1];
      slots.swapRemove(i);
    }
    sprites.commit();
  }

  endFrame(): void {
    this.frames.tick();
  }

  destroy(): void {
    this.sprites.clear();
    this.sprites.commit();
    this.P.dispose(); // retires every record
    this.frames.dispose(); // frees what was retired
    this.heap.check();
    deleteWorld(this.world);
  }
}
