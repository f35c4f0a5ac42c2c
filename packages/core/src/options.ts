import { assertInteger, invalid, outOfRange } from './errors.js';
import {
  DEFAULT_CACHE_SLABS,
  DEFAULT_EPOCH_SLOTS,
  DEFAULT_SIZE_CLASSES,
  DEFAULT_SLAB_BYTES,
  MAX_HEAP_BYTES,
} from './layout.js';
import { hasTransfer } from './memory.js';
import type { AllocatorOptions, BackingMode } from './types.js';

export interface HeapConfig {
  sizeClasses: number[];
  slabBytes: number;
  epochSlots: number;
  cacheSlabs: number;
  maxBytes: number;
  shared: boolean;
  diagnostics: boolean;
  backing: BackingMode;
}

const KNOWN = new Set(['sizeClasses', 'slabBytes', 'epochSlots', 'cacheSlabs', 'maxBytes', 'shared', 'diagnostics', 'backing']);

/** Validates options and fills defaults; every problem names the option, its value and the allowed range. */
export function resolveOptions(options: AllocatorOptions | undefined): HeapConfig {
  if (options === undefined) options = {};
  if (options === null || typeof options !== 'object') throw invalid('options', options, 'an object or undefined');
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key)) throw invalid(`options.${key}`, key, `one of ${[...KNOWN].join(', ')} (unknown option)`);
  }
  const slabBytes = options.slabBytes ?? DEFAULT_SLAB_BYTES;
  assertInteger('options.slabBytes', slabBytes, 4096, 1 << 20);
  if ((slabBytes & (slabBytes - 1)) !== 0) throw outOfRange('options.slabBytes', slabBytes, 'a power of two in 4096..1048576');

  const classes = options.sizeClasses ?? DEFAULT_SIZE_CLASSES;
  if (!Array.isArray(classes) || classes.length === 0 || classes.length > 64) {
    throw invalid('options.sizeClasses', classes, 'an array of 1..64 ascending multiples of 8');
  }
  const sizeClasses: number[] = [];
  for (let i = 0; i < classes.length; i++) {
    const size: unknown = classes[i];
    assertInteger(`options.sizeClasses[${i}]`, size, 16, slabBytes);
    if (size % 8 !== 0) throw outOfRange(`options.sizeClasses[${i}]`, size, `a multiple of 8 in 16..${slabBytes}`);
    if (i > 0 && size <= sizeClasses[i - 1]) {
      throw outOfRange(`options.sizeClasses[${i}]`, size, `greater than options.sizeClasses[${i - 1}] (${sizeClasses[i - 1]}): classes ascend`);
    }
    sizeClasses.push(size);
  }

  const epochSlots = options.epochSlots ?? DEFAULT_EPOCH_SLOTS;
  assertInteger('options.epochSlots', epochSlots, 2, 1024);
  const cacheSlabs = options.cacheSlabs ?? DEFAULT_CACHE_SLABS;
  assertInteger('options.cacheSlabs', cacheSlabs, 0, 65536);
  const maxBytes = options.maxBytes ?? MAX_HEAP_BYTES;
  assertInteger('options.maxBytes', maxBytes, 2 * slabBytes, MAX_HEAP_BYTES);

  const shared = options.shared ?? false;
  if (typeof shared !== 'boolean') throw invalid('options.shared', shared, 'a boolean');
  if (shared && typeof SharedArrayBuffer === 'undefined') {
    throw invalid('options.shared', shared, 'false here: SharedArrayBuffer is unavailable (a page must be cross-origin isolated)');
  }
  const diagnostics = options.diagnostics ?? false;
  if (typeof diagnostics !== 'boolean') throw invalid('options.diagnostics', diagnostics, 'a boolean');
  const backing = options.backing ?? 'copy';
  if (backing !== 'copy' && backing !== 'resizable' && backing !== 'transfer') throw invalid('options.backing', backing, "'copy', 'resizable' or 'transfer'");
  if (backing === 'transfer' && !hasTransfer()) {
    throw invalid('options.backing', backing, "'copy' or 'resizable' (this engine has no ArrayBuffer.prototype.transfer, which 'transfer' needs: Node 21+, Chrome 114+, Firefox 122+, Safari 17.4+)");
  }
  return { sizeClasses, slabBytes, epochSlots, cacheSlabs, maxBytes, shared, diagnostics, backing };
}
