import type { EpochState, SlabAllocator, SlabClassStats, SlabEpochStats, SlabGlobalStats } from '@tslab/core';

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
 * Per frame it uses only the stats calls that fill a reused object: `statsGlobal(into)` (current
 * epoch, committed bytes), `statsEpoch(e, into)` (state, live objects and ring slot of a known epoch)
 * and `statsClass(i, into)` (live bytes). Epoch ids only grow, so each frame it also probes the ids
 * between the newest one it knows and the current epoch. An epoch opened after the current one
 * (`epochOpen`, a domain, the frame adapter's scratch epoch) is found by the full `statsDump()` taken
 * every `dumpEvery` frames (that call allocates, hence the interval).
 */
export class RingReader {
  readonly slots: number;
  readonly state: Uint8Array;
  /** Epoch id per slot, -1 when no epoch has been seen in the slot. */
  readonly epoch: Float64Array;
  readonly live: Float64Array;
  /** Slot of the current epoch. */
  currentSlot = 0;
  currentEpoch = 0;
  liveBytes = 0;
  committedBytes = 0;
  private newestSeen = -1;
  private sinceDump = Infinity;
  private readonly global: SlabGlobalStats;
  private readonly epochStats: SlabEpochStats;
  private readonly classStats: SlabClassStats;

  constructor(
    private readonly heap: SlabAllocator,
    private readonly dumpEvery: number,
  ) {
    this.slots = heap.epochSlots;
    this.state = new Uint8Array(this.slots);
    this.epoch = new Float64Array(this.slots).fill(-1);
    this.live = new Float64Array(this.slots);
    this.global = heap.statsGlobal();
    this.epochStats = heap.statsEpoch(heap.epochCurrent());
    this.classStats = heap.statsClass(0);
  }

  /** Re-reads the ring, live and committed bytes; call once per frame. */
  refresh(): void {
    const heap = this.heap;
    const g = heap.statsGlobal(this.global);
    this.committedBytes = g.committedBytes;
    this.currentEpoch = g.currentEpoch;
    this.liveBytes = this.readLiveBytes();
    if (this.sinceDump >= this.dumpEvery || g.currentEpoch - this.newestSeen > 4 * this.slots) {
      this.readDump();
      this.sinceDump = 1;
    } else {
      this.sinceDump++;
      // Ids handed out since the last look: place the ones that occupy a slot.
      for (let e = this.newestSeen + 1; e <= g.currentEpoch; e++) {
        const s = heap.statsEpoch(e, this.epochStats);
        if (s.state !== 'free') this.epoch[s.ringSlot] = e;
      }
      if (g.currentEpoch > this.newestSeen) this.newestSeen = g.currentEpoch;
      for (let r = 0; r < this.slots; r++) {
        const e = this.epoch[r];
        if (e < 0) continue;
        const s = heap.statsEpoch(e, this.epochStats);
        this.state[r] = stateCode(s.state);
        this.live[r] = s.liveObjects;
      }
    }
    this.currentSlot = heap.statsEpoch(g.currentEpoch, this.epochStats).ringSlot;
  }

  /** Forces a full dump on the next refresh. */
  invalidate(): void {
    this.sinceDump = Infinity;
  }

  private readLiveBytes(): number {
    let bytes = 0;
    for (let i = 0, n = this.heap.classCount; i < n; i++) {
      const c = this.heap.statsClass(i, this.classStats);
      bytes += c.liveObjects * c.objectSize;
    }
    return bytes;
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
      if (e.epoch > this.newestSeen) this.newestSeen = e.epoch;
    }
    if (dump.global.currentEpoch > this.newestSeen) this.newestSeen = dump.global.currentEpoch;
  }
}
