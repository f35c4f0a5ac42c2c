import type { SlabAllocator, SlabClassStats } from '@tslab/core';

/**
 * Live object bytes of the whole heap: live objects x object size, summed over size classes. Per-class
 * live counts are kept whether or not diagnostics are on; `statsClass(i, into)` fills one reused
 * object, so this allocates nothing.
 */
export function liveBytesOf(heap: SlabAllocator, scratch: SlabClassStats): number {
  let bytes = 0;
  for (let i = 0, n = heap.classCount; i < n; i++) {
    const s = heap.statsClass(i, scratch);
    bytes += s.liveObjects * s.objectSize;
  }
  return bytes;
}
