import { addComponent, createWorld, deleteWorld, type World } from 'bitecs';
import { MAX_PARTICLES, type StorageMode } from '../settings.js';
import { packColor, rgbToBgr } from '../colors.js';
import { EntitySlots } from './entity-slots.js';
import { fadeAlpha, fading, GRAVITY, LAUNCH_VX, LAUNCH_VY, nextBurstColor, nextLaunch, startBurst, withRoom, type ParticleStore, type SpriteSink } from './store.js';

/** bitECS's native layout: one typed array per field, indexed by entity id (structure of arrays). */
interface NativeParticle {
  x: Float32Array;
  y: Float32Array;
  vx: Float32Array;
  vy: Float32Array;
  /** age | life << 16, frames: one load and one store per particle (as in the other modes). */
  ageLife: Uint32Array;
  bgr: Uint32Array;
}

function nativeParticle(capacity: number): NativeParticle {
  return {
    x: new Float32Array(capacity),
    y: new Float32Array(capacity),
    vx: new Float32Array(capacity),
    vy: new Float32Array(capacity),
    ageLife: new Uint32Array(capacity),
    bgr: new Uint32Array(capacity),
  };
}

/**
 * bitECS 0.4 with its usual storage: typed arrays sized to the largest entity id. Allocation-free
 * per particle once the arrays are large enough, but the arrays follow the highest id ever used and
 * never give memory back. Entities are pooled exactly as in tslab mode (see entity-slots.ts).
 */
export class BitecsStore implements ParticleStore {
  readonly mode: StorageMode = 'bitecs';
  readonly heap = null;
  readonly frames = null;
  private readonly world: World;
  private readonly slots: EntitySlots;
  /** The component object itself is bitECS's key; its arrays are replaced (same object) when they grow. */
  private readonly P: NativeParticle;
  /** Slots of the particles that died this frame. */
  private dead = new Int32Array(1024);
  private capacity = 1 << 16;

  constructor(private readonly sprites: SpriteSink) {
    this.world = createWorld();
    this.slots = new EntitySlots(this.world);
    this.P = nativeParticle(this.capacity);
  }

  get count(): number {
    return this.slots.count;
  }

  spawn(n: number, x: number, y: number, life: number): number {
    const room = Math.max(0, Math.min(n, MAX_PARTICLES - this.slots.count));
    const bgr = rgbToBgr(nextBurstColor());
    startBurst();
    const { world, slots, P } = this;
    for (let i = 0; i < room; i++) {
      const eid = slots.acquire();
      if (eid >= this.capacity) this.grow(eid + 1);
      if (slots.acquiredNew) addComponent(world, eid, P); // a pooled entity still has P
      const k = nextLaunch();
      P.x[eid] = x;
      P.y[eid] = y;
      P.vx[eid] = LAUNCH_VX[k];
      P.vy[eid] = LAUNCH_VY[k];
      P.ageLife[eid] = life << 16;
      P.bgr[eid] = bgr;
      this.sprites.add(x, y, packColor(bgr, 255));
      slots.push(eid);
    }
    return room;
  }

  update(): void {
    const { slots, sprites, P } = this;
    const { x, y, vx, vy, ageLife, bgr } = P;
    const n = slots.count;
    const dead = (this.dead = withRoom(this.dead, n));
    // The sprite arrays, read once: nothing in this update adds a sprite, so they stay the same.
    const { x: sx, y: sy, color: sc, sync } = sprites;
    let deaths = 0;
    // Two passes, as in every mode (see stepRecords in particle-record.ts): move and list the dead,
    // then remove.
    const eidAt = slots.eidAt;
    for (let i = 0; i < n; i++) {
      const eid = eidAt[i];
      const al = ageLife[eid];
      const a = (al & 0xffff) + 1;
      const l = al >>> 16;
      if (a >= l) {
        dead[deaths++] = i;
        continue;
      }
      ageLife[eid] = (l << 16) | a;
      const nvy = vy[eid] + GRAVITY;
      vy[eid] = nvy;
      const nx = x[eid] + vx[eid];
      const ny = y[eid] + nvy;
      x[eid] = nx;
      y[eid] = ny;
      if (sync) {
        sx[i] = nx;
        sy[i] = ny;
        if (fading(a, l)) sc[i] = packColor(bgr[eid], fadeAlpha(a, l));
      }
    }
    // Highest slot first: a swap-remove then always moves a live particle into the hole.
    for (let d = deaths - 1; d >= 0; d--) {
      const i = dead[d];
      slots.release(slots.eidAt[i]); // back to the pool, P kept
      sprites.removeAt(i);
      slots.swapRemove(i);
    }
    sprites.commit();
  }

  endFrame(): void {}

  destroy(): void {
    this.sprites.clear();
    this.sprites.commit();
    deleteWorld(this.world);
  }

  private grow(minimum: number): void {
    let capacity = this.capacity;
    while (capacity < minimum) capacity *= 2;
    const P = this.P;
    P.x = grown(P.x, new Float32Array(capacity));
    P.y = grown(P.y, new Float32Array(capacity));
    P.vx = grown(P.vx, new Float32Array(capacity));
    P.vy = grown(P.vy, new Float32Array(capacity));
    P.ageLife = grown(P.ageLife, new Uint32Array(capacity));
    P.bgr = grown(P.bgr, new Uint32Array(capacity));
    this.capacity = capacity;
  }
}

function grown<T extends { set(from: ArrayLike<number>): void }>(old: ArrayLike<number>, next: T): T {
  next.set(old);
  return next;
}
