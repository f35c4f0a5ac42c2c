/**
 * Random frame scripts against a model of which objects are live. Each frame is a list of operations
 * (allocate into the frame epoch, malloc, retire, retire everything older than a few frames, scratch,
 * keep a long-lived object, release one), then tick(). After each operation and each tick the heap
 * must agree with the model: live objects live and intact (a tag written into their first and last
 * words), retired objects live until the tick and stale after it, no slot handed out twice, epochs left
 * behind closed or free exactly as their live objects imply, the report's counts equal the model's.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { SlabAllocator } from '@tslab/core';
import type { FrameEpochs, ScratchMode } from '../src/index.js';
import { setup } from './helpers.js';

type Op =
  | { k: 'alloc'; n: number; size: number }
  | { k: 'malloc'; size: number }
  | { k: 'retire'; pick: number }
  | { k: 'retireOld'; age: number }
  | { k: 'scratch'; n: number; size: number }
  | { k: 'keep'; size: number }
  | { k: 'release'; pick: number };

interface Obj {
  id: number; // handle, or pointer for malloc objects
  ptr: boolean;
  start: number; // first byte of the user data
  size: number;
  tag: number;
  epoch: number;
  born: number;
  long: boolean;
  retired: boolean;
}

const SIZES = [8, 24, 64, 96, 200, 500, 768];
const sizeArb = fc.constantFrom(...SIZES);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ k: fc.constant('alloc' as const), n: fc.integer({ min: 1, max: 24 }), size: sizeArb }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('malloc' as const), size: fc.integer({ min: 1, max: 760 }) }) },
  { weight: 4, arbitrary: fc.record({ k: fc.constant('retire' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('retireOld' as const), age: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('scratch' as const), n: fc.integer({ min: 1, max: 150 }), size: fc.integer({ min: 1, max: 760 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('keep' as const), size: sizeArb }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('release' as const), pick: fc.nat() }) },
);
const scriptArb = fc.record({
  advanceEvery: fc.integer({ min: 1, max: 6 }),
  epochSlots: fc.constantFrom(4, 6, 16),
  scratchMode: fc.constantFrom<ScratchMode>('auto', 'epoch', 'free'),
  frames: fc.array(fc.array(opArb, { maxLength: 10 }), { minLength: 40, maxLength: 100, size: 'max' }),
});

let framesRun = 0;

class Model {
  readonly live = new Map<number, Obj>(); // by start offset
  readonly epochs = new Set<number>();
  private nextTag = 1;
  private readonly wrong: string[] = [];
  private frameAllocs = 0;
  private scratchThisFrame = 0;
  private retiredThisFrame = 0;
  private sinceAdvance = 0;
  private deferred = 0;

  constructor(
    private readonly heap: SlabAllocator,
    private readonly frames: FrameEpochs,
    private readonly advanceEvery: number,
  ) {}

  private add(id: number, ptr: boolean, start: number, size: number, long: boolean, scratch: boolean): void {
    // Checked with plain comparisons and asserted at the tick: an expect() per object is slow.
    if (!(id > 0)) this.wrong.push(`allocation returned ${id}`);
    if (start % 8 !== 0) this.wrong.push(`offset ${start} not 8-aligned`);
    // Never an object already live or retired-but-not-yet-freed at the same place.
    if (this.live.has(start)) this.wrong.push(`offset ${start} handed out while still live or retired`);
    const tag = this.nextTag++;
    const u32 = this.heap.u32;
    u32[start >> 2] = tag;
    u32[(start + size - 4) >> 2] = tag; // size >= 8 for tagged objects
    this.frameAllocs++;
    if (scratch) {
      this.scratchThisFrame++;
      this.live.set(start, { id, ptr, start, size, tag, epoch: -1, born: this.frames.frame, long: false, retired: true });
      return;
    }
    this.epochs.add(this.frames.epoch);
    this.live.set(start, { id, ptr, start, size, tag, epoch: this.frames.epoch, born: this.frames.frame, long, retired: false });
  }

  private retirable(long: boolean): Obj[] {
    return [...this.live.values()].filter((o) => !o.retired && o.long === long);
  }

  private retire(o: Obj): void {
    o.retired = true;
    this.retiredThisFrame++;
    if (o.ptr) this.frames.retirePtr(o.id);
    else this.frames.retire(o.id);
    if (!this.heap.isLive(o.ptr ? this.heap.f64[(o.id - 8) / 8] : o.id)) this.wrong.push(`retired ${o.id} freed before the tick`);
  }

  apply(op: Op): void {
    const { heap, frames } = this;
    switch (op.k) {
      case 'alloc':
        for (let i = 0; i < op.n; i++) {
          const h = heap.alloc(op.size, frames.epoch);
          this.add(h, false, heap.offset(h), Math.max(8, op.size), false, false);
        }
        return;
      case 'keep': {
        const h = heap.alloc(op.size, frames.epoch);
        this.add(h, false, heap.offset(h), Math.max(8, op.size), true, false);
        return;
      }
      case 'malloc': {
        const p = heap.malloc(op.size, frames.epoch);
        this.add(p, true, p, Math.max(8, op.size & ~3), false, false);
        return;
      }
      case 'scratch':
        for (let i = 0; i < op.n; i++) {
          const p = frames.scratch(op.size);
          this.add(p, true, p, Math.max(8, op.size & ~3), false, true);
        }
        return;
      case 'retire':
      case 'release': {
        const pool = this.retirable(op.k === 'release');
        if (pool.length > 0) this.retire(pool[op.pick % pool.length]);
        return;
      }
      case 'retireOld':
        for (const o of this.retirable(false)) if (frames.frame - o.born >= op.age) this.retire(o);
        return;
    }
  }

  tick(): void {
    const { heap, frames } = this;
    const deferredBefore = frames.report.advanceDeferred;
    const r = frames.tick();
    framesRun++;
    this.sinceAdvance++;
    const due = this.sinceAdvance >= this.advanceEvery;
    if (due && r.advanced) this.sinceAdvance = 0;
    if (due && !r.advanced) this.deferred++;
    expect(r.advanced ? due : true).toBe(true);
    expect(r.advanceDeferred).toBe(this.deferred);
    expect(r.advanceDeferred - deferredBefore).toBe(due && !r.advanced ? 1 : 0);
    expect(r.retiredFreed).toBe(this.retiredThisFrame);
    expect(r.retiredRejected).toBe(0);
    expect(r.scratchAllocs).toBe(this.scratchThisFrame);
    expect(r.allocs).toBe(this.frameAllocs);
    expect(r.frees).toBe(this.retiredThisFrame + this.scratchThisFrame);

    // Retired and scratch objects are gone; every other object is live and intact. Mismatches are
    // collected and asserted once (an expect() per object per tick would dominate the run time).
    const u32 = heap.u32; // re-read: the tick may have replaced the views
    const wrong = this.wrong;
    let liveBytesLowerBound = 0;
    for (const o of [...this.live.values()]) {
      if (o.retired) {
        this.live.delete(o.start);
        if (o.ptr ? heap.freePtr(o.id) : heap.isLive(o.id)) wrong.push(`retired ${o.id} still live`);
        continue;
      }
      if (!o.ptr && !heap.isLive(o.id)) wrong.push(`handle ${o.id} not live`);
      if (u32[o.start >> 2] !== o.tag || u32[(o.start + o.size - 4) >> 2] !== o.tag) wrong.push(`object at ${o.start} overwritten`);
      liveBytesLowerBound += o.size;
    }
    expect(wrong).toEqual([]);
    wrong.length = 0;
    expect(r.liveObjects).toBe(this.live.size);
    expect(r.liveBytes).toBeGreaterThanOrEqual(liveBytesLowerBound);

    // Every epoch left behind is closed while it holds model objects and free once it holds none.
    const holding = new Set<number>();
    for (const o of this.live.values()) holding.add(o.epoch);
    for (const e of this.epochs) {
      if (e === frames.epoch) continue;
      expect(heap.epochState(e)).toBe(holding.has(e) ? 'closed' : 'free');
      if (!holding.has(e)) this.epochs.delete(e);
    }
    expect(heap.epochState(frames.epoch)).toBe('open');
    expect(r.pendingEpochs).toBe([...holding].filter((e) => e !== frames.epoch).length);
    this.frameAllocs = 0;
    this.scratchThisFrame = 0;
    this.retiredThisFrame = 0;
    heap.check();
  }
}

describe('random frame scripts against a model', () => {
  it('heap agrees with the model after every operation and tick', () => {
    fc.assert(
      fc.property(scriptArb, (script) => {
        const { heap, frames } = setup(
          { advanceEvery: script.advanceEvery, scratchMode: script.scratchMode, retireCapacity: 8 },
          { epochSlots: script.epochSlots, slabBytes: 4096, cacheSlabs: 2 },
        );
        const model = new Model(heap, frames, script.advanceEvery);
        for (const ops of script.frames) {
          for (const op of ops) model.apply(op);
          model.tick();
        }
        frames.dispose();
        heap.check();
      }),
      { numRuns: 60, seed: 20_250_601 },
    );
  });

  afterAll(() => {
    // The brief asks for at least a few thousand frames in total.
    expect(framesRun).toBeGreaterThanOrEqual(3000);
  });
});
