/**
 * Typed views of every schema type over the heap's buffer. The core allocator exposes u8, i32, u32,
 * f32 and f64; schemas may also use i8, u16 and i16, so systems get all eight from one place.
 *
 * The object is cached per heap and refreshed only when `heap.buffer` changed (in the default 'copy'
 * backing the heap replaces its buffer when it grows or shrinks), so calling `heapViews(heap)` once
 * at the start of each system allocates nothing in the steady state.
 */
import type { FieldType, SlabHeap } from './types.js';

export interface HeapViews {
  /** The buffer these views cover; compare with `heap.buffer` to know they are current. */
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  readonly u8: Uint8Array;
  readonly i8: Int8Array;
  readonly u16: Uint16Array;
  readonly i16: Int16Array;
  readonly u32: Uint32Array;
  readonly i32: Int32Array;
  readonly f32: Float32Array;
  readonly f64: Float64Array;
}

interface MutableViews {
  buffer: ArrayBuffer | SharedArrayBuffer;
  u8: Uint8Array;
  i8: Int8Array;
  u16: Uint16Array;
  i16: Int16Array;
  u32: Uint32Array;
  i32: Int32Array;
  f32: Float32Array;
  f64: Float64Array;
}

const cache = new WeakMap<SlabHeap, MutableViews>();

function refresh(views: MutableViews, heap: SlabHeap): void {
  const buffer = heap.buffer;
  views.buffer = buffer;
  // The heap's own views are reused; the three it lacks are made over the same buffer. Views made
  // without a length track a resizable or growable buffer's size, as the heap's do.
  views.u8 = heap.u8;
  views.u32 = heap.u32;
  views.i32 = heap.i32;
  views.f32 = heap.f32;
  views.f64 = heap.f64;
  views.i8 = new Int8Array(buffer);
  views.u16 = new Uint16Array(buffer);
  views.i16 = new Int16Array(buffer);
}

/** Current views of the heap's buffer for all eight field types (re-read after anything that allocates). */
export function heapViews(heap: SlabHeap): HeapViews {
  let views = cache.get(heap);
  if (views === undefined) {
    views = {} as MutableViews;
    refresh(views, heap);
    cache.set(heap, views);
  } else if (views.buffer !== heap.buffer || views.f64 !== heap.f64) {
    refresh(views, heap);
  }
  return views;
}

/** Reads one field (slow path helper: a switch per call). */
export function readField(views: HeapViews, type: FieldType, byteOffset: number): number {
  switch (type) {
    case 'f32':
      return views.f32[byteOffset >> 2];
    case 'f64':
      return views.f64[byteOffset >> 3];
    case 'i32':
      return views.i32[byteOffset >> 2];
    case 'u32':
      return views.u32[byteOffset >> 2];
    case 'u16':
      return views.u16[byteOffset >> 1];
    case 'i16':
      return views.i16[byteOffset >> 1];
    case 'u8':
      return views.u8[byteOffset];
    case 'i8':
      return views.i8[byteOffset];
  }
}

/** Writes one field with the typed array's conversion (slow path helper). */
export function writeField(views: HeapViews, type: FieldType, byteOffset: number, value: number): void {
  switch (type) {
    case 'f32':
      views.f32[byteOffset >> 2] = value;
      return;
    case 'f64':
      views.f64[byteOffset >> 3] = value;
      return;
    case 'i32':
      views.i32[byteOffset >> 2] = value;
      return;
    case 'u32':
      views.u32[byteOffset >> 2] = value;
      return;
    case 'u16':
      views.u16[byteOffset >> 1] = value;
      return;
    case 'i16':
      views.i16[byteOffset >> 1] = value;
      return;
    case 'u8':
      views.u8[byteOffset] = value;
      return;
    case 'i8':
      views.i8[byteOffset] = value;
      return;
  }
}
