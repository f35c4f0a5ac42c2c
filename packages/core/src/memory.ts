/**
 * Memory source: the one buffer that holds user data, and how it grows and shrinks. Only the tail
 * of a buffer can be given back, so the slab layer places slabs low and releases from the top.
 *
 * - copy: a plain ArrayBuffer replaced by a grown or shrunk copy. Element access through its views
 *   is the fastest V8 offers; the old buffer's pages go back to the OS when V8 collects it.
 * - transfer: copy, but through ArrayBuffer.prototype.transfer, which hands the old buffer's pages
 *   back at once by detaching it. Opt-in, because detaching has a process-wide cost: V8 compiles
 *   typed-array accesses without a detached check only while no ArrayBuffer has ever been detached
 *   (a protector), and the first detach adds that check to every one of them, the game's included.
 *   Measured on Node 20 (cachegrind): +27% instructions per alloc+free pair, +34% for a bare
 *   Uint32Array free stack; 5-10% more time per pair.
 * - resizable: one resizable ArrayBuffer resized in place; views track its length and are never
 *   replaced; shrinking returns pages synchronously; element access is slower (NOTES.md).
 * - shared: a fixed SharedArrayBuffer of maxBytes (shared/memory.ts): views over a growable one
 *   cost 25x more per element access, and a SharedArrayBuffer never shrinks anyway.
 */
export type MemoryKind = 'copy' | 'transfer' | 'resizable' | 'shared';

export interface MemorySource {
  readonly kind: MemoryKind;
  buffer: ArrayBuffer | SharedArrayBuffer;
  /**
   * True when resize() replaces the buffer, so every view must be re-created. Such a resize copies
   * the data, so the heap grows by doubling and shrinks with hysteresis; in-place buffers follow
   * the slabs closely.
   */
  readonly replacesViews: boolean;
  /** True when resize() to a smaller size releases memory. */
  readonly canShrink: boolean;
  /** Sets the usable size; returns false when it could not (never past maxBytes). */
  resize(bytes: number): boolean;
}

/** ArrayBuffer.prototype.transfer (ES2024: Chrome 114+, Node 21+; Node 20 behind --harmony-rab-gsab-transfer). */
type Transfer = (this: ArrayBuffer, newByteLength: number) => ArrayBuffer;
const transfer = (ArrayBuffer.prototype as { transfer?: Transfer }).transfer;

export function hasTransfer(): boolean {
  return typeof transfer === 'function';
}

type MetadataArray = Uint8Array | Int8Array | Int16Array | Int32Array | Uint16Array | Uint32Array | Float64Array;

/**
 * A typed array of `length` elements holding `old`'s first elements; new elements are `fill` (or 0).
 * With `useTransfer` (the 'transfer' backing) the old array's memory is handed back at once by
 * ArrayBuffer.prototype.transfer (it must own its whole buffer, as the allocator's metadata arrays
 * do); otherwise it is copied and left to the GC.
 */
export function resizedArray<T extends MetadataArray>(old: T, length: number, fill?: number, useTransfer = false): T {
  const Ctor = old.constructor as new (bufferOrLength: ArrayBuffer | number) => T;
  if (useTransfer && typeof transfer === 'function' && old.byteOffset === 0 && old.byteLength === old.buffer.byteLength) {
    const kept = old.length; // read before the transfer detaches `old` (its length becomes 0)
    const next = new Ctor(transfer.call(old.buffer as ArrayBuffer, length * old.BYTES_PER_ELEMENT));
    if (fill !== undefined && fill !== 0 && length > kept) next.fill(fill, kept);
    return next;
  }
  const next = new Ctor(length);
  if (fill !== undefined && fill !== 0) next.fill(fill);
  next.set(old.length <= length ? old : old.subarray(0, length));
  return next;
}

class CopyMemory implements MemorySource {
  readonly kind: 'copy' | 'transfer';
  readonly replacesViews = true;
  readonly canShrink = true;
  /**
   * True when resize() moves the bytes with ArrayBuffer.prototype.transfer: the engine reallocates
   * and detaches the old buffer, so its memory goes back at once instead of when V8 collects it
   * (a shrunk 256 MB buffer: RSS down within the call). Views of the old buffer read as empty.
   */
  // transfer() still copies when the engine's realloc does (Node 20 here: growing to 256 MB by
  // quarters instead of doubling took 1.15 s instead of 0.46 s), so growth and shrinking keep the
  // policy of a replacing resize; what transfer changes is that each replaced buffer is freed at once.
  readonly transfers: boolean;
  buffer: ArrayBuffer;
  constructor(initialBytes: number, transfers: boolean) {
    this.kind = transfers ? 'transfer' : 'copy';
    this.transfers = transfers && typeof transfer === 'function';
    this.buffer = new ArrayBuffer(initialBytes);
  }
  resize(bytes: number): boolean {
    const old = this.buffer;
    if (bytes === old.byteLength) return true;
    let next: ArrayBuffer;
    try {
      if (this.transfers) next = (transfer as Transfer).call(old, bytes);
      else {
        next = new ArrayBuffer(bytes);
        new Uint8Array(next).set(new Uint8Array(old, 0, Math.min(bytes, old.byteLength)));
      }
    } catch {
      return false; // the engine refused the memory (the old buffer is intact): a resource limit
    }
    this.buffer = next;
    return true;
  }
}

class ResizableMemory implements MemorySource {
  readonly kind = 'resizable' as const;
  readonly replacesViews = false;
  readonly canShrink = true;
  buffer: ArrayBuffer;
  constructor(initialBytes: number, maxBytes: number) {
    this.buffer = new ArrayBuffer(initialBytes, { maxByteLength: maxBytes });
  }
  resize(bytes: number): boolean {
    try {
      this.buffer.resize(bytes);
      return true;
    } catch {
      return false;
    }
  }
}

/** Plain-mode memory; shared heaps bring their own fixed SharedArrayBuffer (shared/memory.ts). */
export function createMemory(kind: 'copy' | 'resizable' | 'transfer', initialBytes: number, maxBytes: number): MemorySource {
  if (kind === 'resizable') return new ResizableMemory(initialBytes, maxBytes);
  return new CopyMemory(initialBytes, kind === 'transfer');
}
