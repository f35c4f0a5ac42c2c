import { HISTORY_LENGTH, MAX_LABELS, log2, nextPowerOfTwo } from '../layout.js';
import type { HeapConfig } from '../options.js';

/**
 * Byte layout of the shared heap's metadata SharedArrayBuffer. Every piece of allocator state lives
 * here (nothing in a view's own memory is authoritative), so any worker that attaches the buffer
 * sees the whole heap. The buffer is fixed-size, sized for maxBytes up front: pages that are never
 * written cost no RSS, and typed arrays over a fixed SharedArrayBuffer run at plain-array speed,
 * while views of a growable one are many times slower on V8 (measured; see README).
 *
 * Ownership of each region:
 *   header, ring, cache, slab state/class/ring/owner: written under the heap lock only
 *   slab freeTop/next/prev/listed, freeSlots:         the slab's owner only (plain ops)
 *   slab remoteHead, remoteNext:                      other views (CAS push), the owner (exchange)
 *   gens, generation word of a slot:                  the owner only (plain: alloc, own free, merge)
 *   gens, claim word of a slot:                       other views' frees (CAS), the owner's merge
 *   owner rows:                                       that owner only (counters, current slabs,
 *                                                     remote-free chains; an adopter splices a dead one's)
 */
export const SHARED_MAGIC = 0x74736c62;
export const SHARED_VERSION = 5; // 2: per-owner remote-free batch rows; 3: no per-slab live word; 4: atomic-free own frees; 5: claims
/**
 * Words per slot in `gens`, as a shift: slot index i (slab << slotShift | slot) has its generation
 * at word i << SLOT_WORDS_SHIFT and its claim (remote-free.ts) at that word | SLOT_CLAIM (an OR,
 * which V8 compiles without the overflow check an addition gets).
 */
export const SLOT_WORDS_SHIFT = 1;
export const SLOT_CLAIM = 1;
/** Views that can be attached at once (owner ids 1..63). Row 0 holds counters of retired owners. */
export const MAX_OWNERS = 64;

// Int32 header words, in three cache lines so that lock traffic does not evict what every
// alloc and free read. Line 0: read-mostly (read on fast paths, written rarely).
export const H_MAGIC = 0;
export const H_VERSION = 1;
export const H_TAG = 2;
export const H_SLAB_TOP = 3;
export const H_CURRENT_RING = 4;
export const H_LEASE_MS = 5;
/** Bumped whenever an epoch stops taking allocations: owners then drop their slabs of it. */
export const H_STOP_STAMP = 6;
/** Views that detached and whose slabs wait for adoption. */
export const H_ORPHANS = 7;
// Line 1: the lock.
/** Owner id holding the heap lock, 0 when free. */
export const H_LOCK = 16;
export const H_WAITERS = 17;
// Line 2: written under the lock.
export const H_FREE_SLABS = 32;
export const H_LOWEST_FREE = 33;
export const H_ACTIVE_SLABS = 34;
export const H_CACHED_SLABS = 35;
export const H_LABEL_COUNT = 36;
export const H_GROWS = 37;
/** Times a lock was taken over from a dead holder (derived state rebuilt). */
export const H_LOCK_STEALS = 38;
export const H_ADOPTIONS = 39;
export const HEADER_WORDS = 48;

// Float64 header words.
export const F_NEXT_ID = 0;
export const F_CURRENT = 1;
export const F_ADVANCES = 2;
export const F_PEAK = 3;
export const F_ALLOC_FAILED = 4;
export const F_HISTORY_COUNT = 5;
export const HEADER_DOUBLES = 8;

// Owner states.
export const OWNER_FREE = 0;
export const OWNER_ALIVE = 1;
/** Detached cleanly (detach()): its slabs wait for adoption. */
export const OWNER_EXITED = 2;

// Per-class counters in an owner row: counters[kind * classCount + cls].
export const C_ALLOCS = 0;
/**
 * Remote-free entries this row added to remote lists minus those it merged (see remote-batch.ts):
 * summed over the rows, the slots freed by other views that their owners have not merged yet.
 * Frees are not counted per operation: totalFrees is allocs - live, as in plain mode.
 */
export const C_PENDING = 1;
export const C_SLOW = 2;
export const C_CACHE_MISS = 3;
export const C_EPOCH_CLOSED = 4;
export const C_RECYCLED = 5;
export const C_OVERFLOWED = 6;
export const C_CAS = 7;
export const C_CAS_RETRIES = 8;
export const C_LOCKS = 9;
export const C_LOCK_CONTENDED = 10;
export const COUNTER_KINDS = 11;
// Misc doubles in an owner row: lock use not tied to a size class (epochs, adoption, check).
export const M_LOCKS = 0;
export const M_LOCK_CONTENDED = 1;
export const MISC_DOUBLES = 8;

/** Int32 stride between owners' "has remote frees" summary words (one cache line each). */
export const SUMMARY_STRIDE = 16;
/**
 * Int32 stride of per-slab records that the owner writes on every alloc and free (freeTop, the
 * partial-list words) and of remote-list heads: one cache line per slab, so two workers whose
 * slabs are neighbours never write the same line (measured: packed, two workers ran slower than
 * one).
 */
export const SLAB_STRIDE = 16;
/**
 * Int32 words of an owner row's table of buffered remote-free chains (remote-batch.ts): 64 entries
 * of [slab + 1, head link, tail slot index, count]. In shared memory so that an adopter can splice
 * the chains of a view that died holding them.
 */
export const BATCH_ENTRIES = 64;

export const BATCH_WORDS = BATCH_ENTRIES * 4;

export interface SharedLayout {
  readonly classCount: number;
  readonly epochSlots: number;
  readonly cacheSlabs: number;
  readonly maxSlabs: number;
  readonly slabShift: number;
  readonly slotsPerSlab: number;
  readonly slotShift: number;
  /** Int32 words of one owner's remote-pending bitmap (one bit per slab). */
  readonly bitmapWords: number;
  /** Entries of a (ring, class) table: epochSlots * classCount. */
  readonly keyCount: number;
  readonly offsets: Readonly<Record<RegionName, number>>;
  readonly rowsBase: number;
  readonly rowBytes: number;
  readonly row: Readonly<Record<RowRegion, number>>;
  readonly totalBytes: number;
  /** Metadata bytes per slab in use (per-slab and per-slot entries); pages past slabTop are never written. */
  readonly bytesPerSlab: number;
  /** Metadata bytes before the per-slab arrays (header, ring, caches, owner table). */
  readonly fixedBytes: number;
}

export type RegionName =
  | 'hdr32' | 'hdr64' | 'historyCommitted' | 'historyLive' | 'labelChars' | 'labelLength'
  | 'ringIds' | 'ringState' | 'ringSlabs' | 'ringOpenedAt' | 'ringLabel'
  | 'classActive' | 'cacheCount' | 'cache' | 'summary' | 'ownerState' | 'ownerBeat'
  | 'slabState' | 'slabClass' | 'slabLastClass' | 'slabRing' | 'slabOwner' | 'slabSlots' | 'slabHot' | 'slabRemoteHead'
  | 'gens' | 'freeSlots' | 'remoteNext';
export type RowRegion = 'cur' | 'partial' | 'bits' | 'counters' | 'ringPending' | 'misc' | 'batch';

export const LABEL_CHARS = 64;
const LINE = 64;

function align(n: number): number {
  return Math.ceil(n / LINE) * LINE;
}

export function computeLayout(config: HeapConfig): SharedLayout {
  const classCount = config.sizeClasses.length;
  const epochSlots = config.epochSlots;
  const maxSlabs = Math.floor(config.maxBytes / config.slabBytes);
  const slotsPerSlab = nextPowerOfTwo(Math.ceil(config.slabBytes / config.sizeClasses[0]));
  const slotShift = log2(slotsPerSlab);
  const bitmapWords = Math.ceil(maxSlabs / 32);
  const keyCount = epochSlots * classCount;
  const offsets = {} as Record<RegionName, number>;
  let at = 0;
  const take = (name: RegionName, count: number, elementBytes: number) => {
    at = align(at);
    offsets[name] = at;
    at += count * elementBytes;
  };
  take('hdr32', HEADER_WORDS, 4);
  take('hdr64', HEADER_DOUBLES, 8);
  take('historyCommitted', HISTORY_LENGTH, 8);
  take('historyLive', HISTORY_LENGTH, 8);
  take('labelChars', MAX_LABELS * LABEL_CHARS, 2);
  take('labelLength', MAX_LABELS, 4);
  take('ringIds', epochSlots, 8);
  take('ringOpenedAt', epochSlots, 8);
  take('ringState', epochSlots, 4);
  take('ringSlabs', epochSlots, 4);
  take('ringLabel', epochSlots, 4);
  take('classActive', classCount, 4);
  take('cacheCount', classCount, 4);
  take('cache', Math.max(1, classCount * config.cacheSlabs), 4);
  take('summary', MAX_OWNERS * SUMMARY_STRIDE, 4);
  take('ownerState', MAX_OWNERS, 4);
  take('ownerBeat', MAX_OWNERS * SUMMARY_STRIDE, 4);
  const fixedStart = at;
  for (const name of ['slabState', 'slabClass', 'slabLastClass', 'slabRing', 'slabOwner', 'slabSlots'] as const) take(name, maxSlabs, 4);
  take('slabHot', maxSlabs * SLAB_STRIDE, 4);
  take('slabRemoteHead', maxSlabs * SLAB_STRIDE, 4);
  const slots = maxSlabs * slotsPerSlab;
  take('gens', slots * 2, 4);
  take('remoteNext', slots, 4);
  take('freeSlots', slots, 2);

  const row = {} as Record<RowRegion, number>;
  let r = 0;
  const takeRow = (name: RowRegion, bytes: number) => {
    r = align(r);
    row[name] = r;
    r += bytes;
  };
  takeRow('counters', COUNTER_KINDS * classCount * 8);
  takeRow('ringPending', epochSlots * 8);
  takeRow('misc', MISC_DOUBLES * 8);
  takeRow('cur', keyCount * 4);
  takeRow('partial', keyCount * 4);
  takeRow('bits', bitmapWords * 4);
  takeRow('batch', BATCH_WORDS * 4);
  const rowBytes = align(r);
  const rowsBase = align(at);
  const totalBytes = rowsBase + MAX_OWNERS * rowBytes;
  const bytesPerSlab = 6 * 4 + 2 * SLAB_STRIDE * 4 + slotsPerSlab * 14;
  return {
    classCount, epochSlots, cacheSlabs: config.cacheSlabs, maxSlabs, slabShift: log2(config.slabBytes), slotsPerSlab, slotShift,
    bitmapWords, keyCount, offsets, rowsBase, rowBytes, row, totalBytes, bytesPerSlab,
    fixedBytes: fixedStart,
  };
}
