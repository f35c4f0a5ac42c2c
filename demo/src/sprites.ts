import { Particle, ParticleContainer, Texture } from 'pixi.js';
import type { SpriteSink } from './stores/store.js';

/**
 * The Pixi side of the particles, shared by every storage mode so the modes differ only in where the
 * simulation state lives.
 *
 * Sprites are `Particle`s in one `ParticleContainer`, managed through `particleChildren` directly:
 * `removeParticle` is O(n) (indexOf + splice), so a dying particle is swap-removed here (the last
 * sprite moves into its slot) and `update()` is called once per frame. Sprite objects are pooled, so
 * no mode pays for Pixi garbage.
 */
/** The dot texture is 16 px; drawn at 10 px, thousands of particles stay distinct. */
const SPRITE_SCALE = 0.625;

export class ParticleSprites implements SpriteSink {
  readonly container: ParticleContainer<Particle>;
  private readonly children: Particle[];
  private readonly pool: Particle[] = [];
  private readonly texture: Texture;
  private dirty = false;
  /** False: `set` does nothing (benchmark mode `?sync=0`, with drawing off). */
  sync = true;

  constructor(texture: Texture) {
    this.texture = texture;
    this.container = new ParticleContainer<Particle>({
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
    const p = this.pool.length > 0 ? (this.pool.pop() as Particle) : this.create();
    p.x = x;
    p.y = y;
    p.color = color;
    this.dirty = true;
    return this.children.push(p) - 1;
  }

  /**
   * Swap-remove: the last sprite moves into `slot`. Returns the slot the moved sprite came from (the
   * caller re-points its owner at `slot`), or -1 when `slot` was the last one.
   */
  removeAt(slot: number): number {
    const children = this.children;
    const last = children.length - 1;
    const gone = children[slot];
    const moved = last === slot ? -1 : last;
    if (moved >= 0) children[slot] = children[last];
    children.pop();
    this.pool.push(gone);
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

  private create(): Particle {
    return new Particle({ texture: this.texture, anchorX: 0.5, anchorY: 0.5, scaleX: SPRITE_SCALE, scaleY: SPRITE_SCALE });
  }
}
