import { C_ALLOCS, H_LEASE_MS, MAX_OWNERS, OWNER_ALIVE, OWNER_EXITED, OWNER_FREE, SUMMARY_STRIDE } from './layout.js';
import type { SharedState } from './state.js';

/** Takes a free owner id (1..MAX_OWNERS-1) for a new view; -1 when every id is taken. */
export function registerOwner(s: SharedState): number {
  for (let owner = 1; owner < MAX_OWNERS; owner++) {
    if (Atomics.compareExchange(s.ownerState, owner, OWNER_FREE, OWNER_ALIVE) === OWNER_FREE) {
      Atomics.store(s.ownerBeat, owner * SUMMARY_STRIDE, 0);
      return owner;
    }
  }
  return -1;
}

/**
 * Decides whether another view is gone. A view is dead when it detached (OWNER_EXITED), when the
 * caller said so (declare), or when its liveness signature has not changed for the heap's lease
 * (H_LEASE_MS; 0 disables presumption). The signature is its heartbeat word (bumped by its timer
 * and the slow paths of its allocs and frees) plus its alloc counters, so a view that is busy
 * allocating is alive without paying for a heartbeat on the fast path. Observations are this view's own (local memory).
 */
export class Liveness {
  private readonly seenSignature = new Float64Array(MAX_OWNERS).fill(Number.NaN);
  private readonly seenAt = new Float64Array(MAX_OWNERS);
  private readonly declared = new Set<number>();

  constructor(private readonly s: SharedState) {}

  declare(owner: number): void {
    this.declared.add(owner);
  }

  signature(owner: number): number {
    const counters = this.s.rowCounters[owner];
    const classes = this.s.layout.classCount;
    let sum = Atomics.load(this.s.ownerBeat, owner * SUMMARY_STRIDE);
    for (let cls = 0; cls < classes; cls++) sum += counters[C_ALLOCS * classes + cls];
    return sum;
  }

  isDead(owner: number, now: number): boolean {
    const state = Atomics.load(this.s.ownerState, owner);
    if (state === OWNER_FREE || state === OWNER_EXITED) return true;
    if (state !== OWNER_ALIVE) return false;
    if (this.declared.has(owner)) return true;
    const lease = this.s.hdr[H_LEASE_MS];
    const signature = this.signature(owner);
    if (signature !== this.seenSignature[owner]) {
      this.seenSignature[owner] = signature;
      this.seenAt[owner] = now;
      return false;
    }
    return lease > 0 && now - this.seenAt[owner] >= lease;
  }

  /** Forgets what was seen of `owner` (its id was freed and may be reused by a new view). */
  forget(owner: number): void {
    this.declared.delete(owner);
    this.seenSignature[owner] = Number.NaN;
  }
}
