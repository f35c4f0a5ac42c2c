/**
 * What the page and the particle worker share besides the heap: a control block and a render
 * buffer, both SharedArrayBuffers laid out here and nowhere else.
 *
 * Control block (Int32 words, then Float64 slots):
 *   REQUESTED  frames the page has asked for; the worker waits on this word
 *   DONE       frames the worker has finished; the page reads the render buffer only when
 *              DONE === REQUESTED, and writes bursts only then, so the two never touch the same
 *              data at the same time
 *   STOP       1: leave the loop
 *   BURSTS     bursts queued for the requested frame, each (n, x, y, life) in Float64 slots
 *   WORKER_MICROS (Float64): the worker's time for its last frame (spawn + update + tick)
 *
 * Render buffer: the particle count (Int32 word 0), then x and y (Float32) and the packed colour
 * (Uint32) of each particle, in the order of the worker store's dense list.
 */
import type { SharedHeapHandle } from '@tslab/core';
import { MAX_PARTICLES } from '../settings.js';

export const REQUESTED = 0;
export const DONE = 1;
export const STOP = 2;
export const BURSTS = 3;
const HEADER_WORDS = 4;

/** Bursts one frame can carry (the page keeps the rest for the next frame). */
export const MAX_BURSTS = 32;
export const BURST_FIELDS = 4;
/** Float64 index of burst b's first field. */
export function burstSlot(b: number): number {
  return HEADER_WORDS / 2 + b * BURST_FIELDS;
}
export const WORKER_MICROS = burstSlot(MAX_BURSTS);
const CONTROL_BYTES = (WORKER_MICROS + 1) * 8;

const COUNT = 0;
const RENDER_HEADER_BYTES = 16;

export interface RenderView {
  readonly header: Int32Array;
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly color: Uint32Array;
}

export function renderCount(view: RenderView): number {
  return view.header[COUNT];
}

export function setRenderCount(view: RenderView, n: number): void {
  view.header[COUNT] = n;
}

export function renderView(buffer: SharedArrayBuffer): RenderView {
  const capacity = (buffer.byteLength - RENDER_HEADER_BYTES) / 12;
  return {
    header: new Int32Array(buffer, 0, RENDER_HEADER_BYTES / 4),
    x: new Float32Array(buffer, RENDER_HEADER_BYTES, capacity),
    y: new Float32Array(buffer, RENDER_HEADER_BYTES + capacity * 4, capacity),
    color: new Uint32Array(buffer, RENDER_HEADER_BYTES + capacity * 8, capacity),
  };
}

/** What the page posts to the worker once, at start. */
export interface WorkerInit {
  /** `heap.share()` of the page's shared heap. */
  heap: SharedHeapHandle;
  control: SharedArrayBuffer;
  render: SharedArrayBuffer;
  /** Epoch cadence: advance every this many frames. */
  cadence: number;
}

export function createControl(): SharedArrayBuffer {
  return new SharedArrayBuffer(CONTROL_BYTES);
}

/** Room for MAX_PARTICLES, the cap every store applies. */
export function createRender(): SharedArrayBuffer {
  return new SharedArrayBuffer(RENDER_HEADER_BYTES + MAX_PARTICLES * 12);
}
