/** Small readers of tslab statistics shared by the core suite's sections. */
import type { SlabAllocator, SlabGlobalStats } from '@tslab/core';

/** Share of the allocations made since `before` that took the refill slow path, as "47.9%". */
export function slowPathShare(heap: SlabAllocator | null, before: SlabGlobalStats | null): string | null {
  if (!heap || !before) return null;
  const now = heap.statsGlobal();
  const allocs = now.totalAllocs - before.totalAllocs;
  return allocs === 0 ? null : `${(((now.slowPathHits - before.slowPathHits) / allocs) * 100).toFixed(1)}%`;
}
