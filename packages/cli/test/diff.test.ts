import { describe, expect, it } from 'vitest';
import { createAllocator } from '@tslab/core';
import { colorsFor, diffDumps, isEmptyDiff, renderDiff } from '@tslab/cli';

const plain = colorsFor({ env: {}, flag: false });

describe('diffDumps', () => {
  it('reports global and per-class numeric deltas and epochs that appeared, disappeared or changed', () => {
    const heap = createAllocator({ diagnostics: true });
    const e0 = heap.epochCurrent();
    const hs: number[] = [];
    for (let i = 0; i < 10; i++) hs.push(heap.alloc(64));
    const a = heap.statsDump();

    const e1 = heap.epochAdvance(); // e0 closing, e1 appears
    heap.epochLabel(e1, 'wave-2');
    for (const h of hs) heap.free(h); // e0 drains: it disappears
    for (let i = 0; i < 5; i++) heap.alloc(300);
    const b = heap.statsDump();

    const d = diffDumps(a, b);
    expect(isEmptyDiff(d)).toBe(false);
    const g = Object.fromEntries(d.global.map((c) => [c.field, c]));
    expect(g.totalAllocs).toEqual({ field: 'totalAllocs', before: 10, after: 15, delta: 5 });
    expect(g.totalFrees).toEqual({ field: 'totalFrees', before: 0, after: 10, delta: 10 });
    expect(g.currentEpoch).toEqual({ field: 'currentEpoch', before: e0, after: e1, delta: e1 - e0 });
    expect(g.liveObjects).toMatchObject({ before: 10, after: 5, delta: -5 });
    expect(d.global.some((c) => c.field === 'shared')).toBe(false); // unchanged fields are left out

    const small = d.classes.find((k) => k.objectSize === 64)!;
    expect(small.changes.find((c) => c.field === 'totalFrees')).toEqual({ field: 'totalFrees', before: 0, after: 10, delta: 10 });
    expect(small.changes.find((c) => c.field === 'totalAllocs')).toBeUndefined();
    const big = d.classes.find((k) => k.objectSize === 384)!;
    expect(big.changes.find((c) => c.field === 'totalAllocs')?.delta).toBe(5);
    expect(d.classes.find((k) => k.objectSize === 96)).toBeUndefined();

    expect(d.epochs.appeared.map((e) => e.epoch)).toEqual([e1]);
    expect(d.epochs.appeared[0].label).toBe('wave-2');
    expect(d.epochs.disappeared.map((e) => e.epoch)).toEqual([e0]);
    expect(d.config).toEqual([]);

    const text = renderDiff(d, plain, { a: 'a.json', b: 'b.json' });
    expect(text).toContain('tslab diff a.json -> b.json');
    expect(text).toMatch(/totalAllocs\s+10 -> 15\s+\+5/);
    expect(text).toMatch(/liveObjects\s+10 -> 5\s+-5/);
    expect(text).toContain('class 0 (64 B)');
    expect(text).toMatch(new RegExp(`appeared\\s+epoch ${e1} "wave-2"`));
    expect(text).toMatch(new RegExp(`disappeared\\s+epoch ${e0} `));
    expect(text).not.toContain('\u001b['); // no colour codes when colour is off
    heap.check();
  });

  it('sees state changes of an epoch present in both dumps, config differences, and no change', () => {
    const heap = createAllocator();
    const e0 = heap.epochCurrent();
    heap.alloc(64);
    const a = heap.statsDump();
    heap.epochAdvance();
    heap.epochClose(e0);
    const b = heap.statsDump();
    const d = diffDumps(a, b);
    const changed = d.epochs.changed.find((e) => e.epoch === e0)!;
    expect(changed.changes.find((c) => c.field === 'state')).toEqual({ field: 'state', before: 'open', after: 'closed' });
    expect(isEmptyDiff(diffDumps(b, b))).toBe(true);
    expect(renderDiff(diffDumps(b, b), plain, { a: 'x', b: 'x' })).toContain('no differences');

    const other = createAllocator({ slabBytes: 1 << 14 }).statsDump();
    const cd = diffDumps(b, other);
    expect(cd.config.find((c) => c.field === 'slabBytes')).toEqual({ field: 'slabBytes', before: b.config.slabBytes, after: 1 << 14, delta: (1 << 14) - b.config.slabBytes });
    heap.check();
  });
});
