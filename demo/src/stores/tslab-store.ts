import { heapViews, slabComponent, type SlabComponent } from '@tslab/bitecs';
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
  /*
   * Field positions inside a record, in 4-byte words (every field is an f32 or a u32). A loop then
   * computes a record's word index once (o >> 2) instead of shifting every field's byte offset
   * (records mode: about 5% of the update in Chromium).
   */
  private readonly wx: number;
  private readonly wy: number;
  private readonly wvx: number;
  private readonly wvy: number;
  private readonly wageLife: number;
  private readonly wbgr: number;

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
    this.wx = f.x >> 2;
    this.wy = f.y >> 2;
    this.wvx = f.vx >> 2;
    this.wvy = f.vy >> 2;
    this.wageLife = f.ageLife >> 2;
    this.wbgr = f.bgr >> 2;
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
    const u32 = v.u32;
    const { wx, wy, wvx, wvy, wageLife, wbgr } = this;
    for (let i = first; i < first + room; i++) {
      const o = offsetAt[i];
      const w = o >> 2;
      const k = nextLaunch();
      f32[w + wx] = x;
      f32[w + wy] = y;
      f32[w + wvx] = LAUNCH_VX[k];
      f32[w + wvy] = LAUNCH_VY[k];
      u32[w + wageLife] = life << 16;
      u32[w + wbgr] = bgr;
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
    const { wx, wy, wvx, wvy, wageLife, wbgr } = this;
    const n = slots.count;
    const dead = (this.dead = withRoom(this.dead, n));
    // The sprite arrays, read once: nothing in this update adds a sprite, so they stay the same.
    const { x: sx, y: sy, color: sc, sync } = sprites;
    let deaths = 0;
    // Two passes, as in every mode (see TslabRawStore.update): move and list the dead, then remove.
    for (let i = 0; i < n; i++) {
      const o = offsetAt[i];
      const w = o >> 2;
      const al = u32[w + wageLife];
      const a = (al & 0xffff) + 1;
      const l = al >>> 16;
      if (a >= l) {
        dead[deaths++] = i;
        continue;
      }
      u32[w + wageLife] = (l << 16) | a;
      const nvy = f32[w + wvy] + GRAVITY;
      f32[w + wvy] = nvy;
      const nx = f32[w + wx] + f32[w + wvx];
      const ny = f32[w + wy] + nvy;
      f32[w + wx] = nx;
      f32[w + wy] = ny;
      if (sync) {
        sx[i] = nx;
        sy[i] = ny;
        sc[i] = packColor(u32[w + wbgr], fadeAlpha(a, l));
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
