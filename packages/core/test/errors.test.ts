import { describe, expect, it } from 'vitest';
import { createAllocator, type AllocatorOptions } from '../src/index.js';
import { makeHeap } from './helpers.js';

type Call = [label: string, call: () => unknown, error: typeof TypeError | typeof RangeError, message: string];

const hasTransfer = typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer === 'function';

describe('bad input: programming errors throw TypeError/RangeError naming the argument, the value and the range', () => {
  const heap = makeHeap();
  const past = heap.epochCurrent();
  const bad = (options: unknown) => () => createAllocator(options as AllocatorOptions);
  const calls: Call[] = [
    ['alloc(0)', () => heap.alloc(0), RangeError, 'size must be an integer in 1..768 bytes, got 0'],
    ['alloc(-1)', () => heap.alloc(-1), RangeError, 'size must be an integer in 1..768 bytes, got -1'],
    ['alloc(769)', () => heap.alloc(769), RangeError, 'size must be an integer in 1..768 bytes, got 769'],
    ['alloc(NaN)', () => heap.alloc(NaN), TypeError, 'size must be an integer in 1..768 bytes, got NaN'],
    ['alloc(1.5)', () => heap.alloc(1.5), TypeError, 'size must be an integer in 1..768 bytes, got 1.5'],
    ['alloc("64")', () => heap.alloc('64' as unknown as number), TypeError, 'size must be an integer in 1..768 bytes, got string "64"'],
    ['alloc(Infinity)', () => heap.alloc(Infinity), TypeError, 'size must be an integer in 1..768 bytes, got Infinity'],
    ['alloc(64, 999)', () => heap.alloc(64, 999), RangeError, 'epoch must be an epoch id this allocator handed out (0..0), got 999'],
    ['alloc(64, -1)', () => heap.alloc(64, -1), RangeError, 'epoch must be an epoch id this allocator handed out (0..0), got -1'],
    ['alloc(64, 0.5)', () => heap.alloc(64, 0.5), TypeError, 'epoch must be an epoch id (an integer in 0..0), got 0.5'],
    ['malloc(0)', () => heap.malloc(0), RangeError, 'size must be an integer in 1..760 bytes, got 0'],
    ['malloc(761)', () => heap.malloc(761), RangeError, 'size must be an integer in 1..760 bytes, got 761'],
    ['malloc(undefined)', () => heap.malloc(undefined as unknown as number), TypeError, 'size must be an integer in 1..760 bytes, got undefined undefined'],
    ['epochClose(5)', () => heap.epochClose(5), RangeError, 'e must be an epoch id this allocator handed out (0..0), got 5'],
    ['epochReset("0")', () => heap.epochReset('0' as unknown as number), TypeError, 'e must be an epoch id (an integer in 0..0), got string 0'],
    ['epochState(-3)', () => heap.epochState(-3), RangeError, 'e must be an epoch id this allocator handed out (0..0), got -3'],
    ['epochLabel(past, "")', () => heap.epochLabel(past, ''), TypeError, 'label must be a string of 1..64 characters, got ""'],
    ['statsClass(8)', () => heap.statsClass(8), RangeError, 'i must be a size class index in 0..7, got 8'],
    ['statsClass(-1)', () => heap.statsClass(-1), RangeError, 'i must be a size class index in 0..7, got -1'],
    ['statsEpoch(1e9)', () => heap.statsEpoch(1e9), RangeError, 'e must be an epoch id this allocator handed out (0..0), got 1000000000'],
    ['sizeClasses: []', bad({ sizeClasses: [] }), TypeError, 'options.sizeClasses must be an array of 1..64 ascending multiples of 8, got [object Array]'],
    ['sizeClasses not ascending', bad({ sizeClasses: [64, 64] }), RangeError, 'options.sizeClasses[1] must be greater than options.sizeClasses[0] (64): classes ascend, got 64'],
    ['sizeClasses not multiple of 8', bad({ sizeClasses: [60] }), RangeError, 'options.sizeClasses[0] must be a multiple of 8 in 16..65536, got 60'],
    ['sizeClasses larger than a slab', bad({ sizeClasses: [8192], slabBytes: 4096 }), RangeError, 'options.sizeClasses[0] must be an integer in 16..4096, got 8192'],
    ['slabBytes not a power of two', bad({ slabBytes: 5000 }), RangeError, 'options.slabBytes must be a power of two in 4096..1048576, got 5000'],
    ['slabBytes too small', bad({ slabBytes: 1024 }), RangeError, 'options.slabBytes must be an integer in 4096..1048576, got 1024'],
    ['epochSlots 1', bad({ epochSlots: 1 }), RangeError, 'options.epochSlots must be an integer in 2..1024, got 1'],
    ['epochSlots 2.5', bad({ epochSlots: 2.5 }), TypeError, 'options.epochSlots must be an integer in 2..1024, got 2.5'],
    ['cacheSlabs -1', bad({ cacheSlabs: -1 }), RangeError, 'options.cacheSlabs must be an integer in 0..65536, got -1'],
    ['maxBytes too large', bad({ maxBytes: 2 ** 40 }), RangeError, 'options.maxBytes must be an integer in 131072..536870912, got 1099511627776'],
    ['shared "yes"', bad({ shared: 'yes' }), TypeError, 'options.shared must be a boolean, got "yes"'],
    ['diagnostics 1', bad({ diagnostics: 1 }), TypeError, 'options.diagnostics must be a boolean, got 1'],
    ['backing "mmap"', bad({ backing: 'mmap' }), TypeError, `options.backing must be 'copy', 'resizable' or 'transfer', got "mmap"`],
    ...(hasTransfer
      ? []
      : ([['backing "transfer" without ArrayBuffer.prototype.transfer', bad({ backing: 'transfer' }), TypeError, `options.backing must be 'copy' or 'resizable' (this engine has no ArrayBuffer.prototype.transfer, which 'transfer' needs: Node 21+, Chrome 114+, Firefox 122+, Safari 17.4+), got "transfer"`]] as Call[])),
    ['unknown option', bad({ slabSize: 4096 }), TypeError, 'options.slabSize must be one of sizeClasses, slabBytes, epochSlots, cacheSlabs, maxBytes, shared, diagnostics, backing (unknown option), got "slabSize"'],
    ['options not an object', bad(42), TypeError, 'options must be an object or undefined, got 42'],
    ['domain reset "no"', () => heap.domain({ reset: 'no' as unknown as boolean }), TypeError, 'options.reset must be a boolean, got no'],
  ];

  it(`enumerates ${calls.length} bad calls`, () => {
    expect(calls.length).toBeGreaterThanOrEqual(25);
  });

  for (const [label, call, type, message] of calls) {
    it(`${label} -> ${type.name}: ${message}`, () => {
      let thrown: unknown;
      try {
        call();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(type);
      expect((thrown as Error).message).toBe(message);
    });
  }

  it('bad calls lose nothing: the heap is intact and usable afterwards', () => {
    const h = heap.alloc(64);
    heap.u32[heap.offset(h) >> 2] = 42;
    for (const [, call] of calls) {
      try {
        call();
      } catch {
        // expected
      }
    }
    expect(heap.u32[heap.offset(h) >> 2]).toBe(42);
    expect(heap.statsGlobal().liveObjects).toBe(1);
    expect(heap.free(h)).toBe(true);
  });
});
