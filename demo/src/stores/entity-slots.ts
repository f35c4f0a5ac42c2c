import { addEntity, type World } from 'bitecs';
import { withRoom } from './store.js';

/**
 * The entity side shared by both bitECS modes (so they differ only in component storage).
 *
 * Pooled entities: bitECS 0.4 allocates on every addEntity/removeEntity (a Set per entity, removal
 * queues) and on every addComponent/removeComponent. A dead particle's entity goes back to this
 * pool with its particle component; spawning takes it out again, so after warm-up a particle's
 * life makes no bitECS call at all (measured in README.md). Only a fresh entity gets the component.
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

  /** True when the last acquire() made a new entity (which needs the particle component added). */
  acquiredNew = false;

  /** An entity id for a new particle: a pooled one (which still has its components), or a new entity. */
  acquire(): number {
    this.acquiredNew = this.freeTop === 0;
    return this.acquiredNew ? addEntity(this.world) : this.free[--this.freeTop];
  }

  /** Returns a dead particle's entity to the pool, components and all. */
  release(eid: number): void {
    this.free = withRoom(this.free, this.freeTop + 1);
    this.free[this.freeTop++] = eid;
  }

  /** Appends `eid` as the owner of the next sprite slot (which must equal `count`). */
  push(eid: number): void {
    this.eidAt = withRoom(this.eidAt, this.count + 1);
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
