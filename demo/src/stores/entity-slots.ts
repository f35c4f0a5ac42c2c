import { addEntity, type World } from 'bitecs';

/**
 * The entity side shared by both bitECS modes (so they differ only in component storage).
 *
 * Pooled entities: bitECS 0.4 allocates on every addEntity/removeEntity (a Set per entity, removal
 * queues), and a Set per entity lives as long as the particle, which is the costly kind of garbage.
 * A dead particle's entity keeps its id and goes back to this pool; spawning takes it out again and
 * adds the particle component, so entity churn becomes component churn (measured in README.md).
 *
 * Dense slot list: `eidAt[slot]` is the entity drawn by sprite slot `slot`. Systems walk this list
 * instead of `query()`: a query over the churning component pays for bitECS's deferred-removal
 * bookkeeping (its `toRemove` sparse array is emptied and regrown every frame) and rehashes its terms
 * per call. Walking slots also keeps sprite swap-removal O(1).
 */
export class EntitySlots {
  /** Entity id per sprite slot. */
  eidAt: Uint32Array;
  count = 0;
  private free: Uint32Array;
  private freeTop = 0;

  constructor(private readonly world: World) {
    this.eidAt = new Uint32Array(1024);
    this.free = new Uint32Array(1024);
  }

  /** An entity id for a new particle: a pooled one, or a new entity when the pool is empty. */
  acquire(): number {
    return this.freeTop > 0 ? this.free[--this.freeTop] : addEntity(this.world);
  }

  /** Returns a dead particle's entity to the pool (the caller removed its particle component). */
  release(eid: number): void {
    if (this.freeTop === this.free.length) this.free = grow(this.free, this.free.length * 2);
    this.free[this.freeTop++] = eid;
  }

  /** Appends `eid` as the owner of the next sprite slot (which must equal `count`). */
  push(eid: number): void {
    if (this.count === this.eidAt.length) this.eidAt = grow(this.eidAt, this.eidAt.length * 2);
    this.eidAt[this.count++] = eid;
  }

  /** Mirrors a sprite swap-removal: the owner of `movedFrom` (the last slot) now owns `slot`. */
  swapRemove(slot: number): void {
    const last = --this.count;
    if (slot !== last) this.eidAt[slot] = this.eidAt[last];
  }

  /** Pooled entity ids (for teardown). */
  pooled(): Uint32Array {
    return this.free.subarray(0, this.freeTop);
  }
}

function grow(a: Uint32Array, length: number): Uint32Array {
  const b = new Uint32Array(length);
  b.set(a);
  return b;
}
