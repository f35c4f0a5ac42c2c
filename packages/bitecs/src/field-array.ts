/**
 * Eid-indexed array-likes over one field of slab records, for code that indexes `C.field[eid]`
 * directly: the bitECS 0.4 snapshot/SoA serializers (they take `Object.keys(C)` as the field list
 * and read/write `C[field][eid]`), and convenience access in tools and tests.
 *
 * What the serializers need, read from bitecs/dist/serialization: each field value must pass
 * `ArrayBuffer.isView(v) || Array.isArray(v)` (a Proxy over an Array passes `Array.isArray`), and
 * its element type is found by `Symbol.for('bitecs-<type>') in v`. So the Proxy's target is an empty
 * Array carrying that tag; numeric keys are routed to slab memory, everything else to the target.
 */
import type { FieldArray, FieldType } from './types.js';

/** Reads and writes one field of the record of an eid (0 / ignored when it has none). */
export interface FieldAccess {
  readField(field: number, eid: number): number;
  writeField(field: number, eid: number, value: number): void;
}

const TYPE_TAGS: Readonly<Record<FieldType, symbol>> = {
  u8: Symbol.for('bitecs-u8'),
  i8: Symbol.for('bitecs-i8'),
  u16: Symbol.for('bitecs-u16'),
  i16: Symbol.for('bitecs-i16'),
  u32: Symbol.for('bitecs-u32'),
  i32: Symbol.for('bitecs-i32'),
  f32: Symbol.for('bitecs-f32'),
  f64: Symbol.for('bitecs-f64'),
};

const NOT_AN_EID = 0.5;

/**
 * The eid a property key names, or NOT_AN_EID. Eids are integers in -2^31..2^32-1: bitECS 0.4
 * builds versioned ids with `version << shift`, so versions >= 128 (of 8 bits) give negative eids.
 */
function eidOf(key: string | symbol): number {
  if (typeof key !== 'string') return NOT_AN_EID;
  const first = key.charCodeAt(0);
  if ((first < 48 || first > 57) && first !== 45) return NOT_AN_EID;
  const n = Number(key);
  return Number.isInteger(n) && n >= -0x80000000 && n <= 0xffffffff && String(n) === key ? n : NOT_AN_EID;
}

export function createFieldArray(access: FieldAccess, field: number, type: FieldType): FieldArray {
  const target: number[] = [];
  Object.defineProperty(target, TYPE_TAGS[type], { value: true, enumerable: false, writable: false, configurable: false });
  const handler: ProxyHandler<number[]> = {
    get(t, key, receiver) {
      const eid = eidOf(key);
      return eid === NOT_AN_EID ? Reflect.get(t, key, receiver) : access.readField(field, eid);
    },
    set(t, key, value, receiver) {
      const eid = eidOf(key);
      if (eid === NOT_AN_EID) return Reflect.set(t, key, value, receiver);
      access.writeField(field, eid, Number(value));
      return true;
    },
  };
  return new Proxy(target, handler) as unknown as FieldArray;
}
