import { afterEach, describe, expect, it } from 'vitest';
import { createAllocator, SlabAllocator, type SharedHeap } from '../src/index.js';

/**
 * Batched remote frees (src/shared/remote-batch.ts), in one thread: a free of another view's object
 * wins its generation CAS at once, but reaches the owner only when the freer's chain for that slab
 * is spliced (full at 32 slots, or at a flush point), or when an adopter splices a dead view's chains.
 */
const open: SharedHeap[] = [];
function heapWith(extraViews: number): SharedHeap[] {
  const a = createAllocator({ shared: true, sizeClasses: [64] });
  const all = [a];
  for (let i = 0; i < extraViews; i++) all.push(SlabAllocator.attach(a.share()));
  open.push(...all);
  return all;
}
afterEach(() => {
  for (const h of open.splice(0)) if (h.viewStats().alive.includes(h.ownerId)) h.detach();
});

describe('shared mode: batched remote frees', () => {
  it('a short chain waits in the freer until flushRemote(); frees are exactly-once and counted at once meanwhile', () => {
    const [a, b] = heapWith(1);
    const handles = Array.from({ length: 10 }, () => b.alloc(64));
    const e = b.epochCurrent();
    b.epochAdvance();
    for (const h of handles) expect(a.free(h)).toBe(true);
    // The generation CAS already happened: nobody can free these again, and they are not live.
    for (const h of handles) expect(b.free(h)).toBe(false);
    for (const h of handles) expect(b.isLive(h)).toBe(false);
    expect(b.statsEpoch(e).liveObjects).toBe(0);
    // Not spliced yet: the owner has nothing to merge and the epoch keeps its slab.
    expect(b.collect()).toBe(0);
    expect(b.epochState(e)).toBe('closing');
    b.check(); // tolerates slots on no list while some view holds a chain of their slab
    a.flushRemote();
    expect(b.collect()).toBe(1);
    expect(b.epochState(e)).toBe('free');
    expect(a.statsClass(0).casAttempts).toBe(1);
    a.check();
  });

  it('a chain of 32 slots is spliced by itself, with one CAS', () => {
    const [a, b] = heapWith(1);
    const handles = Array.from({ length: 32 }, () => b.alloc(64));
    const e = b.epochCurrent();
    b.epochAdvance();
    for (const h of handles) expect(a.free(h)).toBe(true);
    expect(b.collect()).toBe(1);
    expect(b.epochState(e)).toBe('free');
    expect(b.statsClass(0).casAttempts).toBe(1);
    a.check();
  });

  it("a view that dies holding chains: its adopter splices them, exactly once even if the dead view flushes later", () => {
    const [a, b, c] = heapWith(2);
    const handles = Array.from({ length: 10 }, () => b.alloc(64));
    const e = b.epochCurrent();
    b.epochAdvance();
    for (const h of handles) expect(c.free(h)).toBe(true);
    expect(b.collect()).toBe(0);
    a.adoptOrphans([c.ownerId]); // c declared dead: a splices c's chain onto b's slab
    expect(b.collect()).toBe(1);
    expect(b.epochState(e)).toBe('free');
    c.flushRemote(); // a zombie's late flush finds its chains taken: no second splice
    a.check();
    const g = a.statsGlobal();
    expect(g.totalFrees).toBe(10);
    expect(g.liveObjects).toBe(0);
  });
});
