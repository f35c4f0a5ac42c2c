import { RESERVED_SLABS, RING_OPEN } from '../layout.js';
import type { MemorySource } from '../memory.js';
import type { HeapConfig } from '../options.js';
import type { AllocatorOptions } from '../types.js';
import {
  computeLayout, F_CURRENT, F_NEXT_ID, F_PEAK, H_CURRENT_RING, H_LEASE_MS, H_LOWEST_FREE, H_MAGIC, H_ORPHANS, H_SLAB_TOP, H_TAG,
  H_VERSION, OWNER_ALIVE, OWNER_EXITED, SHARED_MAGIC, SHARED_VERSION,
} from './layout.js';
import { registerOwner } from './owners.js';
import { rebuildDerived } from './slab-ops.js';
import { SharedState } from './state.js';
import { SharedView } from './view.js';

/**
 * Everything a worker needs to attach: the two SharedArrayBuffers and the options they were laid
 * out with. Structured-cloneable: pass it with postMessage or workerData.
 */
export interface SharedHeapHandle {
  readonly kind: 'tslab-shared-heap';
  readonly version: 1;
  /** Allocator metadata (fixed size). */
  readonly meta: SharedArrayBuffer;
  /** User memory: every Ptr and offset() is a byte offset into it (maxBytes, fixed; never shrinks). */
  readonly data: SharedArrayBuffer;
  readonly options: Readonly<Omit<AllocatorOptions, 'backing' | 'shared'>>;
}

/** Default lease after which a view whose heartbeat and counters stand still is presumed dead. */
export const DEFAULT_LEASE_MS = 5000;

function viewFor(s: SharedState, config: HeapConfig, memory: MemorySource, sizes: Int32Array): SharedView {
  const owner = registerOwner(s);
  if (owner < 0) throw new RangeError('a shared heap takes at most 63 attached views at once: detach() views that are done, or adoptOrphans() dead ones');
  return new SharedView(s, config, memory, owner, sizes, rebuildDerived);
}

/** A new heap: lays out the metadata buffer and opens epoch 0. */
export function createView(config: HeapConfig, memory: MemorySource, sizes: Int32Array, tag: number): SharedView {
  const layout = computeLayout(config);
  let meta: SharedArrayBuffer;
  try {
    meta = new SharedArrayBuffer(layout.totalBytes);
  } catch {
    throw new RangeError(`options.maxBytes (${config.maxBytes}) needs ${layout.totalBytes} bytes of shared metadata (reserved up front, committed as used), which this engine refused: lower maxBytes`);
  }
  const s = new SharedState(meta, layout);
  s.hdr[H_MAGIC] = SHARED_MAGIC;
  s.hdr[H_VERSION] = SHARED_VERSION;
  s.hdr[H_TAG] = tag;
  s.hdr[H_LEASE_MS] = DEFAULT_LEASE_MS;
  s.hdr[H_SLAB_TOP] = RESERVED_SLABS;
  s.hdr[H_LOWEST_FREE] = RESERVED_SLABS;
  s.hdr64[F_PEAK] = RESERVED_SLABS * config.slabBytes;
  s.ringLabel.fill(-1);
  s.ringIds.fill(-1);
  // Epoch 0 in ring slot 0, current.
  s.ringIds[0] = 0;
  s.ringState[0] = RING_OPEN;
  s.hdr64[F_NEXT_ID] = 1;
  s.hdr64[F_CURRENT] = 0;
  s.hdr[H_CURRENT_RING] = 0;
  return viewFor(s, config, memory, sizes);
}

export function readTag(handle: SharedHeapHandle): number {
  checkHandle(handle);
  return new Int32Array(handle.meta, 0, 4)[H_TAG];
}

function checkHandle(handle: SharedHeapHandle): void {
  const ok = handle !== null && typeof handle === 'object' && handle.kind === 'tslab-shared-heap' &&
    handle.meta instanceof SharedArrayBuffer && handle.data instanceof SharedArrayBuffer && handle.meta.byteLength >= 64;
  if (!ok) throw new TypeError('handle must be the object returned by share() of a shared heap (kind "tslab-shared-heap")');
  const hdr = new Int32Array(handle.meta, 0, 4);
  if (hdr[H_MAGIC] !== SHARED_MAGIC || hdr[H_VERSION] !== SHARED_VERSION) {
    throw new TypeError(`handle.meta is not tslab shared metadata of version ${SHARED_VERSION}`);
  }
}

/** A further view of an existing heap (another worker). */
export function attachView(handle: SharedHeapHandle, config: HeapConfig, memory: MemorySource, sizes: Int32Array): SharedView {
  const layout = computeLayout(config);
  if (layout.totalBytes !== handle.meta.byteLength || handle.data.byteLength !== config.maxBytes) {
    throw new TypeError(`handle.options do not match handle.meta and handle.data (${layout.totalBytes} vs ${handle.meta.byteLength} bytes of metadata): pass share()'s object unchanged`);
  }
  return viewFor(new SharedState(handle.meta, layout), config, memory, sizes);
}

export function handleOf(v: SharedView): SharedHeapHandle {
  const c = v.config;
  return {
    kind: 'tslab-shared-heap',
    version: 1,
    meta: v.s.meta,
    data: v.memory.buffer as SharedArrayBuffer,
    options: { sizeClasses: [...c.sizeClasses], slabBytes: c.slabBytes, epochSlots: c.epochSlots, cacheSlabs: c.cacheSlabs, maxBytes: c.maxBytes, diagnostics: c.diagnostics },
  };
}

/** Marks the view's owner id as exited: survivors adopt its slabs on their next slow path. */
export function detachView(v: SharedView): void {
  // No current slab: the next alloc through this view reaches the slow path, which refuses.
  v.myCur.fill(0);
  if (Atomics.compareExchange(v.s.ownerState, v.owner, OWNER_ALIVE, OWNER_EXITED) === OWNER_ALIVE) Atomics.add(v.s.hdr, H_ORPHANS, 1);
}
