import { heapViews, slabComponent, type SlabComponent } from '@tslab/bitecs';
import type { SlabAllocator } from '@tslab/core';
import type { FrameEpochs } from '@tslab/frame';
import { addComponent, createWorld, deleteWorld, type World } from 'bitecs';
import { MAX_PARTICLES, type StorageMode } from '../settings.js';
import { packColor, rgbToBgr } from '../colors.js';
import { EntitySlots } from './entity-slots.js';
import { createTslabHeap, type TslabHeapOptions } from './tslab-heap.js';
import { fadeAlpha, GRAVITY, LAUNCH_VX, LAUNCH_VY, nextBurstColor, nextLaunch, startBurst, withRoom, type ParticleStore, type SpriteSink } from './store.js';

const PARTICLE_SCHEMA = { x: 'f32', y: 'f32', vx: 'f32', vy: 'f32', age: 'u16', life: 'u16', bgr: 'u32' } as const;
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
  /** Field byte offsets inside a record. */
  private readonly fx: number;
  private readonly fy: number;
  private readonly fvx: number;
  private readonly fvy: number;
  private readonly fage: number;
  private readonly flife: number;
  private readonly fbgr: number;

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
    const f = this.P.fields;
    this.fx = f.x;
    this.fy = f.y;
    this.fvx = f.vx;
    this.fvy = f.vy;
    this.fage = f.age;
    this.flife = f.life;
    this.fbgr = f.bgr;
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
    // Pass 1 gives each particle an entity and a fresh zero-filled record in the frame epoch:
    // through addComponent for a new entity, or renewRecord for a pooled one, which still has the
    // component (no bitECS call).
    for (let i = 0; i < room; i++) {
      const eid = slots.acquire();
      if (slots.acquiredNew) {
        addComponent(world, eid, P);
        offsetAt[first + i] = P.offsetOf(eid);
      } else {
        offsetAt[first + i] = P.renewRecord(eid);
      }
      slots.push(eid);
      sprites.add(x, y, packColor(bgr, 255));
    }
    // Pass 2 writes the records through views read once, after every allocation of the burst (an
    // allocation may replace them), in a loop that makes no call.
    const v = heapViews(this.heap);
    const f32 = v.f32;
    const u16 = v.u16;
    const u32 = v.u32;
    const { fx, fy, fvx, fvy, flife, fbgr } = this;
    for (let i = first; i < first + room; i++) {
      const o = offsetAt[i];
      const k = nextLaunch();
      f32[(o + fx) >> 2] = x;
      f32[(o + fy) >> 2] = y;
      f32[(o + fvx) >> 2] = LAUNCH_VX[k];
      f32[(o + fvy) >> 2] = LAUNCH_VY[k];
      u16[(o + flife) >> 1] = life;
      u32[(o + fbgr) >> 2] = bgr;
    }
    return room;
  }

  update(): void {
    const { slots, sprites, P } = this;
    // The views are stable for the whole update: removing a component (retire) never replaces
    // them; only allocation and tick() do.
    const v = heapViews(this.heap);
    const f32 = v.f32;
    const u16 = v.u16;
    const u32 = v.u32;
    const offsetAt = this.offsetAt;
    const { fx, fy, fvx, fvy, fage, flife, fbgr } = this;
    const n = slots.count;
    const dead = (this.dead = withRoom(this.dead, n));
    let deaths = 0;
    // Two passes, as in every mode (see TslabRawStore.update): move and list the dead, then remove.
    for (let i = 0; i < n; i++) {
      const o = offsetAt[i];
      const a = u16[(o + fage) >> 1] + 1;
      const l = u16[(o + flife) >> 1];
      if (a >= l) {
        dead[deaths++] = i;
        continue;
      }
      u16[(o + fage) >> 1] = a;
      const iy = (o + fvy) >> 2;
      const nvy = f32[iy] + GRAVITY;
      f32[iy] = nvy;
      const ix = (o + fx) >> 2;
      const iyy = (o + fy) >> 2;
      const nx = f32[ix] + f32[(o + fvx) >> 2];
      const ny = f32[iyy] + nvy;
      f32[ix] = nx;
      f32[iyy] = ny;
      sprites.set(i, nx, ny, packColor(u32[(o + fbgr) >> 2], fadeAlpha(a, l)));
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
