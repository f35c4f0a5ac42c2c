import { describe, expect, it } from 'vitest';
import { createAllocator, SlabAllocator, type SharedHeap } from '../src/index.js';

/**
 * Shared-mode semantics in one thread: a second view attached in the same thread is a separate
 * owner, so frees across the two views take the remote path deterministically.
 */
const heaps: SharedHeap[] = [];
function views(options: Parameters<typeof createAllocator>[0] = {}): [SharedHeap, SharedHeap] {
  const a = createAllocator({ ...options, shared: true });
  const b = SlabAllocator.attach(a.share());
  heaps.push(a, b);
  return [a, b];
}
const slabOf = (heap: SharedHeap, h: number) => Math.floor(heap.offset(h) / heap.slabBytes);

describe('shared mode: one heap, several views', () => {
  it('share() is for shared heaps only; attach() validates its handle', () => {
    const plain = createAllocator();
    expect(() => plain.share()).toThrow(TypeError);
    expect(plain.adoptOrphans()).toBe(0);
    expect(() => SlabAllocator.attach({} as never)).toThrow(/returned by share\(\)/);
    const [a] = views();
    const handle = a.share();
    expect(handle.kind).toBe('tslab-shared-heap');
    expect(handle.meta).toBeInstanceOf(SharedArrayBuffer);
    expect(handle.data).toBe(a.buffer);
    expect(() => SlabAllocator.attach({ ...handle, options: { ...handle.options, epochSlots: 7 } })).toThrow(/do not match/);
    expect(() => SlabAllocator.attach({ ...handle, meta: new SharedArrayBuffer(handle.meta.byteLength) })).toThrow(/not tslab shared metadata/);
  });

  it('views share memory, epochs and stats; each allocates from slabs it owns', () => {
    const [a, b] = views();
    expect(a.ownerId).not.toBe(b.ownerId);
    const ha = a.alloc(64);
    const hb = b.alloc(64);
    expect(slabOf(a, ha)).not.toBe(slabOf(a, hb));
    a.u32[a.offset(hb) >> 2] = 0xabcdef;
    expect(b.u32[b.offset(hb) >> 2]).toBe(0xabcdef);
    expect(a.isLive(hb) && b.isLive(ha)).toBe(true);
    const e1 = b.epochAdvance();
    expect(a.epochCurrent()).toBe(e1);
    expect(a.statsGlobal().liveObjects).toBe(2);
    expect(b.statsGlobal().totalAllocs).toBe(2);
    b.epochLabel(e1, 'from-b');
    expect(a.epochLabel(e1)).toBe('from-b');
    // Each view keeps the label texts it has read; labels registered later still read right, and
    // relabelling an epoch points it at another registry entry.
    expect(a.statsEpoch(e1).label).toBe('from-b');
    const keep = b.alloc(64, e1); // an epoch with nothing live is freed when the ring moves on
    const e2 = a.epochAdvance();
    a.epochLabel(e2, 'wave 2');
    expect(b.statsEpoch(e2).label).toBe('wave 2');
    b.epochLabel(e1, 'boss');
    expect([a.statsEpoch(e1).label, a.epochLabel(e1), b.statsEpoch(e2).label]).toEqual(['boss', 'boss', 'wave 2']);
    expect(a.statsDump().epochs.map((e) => e.label)).toEqual(['', 'boss', 'wave 2']);
    expect(a.free(keep)).toBe(true);
    expect(a.viewStats().alive).toEqual([a.ownerId, b.ownerId]);
  });

  it('a free from another view goes onto the remote list in batches (one CAS per chain), exactly once, merged by the owner', () => {
    const [a, b] = views({ sizeClasses: [64] });
    const handles = Array.from({ length: 3000 }, () => b.alloc(64));
    const e = b.epochCurrent();
    a.epochAdvance();
    for (const h of handles) expect(a.free(h)).toBe(true);
    for (const h of handles.slice(0, 100)) expect(b.free(h)).toBe(false);
    for (const h of handles.slice(0, 100)) expect(a.free(h)).toBe(false);
    const s = a.statsClass(0);
    expect(s.totalFrees).toBe(3000);
    // Chains of up to 32 slots per slab are spliced with one CAS each (statsClass flushes the rest).
    expect(s.casAttempts).toBeGreaterThanOrEqual(Math.ceil(3000 / 32));
    expect(s.casAttempts).toBeLessThan(3000 / 16);
    expect(s.casRetries).toBe(0);
    expect(a.statsEpoch(e).liveObjects).toBe(0);
    // b owns the slabs: until b merges, they still belong to epoch e.
    expect(a.epochState(e)).toBe('closing');
    expect(b.collect()).toBeGreaterThan(0);
    expect(a.epochState(e)).toBe('free');
    a.check();
  });

  it('the owner reuses slots freed by other views before taking new slabs', () => {
    const [a, b] = views({ sizeClasses: [128] });
    const first = Array.from({ length: 5000 }, () => b.alloc(128));
    const slabs = a.statsGlobal().activeSlabs;
    for (const h of first) a.free(h);
    const second = Array.from({ length: 5000 }, () => b.alloc(128));
    expect(a.statsGlobal().activeSlabs).toBe(slabs);
    expect(a.statsClass(0).slowPathCacheMiss).toBe(Math.ceil(5000 / Math.floor(a.slabBytes / 128)));
    for (const h of second) b.free(h);
    b.check();
  });

  it('epochReset frees every object of every view; the other view hands its slabs back when it collects', () => {
    const [a, b] = views();
    const arena = a.epochOpen();
    const fromA = Array.from({ length: 2000 }, (_, i) => a.alloc(64 + (i % 300), arena));
    const fromB = Array.from({ length: 2000 }, (_, i) => b.malloc(100 + (i % 200), arena));
    const report = a.epochReset(arena);
    expect(report.freedObjects).toBe(4000);
    expect(report.liveObjects).toBe(0);
    expect(report.state).toBe('open');
    for (const h of fromA) expect(b.free(h)).toBe(false);
    for (const p of fromB) expect(a.freePtr(p)).toBe(false);
    a.epochClose(arena);
    expect(a.epochState(arena)).toBe('closed');
    b.collect();
    expect(a.epochState(arena)).toBe('free');
    a.check();
  });

  it('detach(): the survivor adopts the slabs; the objects stay live, intact and freeable', () => {
    const [a, b] = views();
    const handles = Array.from({ length: 1500 }, (_, i) => {
      const h = b.alloc(96);
      b.u32[b.offset(h) >> 2] = i;
      return h;
    });
    const e = a.epochCurrent();
    b.detach();
    expect(() => b.alloc(96)).toThrow(/adopted/);
    expect(a.viewStats().exited).toEqual([b.ownerId]);
    expect(a.adoptOrphans()).toBeGreaterThan(0);
    expect(a.viewStats().exited).toEqual([]);
    handles.forEach((h, i) => expect(a.u32[a.offset(h) >> 2]).toBe(i));
    for (const h of handles) expect(a.free(h)).toBe(true);
    a.epochAdvance();
    a.epochClose(e);
    expect(a.epochState(e)).toBe('free');
    a.check();
  });

  it('at most 63 views at once; a detached id is reused after adoption', () => {
    const a = createAllocator({ shared: true });
    const handle = a.share();
    const more = Array.from({ length: 62 }, () => SlabAllocator.attach(handle));
    expect(() => SlabAllocator.attach(handle)).toThrow(RangeError);
    more[10].alloc(64);
    more[10].detach();
    a.adoptOrphans();
    const again = SlabAllocator.attach(handle);
    expect(again.ownerId).toBe(more[10].ownerId);
    expect(a.statsGlobal().liveObjects).toBe(1);
    for (const v of more) if (v !== more[10]) v.detach();
    again.detach();
    a.adoptOrphans();
    a.check();
  });

  it('memory never shrinks: close reclaims nothing, trim() is 0, the doctor says why', () => {
    const [a] = views({ cacheSlabs: 2 });
    const handles = Array.from({ length: 60_000 }, () => a.alloc(256));
    const grown = a.buffer.byteLength;
    const e = a.epochCurrent();
    a.epochAdvance();
    for (const h of handles) a.free(h);
    expect(a.epochClose(e).reclaimedBytes).toBe(0);
    expect(a.trim()).toBe(0);
    expect(a.buffer.byteLength).toBe(grown);
    const g = a.statsGlobal();
    expect(g.reservedBytes).toBeGreaterThan(4 * g.committedBytes);
    expect(a.doctor().map((f) => f.id)).toContain('shared-cannot-shrink');
    // The cache bound holds: a drained heap keeps at most cacheSlabs per class.
    expect(g.cachedSlabs).toBeLessThanOrEqual(2 * a.classCount);
  });

  it('every public method of SlabAllocator is implemented by the shared engine (or needs no state)', () => {
    // Mode-agnostic (pure arithmetic or built on the public API) or private to plain mode's fast path.
    const agnostic = new Set(['constructor', 'offset', 'domain', 'doctor', 'buffer']);
    const plainPrivate = new Set(['allocUnit', 'takeSlot', 'allocSlow', 'openRingOf', 'openKeyOf', 'releaseSlot', 'locate', 'freeUnit', 'badSize', 'refuse', 'failAlloc', 'makeCurrent', 'report']);
    const shared = Object.getPrototypeOf(createAllocator({ shared: true })) as object;
    const missing = Object.getOwnPropertyNames(SlabAllocator.prototype).filter(
      (name) => !agnostic.has(name) && !plainPrivate.has(name) && !Object.prototype.hasOwnProperty.call(shared, name),
    );
    // A name here is a method added to SlabAllocator that shared/shared-allocator.ts does not override:
    // if it touches heap state, override it there; if it is a private helper of plain mode, list it above.
    expect(missing).toEqual([]);
  });
});
