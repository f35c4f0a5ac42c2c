import { heapViews, layoutRecord, slabComponent, type SlabComponent } from '@tslab/bitecs';
import type { SlabAllocator } from '@tslab/core';
import type { FrameEpochs } from '@tslab/frame';
import { addComponent, createWorld, deleteWorld, type World } from 'bitecs';
import { MAX_PARTICLES, type StorageMode } from '../settings.js';
import { packColor, rgbToBgr } from '../colors.js';
import { EntitySlots } from './entity-slots.js';
import { createTslabHeap, type TslabHeapOptions } from './tslab-heap.js';
import { fadeAlpha, GRAVITY, LAUNCH_VX, LAUNCH_VY, nextBurstColor, nextLaunch, startBurst, withRoom, type ParticleStore, type SpriteSink } from './store.js';

/** ageLife is age | life << 16 (frames): one load and one store per particle, as in every mode. */
const PARTICLE_SCHEMA = { x: 'f32', y: 'f32', vx: 'f32', vy: 'f32', ageLife: 'u32', bgr: 'u32' } as const;
type ParticleSchema = typeof PARTICLE_SCHEMA;

/*
 * Field positions inside a record, in 4-byte words (every field is an f32 or a u32), as module
 * constants: a loop then computes a record's word index once (o >> 2) instead of shifting every
 * field's byte offset (records mode: about 5% of the update in Chromium), and V8 compiles module
 * constants into the loop, where offsets read from the store's properties each cost a register and
 * an add per access (the paired page in Chromium, two rounds: frame p50 5.89-5.98 against 6.39-6.52
 * ms). The component's `fields` are this same layout (checked in the constructor).
 */
const LAYOUT = layoutRecord(PARTICLE_SCHEMA).byteOffsets as Readonly<Record<keyof ParticleSchema, number>>;
const WX = LAYOUT.x >> 2;
const WY = LAYOUT.y >> 2;
const WVX = LAYOUT.vx >> 2;
const WVY = LAYOUT.vy >> 2;
const WAGE_LIFE = LAYOUT.ageLife >> 2;
const WBGR = LAYOUT.bgr >> 2;

/**
 * Particle records in tslab slabs through @tslab/bitecs: each particle is a bitECS entity whose
 * `Particle` component record is allocated in the current frame epoch when it spawns and retired
 * when it dies (freed at the frame's `tick()`, so a record is never reused while bitECS could still
 * see the dead entity). Entities are pooled with their component: a death is `releaseRecord`, a
 * spawn on a pooled entity `renewRecord`, so bitECS itself does no work per particle. Epochs
 * advance every `cadence` frames and the previous one is closed; it drains as its particles die,
 * and its slabs go back to the heap.
 *
 * The update loop reads each record's offset from an array kept beside the slot list (filled at
 * spawn from `P.offsetOf`) and fields through the heap's typed views (re-read once per frame, after
 * spawning, because allocation may replace them).
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
   * Record byte offset per sprite slot, kept beside `slots.eidAt` (records never move, so the offset
   * read once at spawn stays valid): the update loop reads one array instead of the eid map.
   */
  private offsetAt = new Int32Array(1024);

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
    for (const name of Object.keys(PARTICLE_SCHEMA) as (keyof ParticleSchema)[]) {
      if (this.P.fields[name] !== LAYOUT[name]) throw new Error(`TslabStore: field ${name} is at byte ${this.P.fields[name]}, not ${LAYOUT[name]}`);
    }
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
    const offsetAt = (this.offsetAt = withRoom(this.offsetAt, first + room));
    // Pass 1 gives each particle an entity and a fresh zero-filled record in the frame epoch. Pooled
    // entities come first (acquire empties the pool before it makes entities) and still have the
    // component: one renewRecords call renews their records from one allocMany (no bitECS call, no
    // call per record). Only a new entity needs addComponent.
    let pooled = 0;
    for (let i = 0; i < room; i++) {
      const eid = slots.acquire();
      if (slots.acquiredNew) {
        addComponent(world, eid, P);
        offsetAt[first + i] = P.offsetOf(eid);
      } else {
        pooled++;
      }
      slots.push(eid);
      sprites.add(x, y, packColor(bgr, 255));
    }
    if (pooled > 0 && P.renewRecords(slots.eidAt, first, pooled, offsetAt, first) < pooled) {
      throw new Error('TslabStore: the heap has no room for the burst'); // as addComponent would
    }
    // Pass 2 writes the records through views read once, after every allocation of the burst (an
    // allocation may replace them), in a loop that makes no call.
    const v = heapViews(this.heap);
    const f32 = v.f32;
    const u32 = v.u32;
    for (let i = first; i < first + room; i++) {
      const o = offsetAt[i];
      const w = o >> 2;
      const k = nextLaunch();
      f32[w + WX] = x;
      f32[w + WY] = y;
      f32[w + WVX] = LAUNCH_VX[k];
      f32[w + WVY] = LAUNCH_VY[k];
      u32[w + WAGE_LIFE] = life << 16;
      u32[w + WBGR] = bgr;
    }
    return room;
  }

  update(): void {
    const { slots, sprites, P } = this;
    // The views are stable for the whole update: removing a component (retire) never replaces
    // them; only allocation and tick() do.
    const v = heapViews(this.heap);
    const f32 = v.f32;
    const u32 = v.u32;
    const offsetAt = this.offsetAt;
    const n = slots.count;
    const dead = (this.dead = withRoom(this.dead, n));
    // The sprite arrays, read once: nothing in this update adds a sprite, so they stay the same.
    const { x: sx, y: sy, color: sc, sync } = sprites;
    let deaths = 0;
    // Two passes, as in every mode (see TslabRawStore.update): move and list the dead, then remove.
    for (let i = 0; i < n; i++) {
      const o = offsetAt[i];
      const w = o >> 2;
      const al = u32[w + WAGE_LIFE];
      const a = (al & 0xffff) + 1;
      const l = al >>> 16;
      if (a >= l) {
        dead[deaths++] = i;
        continue;
      }
      u32[w + WAGE_LIFE] = (l << 16) | a;
      const nvy = f32[w + WVY] + GRAVITY;
      f32[w + WVY] = nvy;
      const nx = f32[w + WX] + f32[w + WVX];
      const ny = f32[w + WY] + nvy;
      f32[w + WX] = nx;
      f32[w + WY] = ny;
      if (sync) {
        sx[i] = nx;
        sy[i] = ny;
        sc[i] = packColor(u32[w + WBGR], fadeAlpha(a, l));
      }
    }
    // Highest slot first: a swap-remove then always moves a live particle into the hole.
    for (let d = deaths - 1; d >= 0; d--) {
      const i = dead[d];
      const eid = slots.eidAt[i];
      P.releaseRecord(eid); // retires the record (freed at this frame's tick()); the entity keeps P
      slots.release(eid);
      sprites.removeAt(i);
      offsetAt[i] = offsetAt[slots.count - 1];
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
