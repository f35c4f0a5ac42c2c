import type { SlabAllocator } from '../allocator.js';

export interface SharedViewStats {
  /** This view's owner id. */
  ownerId: number;
  /** Owner ids of views attached and alive (this one included). */
  alive: number[];
  /** Owner ids of views that detached and wait for adoption. */
  exited: number[];
  /** Owners adopted so far (detached, declared or presumed dead). */
  adoptions: number;
  /** Times the heap lock was taken over from a dead holder. */
  lockSteals: number;
  /** Current lease in ms (0: never presume a silent view dead). */
  leaseMs: number;
}

/**
 * A view of a shared heap: what `createAllocator({ shared: true })` and `SlabAllocator.attach()`
 * return. Beyond SlabAllocator it has the worker lifecycle.
 */
export interface SharedHeap extends SlabAllocator {
  /** This view's owner id (1..63); slabs it allocates from are its own. */
  readonly ownerId: number;
  /**
   * Hands back what other workers freed into this view's slabs and drops its slabs of epochs that
   * stopped; returns slabs released. Runs by itself in slow paths and on a 100 ms timer between
   * tasks; call it when a worker is about to idle for long inside a synchronous loop.
   */
  collect(): number;
  /**
   * Splices the frees of other views' objects that this view buffered (one CAS per slab, not per
   * free) onto their slabs' remote lists. It runs by itself in this view's alloc slow path,
   * collect() and its timer, epoch operations, stats, check() and detach(); call it when a worker
   * that freed other workers' objects is about to idle for long inside a synchronous loop.
   */
  flushRemote(): void;
  /** Leaves the heap: collects, then marks this view exited so survivors adopt its slabs. */
  detach(): void;
  /**
   * Heap-wide: after how many ms without a heartbeat or counter change a view is presumed dead and
   * adopted (default 5000; 0 = never presume, adopt only detached views and ids given to adoptOrphans).
   */
  setOwnerLease(ms: number): void;
  /** The views registered on the heap, and how often orphans were adopted and dead holders' locks taken over. */
  viewStats(): SharedViewStats;
  /** Runs `run` while holding the heap lock (no other view's slow path runs meanwhile). */
  withHeapLock<T>(run: () => T): T;
}
