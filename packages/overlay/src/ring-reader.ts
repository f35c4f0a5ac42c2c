import type { EpochState, SlabAllocator, SlabGlobalStats } from '@tslab/core';

/** Ring slot states as small integers, so the per-frame copy lives in a Uint8Array. */
export const SLOT_FREE = 0;
export const SLOT_OPEN = 1;
export const SLOT_CLOSING = 2;
export const SLOT_CLOSED = 3;
export const SLOT_STATE_NAMES: readonly EpochState[] = ['free', 'open', 'closing', 'closed'];

function stateCode(state: EpochState): number {
  // Comparing interned string constants allocates nothing.
  if (state === 'open') return SLOT_OPEN;
  if (state === 'closing') return SLOT_CLOSING;
  if (state === 'closed') return SLOT_CLOSED;
  return SLOT_FREE;
}

/**
 * A copy of the heap's epoch ring (state, epoch id and live objects per slot) kept in typed arrays,
 * refreshed every frame without allocating.
 *
 * What core offers: `epochState(e)` returns an interned string (no allocation), `statsGlobal(into)`
 * fills a reused object, while `statsEpoch(e)` and `statsDump()` build new objects. So:
 * - every `dumpEvery` frames one `statsDump()` gives the authoritative picture (which epoch sits in
 *   which slot, live objects per epoch, live bytes per class);
 * - on the frames between, each known epoch's state is re-read with `epochState`, and the current
 *   epoch is placed in its slot (core puts epoch e in slot e % epochSlots), so the strip still turns
 *   every frame; live counts are those of the last dump.
 */
export class RingReader {
  readonly slots: number;
  readonly state: Uint8Array;
  /** Epoch id per slot, -1 when the slot has never been seen occupied. */
  readonly epoch: Float64Array;
  readonly live: Float64Array;
  /** Slot of the current epoch. */
  currentSlot = 0;
  currentEpoch = 0;
  /** Live bytes (live objects x object size, summed over classes) at the last dump. */
  liveBytes = 0;
  /** Frames since the last full dump. */
  private sinceDump = Infinity;
  private readonly global: SlabGlobalStats;

  constructor(
    private readonly heap: SlabAllocator,
    private readonly dumpEvery: number,
  ) {
    this.slots = heap.epochSlots;
    this.state = new Uint8Array(this.slots);
    this.epoch = new Float64Array(this.slots).fill(-1);
    this.live = new Float64Array(this.slots);
    this.global = heap.statsGlobal();
  }

  /** Re-reads the ring; call once per frame. */
  refresh(): void {
    if (this.sinceDump >= this.dumpEvery) {
      this.readDump();
      this.sinceDump = 1;
      return;
    }
    this.sinceDump++;
    const heap = this.heap;
    const current = heap.epochCurrent();
    const slot = current % this.slots;
    if (this.epoch[slot] !== current) {
      this.epoch[slot] = current;
      this.live[slot] = 0;
    }
    this.currentEpoch = current;
    this.currentSlot = slot;
    for (let r = 0; r < this.slots; r++) {
      const e = this.epoch[r];
      if (e < 0) continue;
      const code = stateCode(heap.epochState(e));
      this.state[r] = code;
      if (code === SLOT_FREE) this.live[r] = 0;
    }
  }

  /** Global counters (committed bytes, live objects...) read into a reused object. */
  readGlobal(): SlabGlobalStats {
    return this.heap.statsGlobal(this.global);
  }

  /** Forces a full dump on the next refresh (e.g. right after the heap was swapped). */
  invalidate(): void {
    this.sinceDump = Infinity;
  }

  private readDump(): void {
    const dump = this.heap.statsDump();
    this.state.fill(SLOT_FREE);
    this.live.fill(0);
    for (const e of dump.epochs) {
      const r = e.ringSlot;
      if (r < 0 || r >= this.slots) continue;
      this.state[r] = stateCode(e.state);
      this.epoch[r] = e.epoch;
      this.live[r] = e.liveObjects;
    }
    let liveBytes = 0;
    for (const c of dump.classes) liveBytes += c.liveObjects * c.objectSize;
    this.liveBytes = liveBytes;
    this.currentEpoch = dump.global.currentEpoch;
    this.currentSlot = this.currentEpoch % this.slots;
  }
}
