import { EpochRingFullError } from './errors.js';
import { RING_FREE, RING_OPEN, RING_STATE_NAMES } from './layout.js';
import type { EpochId } from './types.js';

/**
 * The ring of epochs. Epoch e lives in ring slot e % slots, so finding it is one modulo. Ids only
 * grow: when the slot after the current id is busy (open, or still holding live objects) the ring
 * skips ids until it finds a free slot, so a slot is never reused while it holds live objects.
 */
export class EpochRing {
  readonly slots: number;
  readonly ids: Float64Array;
  readonly state: Uint8Array;
  readonly slabs: Int32Array;
  /** Value of `advances` when the epoch opened; age = advances - openedAt. */
  readonly openedAt: Float64Array;
  /** Index into the label registry, -1 for none. */
  readonly label: Int8Array;
  /** The next id to hand out; every id below it has existed (or was skipped) and is never reused. */
  nextId = 0;
  advances = 0;

  constructor(slots: number) {
    this.slots = slots;
    this.ids = new Float64Array(slots).fill(-1);
    this.state = new Uint8Array(slots);
    this.slabs = new Int32Array(slots);
    this.openedAt = new Float64Array(slots);
    this.label = new Int8Array(slots).fill(-1);
  }

  /** Ring slot of epoch `e` while it occupies one, else -1 (e is free or never existed). */
  ringOf(e: EpochId): number {
    const ring = e % this.slots;
    return this.ids[ring] === e && this.state[ring] !== RING_FREE ? ring : -1;
  }

  /** Opens a new epoch in a free slot; -1 when every slot is busy. */
  open(): number {
    for (let step = 0; step < this.slots; step++) {
      const id = this.nextId + step;
      const ring = id % this.slots;
      if (this.state[ring] !== RING_FREE) continue;
      this.nextId = id + 1;
      this.ids[ring] = id;
      this.state[ring] = RING_OPEN;
      this.slabs[ring] = 0;
      this.openedAt[ring] = this.advances;
      this.label[ring] = -1;
      return ring;
    }
    return -1;
  }

  /** Marks a drained closing/closed slot free (its id stays retired). */
  release(ring: number): void {
    this.state[ring] = RING_FREE;
    this.label[ring] = -1;
  }

  stateName(ring: number): (typeof RING_STATE_NAMES)[number] {
    return RING_STATE_NAMES[this.state[ring]];
  }

  fullError(liveOf: (ring: number) => number): EpochRingFullError {
    const busy: number[] = [];
    for (let r = 0; r < this.slots; r++) if (this.state[r] !== RING_FREE) busy.push(r);
    busy.sort((a, b) => this.ids[a] - this.ids[b]);
    const details = busy
      .map((r) => `epoch ${this.ids[r]} ${this.stateName(r)} with ${liveOf(r)} live, age ${this.advances - this.openedAt[r]}`)
      .join('; ');
    return new EpochRingFullError(busy.map((r) => this.ids[r]), details);
  }

  countIn(state: number): number {
    let n = 0;
    for (let r = 0; r < this.slots; r++) if (this.state[r] === state) n++;
    return n;
  }
}
