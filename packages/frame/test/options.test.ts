import { describe, expect, it } from 'vitest';
import { createAllocator } from '@tslab/core';
import { createFrameEpochs, FrameTimer, type FrameEpochsOptions } from '../src/index.js';
import { setup } from './helpers.js';

describe('createFrameEpochs options', () => {
  const heap = createAllocator();

  it('defaults: advance every frame, frame 0, epoch = heap current', () => {
    const frames = createFrameEpochs(heap);
    expect(frames.advanceEvery).toBe(1);
    expect(frames.frame).toBe(0);
    expect(frames.epoch).toBe(heap.epochCurrent());
    expect(frames.scratchEpoch).toBe(-1);
    heap.check();
  });

  it.each([
    [{ advanceEvery: 0 }, RangeError, /options\.advanceEvery must be an integer 1\.\.65535, got 0/],
    [{ advanceEvery: 65_536 }, RangeError, /advanceEvery.*1\.\.65535.*got 65536/],
    [{ advanceEvery: 1.5 }, RangeError, /advanceEvery.*got 1\.5/],
    [{ advanceEvery: Number.NaN }, RangeError, /advanceEvery.*got NaN/],
    [{ advanceEvery: '4' }, TypeError, /advanceEvery.*got "4"/],
    [{ sampleEvery: -1 }, RangeError, /options\.sampleEvery must be an integer 0\.\.65535, got -1/],
    [{ retireCapacity: 0 }, RangeError, /options\.retireCapacity must be an integer 1\.\.16777216, got 0/],
    [{ scratchMode: 'arena' }, TypeError, /options\.scratchMode must be 'auto', 'epoch' or 'free', got "arena"/],
    [{ advanceEvry: 4 }, TypeError, /unknown option "advanceEvry"/],
  ])('rejects %o', (options, kind, message) => {
    expect(() => createFrameEpochs(heap, options as FrameEpochsOptions)).toThrow(kind);
    expect(() => createFrameEpochs(heap, options as FrameEpochsOptions)).toThrow(message);
  });

  it('accepts the range ends', () => {
    expect(createFrameEpochs(heap, { advanceEvery: 65_535, sampleEvery: 0 }).advanceEvery).toBe(65_535);
    expect(createFrameEpochs(heap, { advanceEvery: 1, sampleEvery: 65_535, retireCapacity: 1 }).advanceEvery).toBe(1);
  });

  it('rejects a heap that is not an allocator and options that are not an object', () => {
    expect(() => createFrameEpochs({} as never)).toThrow(/heap must be a SlabAllocator/);
    expect(() => createFrameEpochs(null as never)).toThrow(TypeError);
    expect(() => createFrameEpochs(heap, 5 as never)).toThrow(/options must be an object or undefined, got 5/);
  });

  it('scratch rejects sizes outside 1..maxMallocSize naming the value and the range', () => {
    const { heap: h, frames } = setup();
    const max = h.maxMallocSize;
    expect(() => frames.scratch(0)).toThrow(RangeError);
    expect(() => frames.scratch(0)).toThrow(`scratch: size must be an integer 1..${max}, got 0`);
    expect(() => frames.scratch(max + 1)).toThrow(`got ${max + 1}`);
    expect(() => frames.scratch(2.5)).toThrow(RangeError);
    expect(() => frames.scratch('8' as never)).toThrow(TypeError);
    expect(frames.scratch(max)).toBeGreaterThan(0);
    frames.tick();
    h.check();
  });

  it('FrameTimer validates its options', () => {
    expect(() => new FrameTimer({ sampleEvery: 0 })).toThrow(RangeError);
    expect(() => new FrameTimer({ sampleEvery: 0 })).toThrow('FrameTimer: options.sampleEvery must be an integer 1..65535, got 0');
    expect(() => new FrameTimer({ window: 1.5 })).toThrow(/window.*got 1\.5/);
    expect(() => new FrameTimer({ window: 'x' as never })).toThrow(TypeError);
  });
});
