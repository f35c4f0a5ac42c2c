import { describe, expect, it } from 'vitest';
import { createWorld } from 'bitecs';
import { layoutRecord, slabComponent, type Schema } from '../src/index.js';
import { smallHeap } from './helpers.js';

describe('layoutRecord', () => {
  it('places fields by decreasing alignment, schema order within a size, rounded to 8', () => {
    const layout = layoutRecord({ life: 'u16', x: 'f32', flag: 'u8', mass: 'f64', y: 'f32', hp: 'i16' });
    expect(layout.byteOffsets).toEqual({ mass: 0, x: 8, y: 12, life: 16, hp: 18, flag: 20 });
    expect(layout.recordBytes).toBe(24);
    expect(layout.fields.map((f) => f.name)).toEqual(['life', 'x', 'flag', 'mass', 'y', 'hp']);
  });

  it('aligns every field naturally for all type mixes', () => {
    const sizes = { u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, f32: 4, f64: 8 } as const;
    const types = Object.keys(sizes) as (keyof typeof sizes)[];
    for (let seed = 1; seed < 200; seed++) {
      const schema: Record<string, keyof typeof sizes> = {};
      let total = 0;
      for (let i = 0; i < 1 + (seed % 9); i++) {
        const t = types[(seed * 7 + i * 13) % types.length];
        schema[`f${i}`] = t;
        total += sizes[t];
      }
      const layout = layoutRecord(schema);
      expect(layout.recordBytes % 8).toBe(0);
      expect(layout.recordBytes).toBe(Math.max(8, Math.ceil(total / 8) * 8));
      const used = new Set<number>();
      for (const f of layout.fields) {
        expect(f.byteOffset % sizes[f.type]).toBe(0);
        for (let b = 0; b < sizes[f.type]; b++) {
          expect(used.has(f.byteOffset + b)).toBe(false); // no overlap
          used.add(f.byteOffset + b);
        }
        expect(f.byteOffset + sizes[f.type]).toBeLessThanOrEqual(layout.recordBytes);
      }
    }
  });

  it('a single u8 field still takes 8 bytes', () => {
    expect(layoutRecord({ a: 'u8' }).recordBytes).toBe(8);
  });

  it('rejects bad schemas with errors naming the field and value', () => {
    expect(() => layoutRecord(null as unknown as Schema)).toThrow(/schema must be an object.*null/);
    expect(() => layoutRecord({})).toThrow(RangeError);
    expect(() => layoutRecord({ x: 'float' as 'f32' })).toThrow(/schema\.x must be one of u8.*"float"/);
    expect(() => layoutRecord({ offsets: 'f32' })).toThrow(/"offsets" is reserved/);
    expect(() => layoutRecord({ component: 'f32' })).toThrow(/"component" is reserved/);
    expect(() => layoutRecord({ data: 'f32' })).toThrow(/"data" is reserved/);
    expect(() => layoutRecord({ '0': 'f32' })).toThrow(/must be an identifier/);
    expect(() => layoutRecord({ 'a-b': 'f32' })).toThrow(TypeError);
  });
});

describe('slabComponent arguments', () => {
  it('rejects a missing world, bad frames, bad pageShift and a bad heap', () => {
    const heap = smallHeap();
    const world = createWorld();
    expect(() => slabComponent(heap, { x: 'f32' }, { world: {} as never })).toThrow(/options\.world must be a bitECS 0\.4 world/);
    expect(() => slabComponent(heap, { x: 'f32' }, { world, frames: {} as never })).toThrow(/options\.frames/);
    expect(() => slabComponent(heap, { x: 'f32' }, { world, pageShift: 13 })).toThrow(/pageShift must be an integer 2\.\.12, got 13/);
    expect(() => slabComponent(heap, { x: 'f32' }, null as never)).toThrow(TypeError);
    expect(() => slabComponent({} as never, { x: 'f32' }, { world })).toThrow(/heap must be a SlabAllocator/);
    heap.check();
  });

  it('a record larger than the largest size class is refused by the heap', () => {
    const heap = smallHeap();
    const world = createWorld();
    const schema: Record<string, 'f64'> = {};
    for (let i = 0; i < 40; i++) schema[`v${i}`] = 'f64'; // 320 bytes > 256
    expect(() => slabComponent(heap, schema, { world })).toThrow(RangeError);
    heap.check();
  });
});
