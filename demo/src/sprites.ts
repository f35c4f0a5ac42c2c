import { ParticleContainer, type IParticle, type Texture } from 'pixi.js';
import type { SpriteSink } from './stores/store.js';

/**
 * The Pixi side of the particles, shared by every storage mode so the modes differ only in where the
 * simulation state lives.
 *
 * Sprites live in one `ParticleContainer`, managed through `particleChildren` directly:
 * `removeParticle` is O(n) (indexOf + splice), so a dying particle is swap-removed here and
 * `update()` is called once per frame. Sprite objects are pooled, so no mode pays for Pixi garbage.
 *
 * Every mode writes 300k sprites a frame, so how they sit in memory is a cost all modes share:
 * - a removal moves the last sprite's data into the hole, not the sprite object, so slot `i` keeps
 *   the same object for as long as it is in use. Slots are then walked in the order the objects
 *   were allocated; moving objects instead shuffled them, and the per-frame copy became a random
 *   walk over every sprite in the heap;
 * - sprites are `SpriteParticle`s, whose fields are all declared in the constructor and so live
 *   inside the object. Pixi's `Particle` assigns its options in a loop, which V8 cannot count
 *   ahead, so most of its fields go to a separate properties array: two places per write.
 */
/** The dot texture is 16 px; drawn at 10 px, thousands of particles stay distinct. */
const SPRITE_SCALE = 0.625;

/**
 * Pixi's particle interface with every field in the object (see above). x, y and color hold
 * doubles (color is 0xAABBGGRR, past the small-integer range), which V8 keeps in a box beside the
 * object; starting them at -0 (a double) makes the boxes from the constructor, next to the object,
 * instead of at the first non-integer write, wherever the heap then is.
 */
export class SpriteParticle implements IParticle {
  x = -0;
  y = -0;
  scaleX = SPRITE_SCALE;
  scaleY = SPRITE_SCALE;
  anchorX = 0.5;
  anchorY = 0.5;
  rotation = 0;
  color = 0xffffffff;
  texture: Texture;

  constructor(texture: Texture) {
    this.texture = texture;
  }
}

export class ParticleSprites implements SpriteSink {
  readonly container: ParticleContainer<SpriteParticle>;
  private readonly children: SpriteParticle[];
  private readonly pool: SpriteParticle[] = [];
  private readonly texture: Texture;
  private dirty = false;
  /** False: `set` does nothing (benchmark mode `?sync=0`, with drawing off). */
  sync = true;

  constructor(texture: Texture) {
    this.texture = texture;
    this.container = new ParticleContainer<SpriteParticle>({
      texture,
      dynamicProperties: { position: true, color: true, vertex: false, rotation: false, uvs: false },
    });
    this.children = this.container.particleChildren;
  }

  get count(): number {
    return this.children.length;
  }

  /** Adds a sprite at the end; returns its slot (= the index in particleChildren). */
  add(x: number, y: number, color: number): number {
    const p = this.pool.length > 0 ? (this.pool.pop() as SpriteParticle) : new SpriteParticle(this.texture);
    p.x = x;
    p.y = y;
    p.color = color;
    this.dirty = true;
    return this.children.push(p) - 1;
  }

  /**
   * Swap-remove: the last sprite's data moves into `slot` (the objects stay put, see above). Returns
   * the slot the data came from (the caller re-points its owner at `slot`), or -1 when `slot` was
   * the last one.
   */
  removeAt(slot: number): number {
    const children = this.children;
    const last = children.length - 1;
    const moved = last === slot ? -1 : last;
    if (moved >= 0) {
      const to = children[slot];
      const from = children[last];
      to.x = from.x;
      to.y = from.y;
      to.color = from.color;
    }
    this.pool.push(children.pop() as SpriteParticle);
    this.dirty = true;
    return moved;
  }

  /** Writes one sprite's position and colour (0xAABBGGRR, Pixi's packed particle colour). */
  set(slot: number, x: number, y: number, color: number): void {
    if (!this.sync) return;
    const p = this.children[slot];
    p.x = x;
    p.y = y;
    p.color = color;
  }

  /** Once per frame: tells the container its children changed (static attributes re-upload). */
  commit(): void {
    if (this.dirty) {
      this.container.update();
      this.dirty = false;
    }
  }

  /** Removes every sprite (into the pool). */
  clear(): void {
    const children = this.children;
    for (let i = children.length - 1; i >= 0; i--) this.pool.push(children[i]);
    children.length = 0;
    this.dirty = true;
  }
}
