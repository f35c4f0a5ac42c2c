/**
 * Shared mode: one heap, many workers. All allocator state lives in a fixed-size metadata
 * SharedArrayBuffer (layout.ts); user memory is one fixed-size SharedArrayBuffer (memory.ts). Each view owns the
 * slabs it allocates from (plain-array fast paths); frees of another view's objects go onto the
 * slab's atomic remote list, merged by the owner (mimalloc's model).
 */
export { defineSharedAllocator, type SharedEngine } from './shared-allocator.js';
export type { SharedHeap, SharedViewStats } from './api.js';
export { DEFAULT_LEASE_MS, type SharedHeapHandle } from './setup.js';
