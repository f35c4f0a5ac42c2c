/**
 * Memory source: the one buffer that holds user data, and how it grows and shrinks. Only the tail
 * of a buffer can be given back, so the slab layer places slabs low and releases from the top.
 *
 * - copy: a plain ArrayBuffer replaced by a grown or shrunk copy. Element access through its views
 *   is the fastest V8 offers; the old buffer's pages go back to the OS when V8 collects it.
 * - resizable: one resizable ArrayBuffer resized in place; views track its length and are never
 *   replaced; shrinking returns pages synchronously; element access is slower (NOTES.md).
 * - shared: a fixed SharedArrayBuffer of maxBytes (shared/memory.ts): views over a growable one
 *   cost 25x more per element access, and a SharedArrayBuffer never shrinks anyway.
 */
export type MemoryKind = 'copy' | 'resizable' | 'shared';

export interface MemorySource {
  readonly kind: MemoryKind;
  buffer: ArrayBuffer | SharedArrayBuffer;
  /** True when resize() replaces the buffer, so every view must be re-created. */
  readonly replacesViews: boolean;
  /** True when resize() to a smaller size releases memory. */
  readonly canShrink: boolean;
  /** Sets the usable size; returns false when it could not (never past maxBytes). */
  resize(bytes: number): boolean;
}

class CopyMemory implements MemorySource {
  readonly kind = 'copy' as const;
  readonly replacesViews = true;
  readonly canShrink = true;
  buffer: ArrayBuffer;
  constructor(initialBytes: number) {
    this.buffer = new ArrayBuffer(initialBytes);
  }
  resize(bytes: number): boolean {
    const old = this.buffer;
    if (bytes === old.byteLength) return true;
    let next: ArrayBuffer;
    try {
      next = new ArrayBuffer(bytes);
    } catch {
      return false; // the engine refused the memory: report it as a resource limit
    }
    new Uint8Array(next).set(new Uint8Array(old, 0, Math.min(bytes, old.byteLength)));
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
export function createMemory(kind: 'copy' | 'resizable', initialBytes: number, maxBytes: number): MemorySource {
  if (kind === 'resizable') return new ResizableMemory(initialBytes, maxBytes);
  return new CopyMemory(initialBytes);
}
