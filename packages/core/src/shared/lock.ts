import * as sharedLayout from './layout.js';
import type { Liveness } from './owners.js';
import type { SharedState } from './state.js';

// Module-local copies of the layout constants: V8 folds these into machine code, not imported bindings (see allocator.ts).
const { H_LOCK, H_LOCK_STEALS, H_WAITERS } = sharedLayout;

/** Atomics.wait throws on a browser main thread: there the lock spins instead of sleeping. */
const canBlock = (() => {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
})();

const SPINS = 128;
const WAIT_SLICE_MS = 5;
/** How often a waiter re-checks whether the holder is still alive. */
const LIVENESS_CHECK_MS = 25;

/**
 * The heap lock (slow paths only: slabs, cache, epochs, growth, adoption). One Int32 word holds
 * the holder's owner id, so a waiter can tell who holds it: it spins a little, then sleeps on the
 * word with Atomics.wait in short slices, and between slices asks Liveness whether the holder is
 * dead; a dead holder's lock is taken over with a CAS and `onSteal` rebuilds the derived state the
 * holder may have left half-updated. Re-entrant within one view (depth counter, local memory).
 */
export class HeapLock {
  depth = 0;

  constructor(
    private readonly s: SharedState,
    private readonly owner: number,
    private readonly liveness: Liveness,
    private readonly onSteal: (deadHolder: number) => void,
  ) {}

  /** Acquires; counts the acquisition in row[acquired] and contention in row[contended]. */
  acquire(row: Float64Array, acquired: number, contended: number): void {
    if (this.depth > 0) {
      this.depth++;
      return;
    }
    row[acquired]++;
    if (Atomics.compareExchange(this.s.hdr, H_LOCK, 0, this.owner) !== 0) {
      row[contended]++;
      this.acquireContended();
    }
    this.depth = 1;
  }

  /** One attempt, never waits (timer housekeeping must not block a thread on a busy or dead holder). */
  tryAcquire(row: Float64Array, acquired: number): boolean {
    if (this.depth > 0) {
      this.depth++;
      return true;
    }
    if (Atomics.compareExchange(this.s.hdr, H_LOCK, 0, this.owner) !== 0) return false;
    row[acquired]++;
    this.depth = 1;
    return true;
  }

  release(): void {
    if (--this.depth > 0) return;
    const hdr = this.s.hdr;
    Atomics.store(hdr, H_LOCK, 0);
    if (Atomics.load(hdr, H_WAITERS) > 0) Atomics.notify(hdr, H_LOCK, 1);
  }

  private acquireContended(): void {
    const hdr = this.s.hdr;
    const me = this.owner;
    for (let i = 0; i < SPINS; i++) {
      if (Atomics.load(hdr, H_LOCK) === 0 && Atomics.compareExchange(hdr, H_LOCK, 0, me) === 0) return;
    }
    let lastCheck = performance.now();
    for (;;) {
      const holder = Atomics.load(hdr, H_LOCK);
      if (holder === 0) {
        if (Atomics.compareExchange(hdr, H_LOCK, 0, me) === 0) return;
        continue;
      }
      if (holder === me) throw new Error(`tslab internal error: owner ${me} waits for a lock it holds`);
      if (canBlock) {
        Atomics.add(hdr, H_WAITERS, 1);
        Atomics.wait(hdr, H_LOCK, holder, WAIT_SLICE_MS);
        Atomics.sub(hdr, H_WAITERS, 1);
      } else {
        for (let i = 0; i < 1000 && Atomics.load(hdr, H_LOCK) === holder; i++);
      }
      const now = performance.now();
      if (now - lastCheck < LIVENESS_CHECK_MS) continue;
      lastCheck = now;
      if (this.liveness.isDead(holder, now) && Atomics.compareExchange(hdr, H_LOCK, holder, me) === holder) {
        Atomics.add(hdr, H_LOCK_STEALS, 1);
        this.onSteal(holder);
        return;
      }
    }
  }
}
