import { ParticleContainer, type IParticle, type Texture } from 'pixi.js';
import { ArraySprites } from './stores/array-sprites.js';
import type { SpriteFrameSink } from './stores/store.js';

/**
 * The Pixi side of the particles, shared by every storage mode so the modes differ only in where the
 * simulation state lives.
 *
 * Sprites live in one `ParticleContainer`, managed through `particleChildren` directly:
 * `removeParticle` is O(n) (indexOf + splice), so a dying particle is swap-removed here and
 * `update()` is called once per frame.
 *
 * Every mode writes 295k sprites a frame, so what a sprite write costs is a cost all modes share.
 * The sprite objects Pixi reads hold no position or colour of their own: those live in three typed
 * arrays indexed by slot (x, y, colour) that the stores write directly, and each `SpriteParticle`
 * reads its slot through getters, which V8 inlines into the loop Pixi generates to fill its vertex
 * buffer. Measured in Chromium over 295k particles (records mode, two sinks alternating frames in
 * one page), a frame's sprite writes took about 1.4 ms as typed-array stores against 3.4 ms as
 * fields of the objects: x, y and colour are doubles, which V8 keeps in a box beside each object,
 * wherever the heap put it. Slot `i` always holds the same object, made once, so no mode pays for
 * Pixi garbage.
 */
/** The dot texture is 16 px; drawn at 10 px, thousands of particles stay distinct. */
const SPRITE_SCALE = 0.625;

/**
 * Pixi's particle interface over slot `slot` of the sprites' arrays. The fixed fields are declared
 * in the constructor, so they live inside the object.
 */
export class SpriteParticle implements IParticle {
  scaleX = SPRITE_SCALE;
  scaleY = SPRITE_SCALE;
  anchorX = 0.5;
  anchorY = 0.5;
  rotation = 0;
  texture: Texture;

  constructor(
    texture: Texture,
    private readonly owner: ParticleSprites,
    readonly slot: number,
  ) {
    this.texture = texture;
  }

  get x(): number {
    return this.owner.x[this.slot];
  }

  set x(value: number) {
    this.owner.x[this.slot] = value;
  }

  get y(): number {
    return this.owner.y[this.slot];
  }

  set y(value: number) {
    this.owner.y[this.slot] = value;
  }

  get color(): number {
    return this.owner.color[this.slot];
  }

  set color(value: number) {
    this.owner.color[this.slot] = value;
  }
}

/** The page's sprites: the per-slot arrays of ArraySprites, read by one Pixi object per slot. */
export class ParticleSprites extends ArraySprites implements SpriteFrameSink {
  readonly container: ParticleContainer<SpriteParticle>;
  /** particleChildren: always the first `count` entries of `all`. */
  private readonly children: SpriteParticle[];
  /** Every sprite object made so far, `all[i]` for slot i. */
  private readonly all: SpriteParticle[] = [];
  private readonly texture: Texture;
  private dirty = false;

  constructor(texture: Texture) {
    super();
    this.texture = texture;
    this.container = new ParticleContainer<SpriteParticle>({
      texture,
      dynamicProperties: { position: true, color: true, vertex: false, rotation: false, uvs: false },
    });
    this.children = this.container.particleChildren;
  }

  /** Adds a sprite at the end; returns its slot (= the index in particleChildren). */
  override add(x: number, y: number, color: number): number {
    const slot = super.add(x, y, color);
    this.children.push(this.spriteAt(slot));
    this.dirty = true;
    return slot;
  }

  /** Swap-remove of the data (the objects stay put, each on its slot). */
  override removeAt(slot: number): number {
    const moved = super.removeAt(slot);
    this.children.pop();
    this.dirty = true;
    return moved;
  }

  copyFrom(x: Float32Array, y: Float32Array, color: Uint32Array, count: number): void {
    if (count > this.x.length) this.grow(Math.max(count, this.x.length * 2));
    const children = this.children;
    if (this.n !== count) {
      while (children.length < count) children.push(this.spriteAt(children.length));
      children.length = count;
      this.n = count;
      this.dirty = true;
    }
    if (!this.sync) return;
    this.x.set(x.subarray(0, count));
    this.y.set(y.subarray(0, count));
    this.color.set(color.subarray(0, count));
  }

  /** Once per frame: tells the container its children changed (static attributes re-upload). */
  override commit(): void {
    if (this.dirty) {
      this.container.update();
      this.dirty = false;
    }
  }

  /** Removes every sprite (the objects stay, for reuse). */
  override clear(): void {
    super.clear();
    this.children.length = 0;
    this.dirty = true;
  }

  private spriteAt(slot: number): SpriteParticle {
    if (slot < this.all.length) return this.all[slot];
    const sprite = new SpriteParticle(this.texture, this, slot);
    this.all.push(sprite);
    return sprite;
  }
}
