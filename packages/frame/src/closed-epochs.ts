import type { EpochId, SlabAllocator } from '@tslab/core';

/**
 * The epochs the adapter closed that still hold live objects, oldest first, with the frame at which
 * each was closed. Checked at every tick to report which drained (became free) and how long the
 * oldest has been pinned by long-lived objects. Fixed capacity: there can be no more closed epochs
 * than ring slots, so it never allocates after construction.
 */
export class ClosedEpochs {
  private readonly ids: Float64Array;
  private readonly closedAt: Float64Array;
  count = 0;

  constructor(capacity: number) {
    this.ids = new Float64Array(capacity);
    this.closedAt = new Float64Array(capacity);
  }

  add(epoch: EpochId, frame: number): void {
    if (this.count === this.ids.length) return; // cannot happen: at most one closed epoch per ring slot
    this.ids[this.count] = epoch;
    this.closedAt[this.count] = frame;
    this.count++;
  }

  /** Drops the epochs that became free; returns how many. Keeps the order (oldest first). */
  sweep(heap: SlabAllocator): number {
    let kept = 0;
    const n = this.count;
    for (let i = 0; i < n; i++) {
      const epoch = this.ids[i];
      if (heap.epochState(epoch) === 'free') continue;
      this.ids[kept] = epoch;
      this.closedAt[kept] = this.closedAt[i];
      kept++;
    }
    this.count = kept;
    return n - kept;
  }

  oldestEpoch(): EpochId {
    return this.count > 0 ? this.ids[0] : -1;
  }

  oldestClosedAt(): number {
    return this.count > 0 ? this.closedAt[0] : 0;
  }
}
