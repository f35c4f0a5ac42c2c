/**
 * Every bit layout of the heap in one place.
 *
 * A handle is a 53-bit integer built with arithmetic (not bitwise operators, which stop at 32 bits):
 *
 *   handle = (tag * 2^18 + generation) * 2^26 + byteOffset / 8
 *
 *   bits  0..25  offset field: the object's byte offset / 8, so offset(h) is one mask and one shift
 *   bits 26..43  generation of the slot (18 bits): odd while the slot is live, bumped on every alloc
 *                and every free, so a stale handle stays rejected for 2^17 = 131,072 reuses of its slot
 *   bits 44..52  allocator tag (9 bits, 1..511): handles of another allocator are rejected
 *
 * The null handle 0 has tag 0, which no allocator uses.
 */
export const OFFSET_FIELD = 2 ** 26;
export const OFFSET_MASK = OFFSET_FIELD - 1;
/** 2^-26: multiplying by it is exact and cheaper than dividing by OFFSET_FIELD (a divsd is ~15 cycles). */
export const INVERSE_OFFSET_FIELD = 1 / OFFSET_FIELD;
/** The offset field counts 8-byte units, so the heap addresses 2^26 * 8 bytes. */
export const MAX_HEAP_BYTES = OFFSET_FIELD * 8;
export const GEN_BITS = 18;
export const GEN_MASK = (1 << GEN_BITS) - 1;
export const TAG_LIMIT = 1 << 9;
export const MAX_HANDLE = Number.MAX_SAFE_INTEGER;

/**
 * Per-slab header (SlabTable.header): the four fields alloc and free read, side by side in one
 * Int32Array (slab << SLAB_HEADER_SHIFT is a slab's first word). One array instead of four saves
 * the fast paths three array loads and bounds checks per call.
 */
export const SLAB_HEADER_SHIFT = 2;
/** Free slots on the slab's stack (the stack's top). */
export const HDR_FREE_TOP = 0;
/** Slots the slab holds for its class: floor(slabBytes / objectSize); 0 while the slab is free. */
export const HDR_SLOTS = 1;
/** Free slots at which the slab joins its epoch's partial list (see SlabTable). */
export const HDR_LIST_AT = 2;
/** Object size of the slab's class; 0 while the slab is free. */
export const HDR_OBJECT_SIZE = 3;

/** Slab states (slabState). A slab index is a position in the buffer: slab i spans [i, i+1) * slabBytes. */
export const SLAB_FREE = 0; // no class; its bytes are unused (and at the tail, released)
export const SLAB_ACTIVE = 1; // owned by one epoch and one size class
export const SLAB_CACHED = 2; // empty, kept in its class cache for reuse

/** Slab 0 is never used: it keeps offset 0 the null pointer and makes 0 the "no slab" sentinel. */
export const NO_SLAB = 0;
export const RESERVED_SLABS = 1;

/** Epoch ring slot states (ringState). */
export const RING_FREE = 0;
export const RING_OPEN = 1;
export const RING_CLOSING = 2;
export const RING_CLOSED = 3;
export const RING_STATE_NAMES = ['free', 'open', 'closing', 'closed'] as const;

/** malloc keeps the object's handle in an 8-byte header just before the pointer. */
export const MALLOC_HEADER_BYTES = 8;

export const DEFAULT_SIZE_CLASSES: readonly number[] = [64, 96, 128, 192, 256, 384, 512, 768];
export const DEFAULT_SLAB_BYTES = 65536;
export const DEFAULT_EPOCH_SLOTS = 16;
export const DEFAULT_CACHE_SLABS = 32;
export const MAX_LABELS = 16;
/** committed/live samples kept for the doctor's growth checks (one per epoch advance). */
export const HISTORY_LENGTH = 64;

export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

export function log2(powerOfTwo: number): number {
  return 31 - Math.clz32(powerOfTwo);
}
