import type { MemorySource } from '../memory.js';
import type { HeapConfig } from '../options.js';
import { HeapLock } from './lock.js';
import * as sharedLayout from './layout.js';
import { Liveness } from './owners.js';
import { SharedState } from './state.js';

// Module-local copies of the layout constants: V8 folds these into machine code, not imported bindings (see allocator.ts).
const { C_LOCK_CONTENDED, C_LOCKS, H_STOP_STAMP, M_LOCK_CONTENDED, M_LOCKS } = sharedLayout;

/** A slot seen neither live nor free during an adoption; reclaimed if still so after a grace period. */
export interface LostSlot {
  slab: number;
  slot: number;
  gen: number;
  seenAt: number;
}

/**
 * One worker's view of a shared heap: the shared state plus what only this view knows (its owner
 * id, lock depth, liveness observations, the last stop stamp it acted on). Slow-path functions in
 * slab-ops.ts, adopt.ts and epoch-ops.ts take it as their first argument.
 */
export class SharedView {
  readonly s: SharedState;
  readonly config: HeapConfig;
  readonly memory: MemorySource;
  readonly owner: number;
  readonly classCount: number;
  readonly sizes: Int32Array;
  readonly slabBytes: number;
  readonly slotShift: number;
  readonly lock: HeapLock;
  readonly liveness: Liveness;
  readonly myCounters: Float64Array;
  /** This row's remote-free entries per ring slot (layout.ts C_PENDING). */
  readonly myRingPending: Float64Array;
  readonly myMisc: Float64Array;
  readonly myCur: Int32Array;
  readonly myPartial: Int32Array;
  readonly myBits: Int32Array;
  lastStopStamp: number;
  refills = 0;
  /** Slabs the epoch held before the last epochReset (its report's releasedSlabs). */
  resetSlabs = 0;
  /** Slabs this view released so far (collect() reports the difference). */
  released = 0;
  /*
   * A double from the start (never checked yet: -Infinity), like the performance.now() values it
   * takes later: a field that starts as a small integer changes representation at its first
   * double, which gives every view a new hidden class and deoptimizes the code that saw the old.
   */
  lastOrphanCheck = Number.NEGATIVE_INFINITY;
  lost: LostSlot[] = [];
  /** This row's chains of remote frees not yet spliced onto their slabs' lists (remote-batch.ts). */
  readonly myBatch: Int32Array;
  /** Entries of myBatch in use (flushAll skips the scan at 0). */
  batchesUsed = 0;
  /** Label registry texts this view has decoded, by index (epoch-ops.ts labelAt). */
  readonly labelTexts: (string | undefined)[] = [];

  constructor(s: SharedState, config: HeapConfig, memory: MemorySource, owner: number, sizes: Int32Array, rebuild: (v: SharedView) => void) {
    this.s = s;
    this.config = config;
    this.memory = memory;
    this.owner = owner;
    this.classCount = s.layout.classCount;
    this.sizes = sizes;
    this.slabBytes = config.slabBytes;
    this.slotShift = s.layout.slotShift;
    this.liveness = new Liveness(s);
    this.lock = new HeapLock(s, owner, this.liveness, () => rebuild(this));
    this.myCounters = s.rowCounters[owner];
    this.myRingPending = s.rowRingPending[owner];
    this.myMisc = s.rowMisc[owner];
    this.myCur = s.rowCur[owner];
    this.myPartial = s.rowPartial[owner];
    this.myBits = s.rowBits[owner];
    this.myBatch = s.rowBatch[owner];
    this.lastStopStamp = s.hdr[H_STOP_STAMP];
  }

  /** Takes the heap lock for a slow path of size class `cls` (-1: not tied to a class). */
  lockFor(cls: number): void {
    if (cls < 0) this.lock.acquire(this.myMisc, M_LOCKS, M_LOCK_CONTENDED);
    else this.lock.acquire(this.myCounters, C_LOCKS * this.classCount + cls, C_LOCK_CONTENDED * this.classCount + cls);
  }

  unlock(): void {
    this.lock.release();
  }
}
