import { afterEach, describe, expect, it } from 'vitest';
import { createAllocator, SlabAllocator, type Handle, type SharedHeap } from '../src/index.js';
import { afterReturn } from '../src/shared/slab-ops.js';
import type { SharedView } from '../src/shared/view.js';

/**
 * The one race plain own frees leave open (src/shared/remote-free.ts): a double free in flight in
 * the owner and in another view at once, where the owner read the live generation and no claim
 * before the other view's claim, and wrote the next generation after it. Threads make that
 * interleaving rare (test/workers/race.test.ts provokes it by the hundred); here it is replayed
 * step by step in one thread, writing the owner's half of the free into the shared state directly.
 */
interface Internals {
  view: SharedView;
}

const SLAB_BYTES = 65536;
const SIZE = 64;
const open: SharedHeap[] = [];
afterEach(() => {
  for (const h of open.splice(0)) if (h.viewStats().alive.includes(h.ownerId)) h.detach();
});

function heaps(): [SharedHeap, SharedHeap] {
  const owner = createAllocator({ shared: true, sizeClasses: [SIZE] });
  const other = SlabAllocator.attach(owner.share());
  open.push(owner, other);
  return [owner, other];
}

/** The rest of the owner's own free after a read that still saw generation `gen`: write, push, settle. */
function ownerStoreAfterStaleRead(owner: SharedHeap, h: Handle, gen: number): void {
  const view = (owner as unknown as Internals).view;
  const { s, slotShift } = view;
  const offset = owner.offset(h);
  const slab = Math.floor(offset / SLAB_BYTES);
  const slot = (offset % SLAB_BYTES) / SIZE;
  const base = slab * 2 ** slotShift;
  s.setGenAt(base + slot, (gen + 1) & ((1 << 18) - 1));
  s.freeSlots[base + s.slabFreeTop[slab << 4]] = slot;
  s.slabFreeTop[slab << 4]++;
  afterReturn(view, slab);
}

function genOf(h: Handle): number {
  return Math.floor(h / 2 ** 26) % 2 ** 18;
}

function expectClean(owner: SharedHeap, other: SharedHeap, live: number): void {
  other.flushRemote();
  owner.collect();
  const g = owner.statsGlobal();
  expect(g.liveObjects).toBe(live);
  expect(g.totalFrees).toBe(g.totalAllocs - live);
  owner.check();
  // No slot is handed out twice: a slot on two lists would come back twice.
  const offsets = new Set<number>();
  for (let i = 0; i < 2000; i++) offsets.add(owner.offset(owner.alloc(SIZE)));
  expect(offsets.size).toBe(2000);
  owner.check();
}

describe('shared mode: a double free racing the owner own free', () => {
  it('both frees return true; the stale remote entry is dropped at the merge and the counts stay exact', () => {
    const [owner, other] = heaps();
    const keep = owner.alloc(SIZE);
    const h = owner.alloc(SIZE);
    expect(other.free(h)).toBe(true); // the other view's CAS lands first...
    ownerStoreAfterStaleRead(owner, h, genOf(h)); // ...inside the owner's read-then-write
    expect(owner.isLive(h)).toBe(false);
    expect(owner.free(h)).toBe(false);
    expect(other.free(h)).toBe(false);
    expectClean(owner, other, 1);
    expect(owner.isLive(keep)).toBe(true);
  });

  it('the slot is reused and freed remotely again before the stale entry merges: the new free rides on it', () => {
    const [owner, other] = heaps();
    const h = owner.alloc(SIZE);
    expect(other.free(h)).toBe(true);
    ownerStoreAfterStaleRead(owner, h, genOf(h));
    // The owner's stack is LIFO: the next alloc hands the same slot out again, at a new generation.
    const again = owner.alloc(SIZE);
    expect(owner.offset(again)).toBe(owner.offset(h));
    expect(genOf(again)).not.toBe(genOf(h));
    // The stale entry still holds the slot's old claim: this free must replace it and ride, not link the slot twice.
    expect(other.free(again)).toBe(true);
    expect(owner.isLive(again)).toBe(false);
    expect(owner.statsGlobal().liveObjects).toBe(0);
    expectClean(owner, other, 0);
  });

  it('the same, with the stale entry already spliced onto the remote list when the slot comes back', () => {
    const [owner, other] = heaps();
    const h = owner.alloc(SIZE);
    expect(other.free(h)).toBe(true);
    ownerStoreAfterStaleRead(owner, h, genOf(h));
    other.flushRemote();
    const again = owner.alloc(SIZE);
    expect(owner.offset(again)).toBe(owner.offset(h));
    expect(other.free(again)).toBe(true);
    expectClean(owner, other, 0);
  });

  it('an empty slab whose stale entry is still on its way is not released until the entry is merged', () => {
    const [owner, other] = heaps();
    const e = owner.epochCurrent();
    const h = owner.alloc(SIZE);
    owner.epochAdvance();
    expect(other.free(h)).toBe(true);
    ownerStoreAfterStaleRead(owner, h, genOf(h));
    // Every slot is back on the stack, but the other view still buffers an entry of the slab.
    owner.collect();
    expect(owner.epochState(e)).toBe('closing');
    other.flushRemote();
    owner.collect();
    expect(owner.epochState(e)).toBe('free');
    owner.check();
  });
});
