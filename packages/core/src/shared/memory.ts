import type { MemorySource } from '../memory.js';
import type { HeapConfig } from '../options.js';

/**
 * User memory of a shared heap: one fixed-size SharedArrayBuffer of maxBytes, created up front.
 * The OS commits its pages only when they are first written, so the untouched part costs address
 * space, not RSS; and typed arrays over a fixed SharedArrayBuffer run at plain-array speed, while
 * length-tracking views of a growable one were ~25x slower for field access on Node 20 (measured,
 * see README). "Growing" is the slab layer using more of it; nothing is ever given back.
 */
export class FixedSharedMemory implements MemorySource {
  readonly kind = 'shared' as const;
  readonly replacesViews = false;
  readonly canShrink = false;
  readonly buffer: SharedArrayBuffer;

  constructor(buffer: SharedArrayBuffer) {
    this.buffer = buffer;
  }

  resize(bytes: number): boolean {
    return bytes <= this.buffer.byteLength;
  }
}

export function createSharedMemory(config: HeapConfig): FixedSharedMemory {
  try {
    return new FixedSharedMemory(new SharedArrayBuffer(config.maxBytes));
  } catch {
    throw new RangeError(`options.maxBytes must be a size this engine can reserve as one SharedArrayBuffer (shared mode reserves it up front), got ${config.maxBytes}`);
  }
}
