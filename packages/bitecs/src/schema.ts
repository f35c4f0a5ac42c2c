/**
 * Record layout of a schema. Fields are placed by decreasing alignment (f64 first, then 4-, 2- and
 * 1-byte fields, schema order within a size), so every field is naturally aligned inside a record
 * whose offset is a multiple of 8, and the record is rounded up to 8 bytes. Systems then address a
 * field with one shift: `f32[(recordOffset + fields.x) >> 2]`.
 */
import type { FieldType, Schema } from './types.js';

export const FIELD_BYTES: Readonly<Record<FieldType, number>> = {
  u8: 1,
  i8: 1,
  u16: 2,
  i16: 2,
  u32: 4,
  i32: 4,
  f32: 4,
  f64: 8,
};

export interface FieldLayout {
  readonly name: string;
  readonly type: FieldType;
  /** Byte offset inside the record; a multiple of the field's size. */
  readonly byteOffset: number;
}

export interface RecordLayout {
  /** In schema order. */
  readonly fields: readonly FieldLayout[];
  /** Field name -> byte offset inside the record. */
  readonly byteOffsets: Readonly<Record<string, number>>;
  /** Multiple of 8, at least 8. */
  readonly recordBytes: number;
}

/**
 * Names a schema field may not take: members of the component's prototype (they would be shadowed),
 * and `component` / `data`, which bitECS's addComponent reads to tell `set(C, data)` from a component.
 */
export const RESERVED_FIELD_NAMES: ReadonlySet<string> = new Set([
  'component',
  'data',
  'heap',
  'world',
  'schema',
  'fields',
  'recordBytes',
  'idMask',
  'pageShift',
  'pageMask',
  'pages',
  'offsets',
  'sinkOffset',
  'liveRecords',
  'disposed',
  'offsetOf',
  'handleOf',
  'has',
  'ensure',
  'read',
  'write',
  'sweepPrefabs',
  'trim',
  'stats',
  'dispose',
  'constructor',
  '__proto__',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
]);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** Validates a schema (TypeError naming the field and its value) and lays out its record. */
export function layoutRecord(schema: Schema): RecordLayout {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    throw new TypeError(`slabComponent: schema must be an object of field -> type, got ${describe(schema)}`);
  }
  const names = Object.keys(schema);
  if (names.length === 0 || names.length > 64) {
    throw new RangeError(`slabComponent: schema must have 1..64 fields, got ${names.length}`);
  }
  for (const name of names) {
    if (!IDENTIFIER.test(name)) {
      throw new TypeError(`slabComponent: schema field name ${JSON.stringify(name)} must be an identifier ([A-Za-z_$][A-Za-z0-9_$]*)`);
    }
    if (RESERVED_FIELD_NAMES.has(name)) {
      throw new TypeError(`slabComponent: schema field name ${JSON.stringify(name)} is reserved (a member of the component or read by bitECS)`);
    }
    const type: unknown = schema[name];
    if (typeof type !== 'string' || !Object.hasOwn(FIELD_BYTES, type)) {
      throw new TypeError(`slabComponent: schema.${name} must be one of u8, i8, u16, i16, u32, i32, f32, f64, got ${describe(type)}`);
    }
  }
  // Stable sort by decreasing size keeps schema order among fields of the same size.
  const bySize = names.slice().sort((a, b) => FIELD_BYTES[schema[b]] - FIELD_BYTES[schema[a]]);
  const byteOffsets: Record<string, number> = {};
  let cursor = 0;
  for (const name of bySize) {
    byteOffsets[name] = cursor;
    cursor += FIELD_BYTES[schema[name]];
  }
  const recordBytes = Math.max(8, (cursor + 7) & ~7);
  const fields = names.map((name) => Object.freeze({ name, type: schema[name], byteOffset: byteOffsets[name] }));
  return Object.freeze({ fields: Object.freeze(fields), byteOffsets: Object.freeze(byteOffsets), recordBytes });
}
