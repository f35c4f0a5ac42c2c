/**
 * Sustained phase shifts (the seed's `sustained_phase_shifts 2000 10 20 256 64` test, re-imagined):
 * each cycle allocates a working set across several epochs (epochAdvance between batches), frees
 * every object, then closes those epochs (epochClose) and samples the cooldown: committed and
 * reserved bytes from statsGlobal() and the process RSS. Every `spikeEvery`-th cycle also runs a
 * pressure spike: ~spikeBytes of objects in one epoch, each object written once (so its pages are
 * really resident, as a game initializing its objects would), then freed and the epoch closed.
 * The spike records RSS before, at the peak, right after the close call, and after global.gc()
 * (a plain 'copy' ArrayBuffer only returns its pages when V8 collects the replaced buffer).
 */
import type { SlabAllocator } from '@tslab/core';
import { nowMs, rssBytes } from './measure.js';

export interface PhaseConfig {
  cycles: number;
  epochsPerCycle: number;
  objectsPerEpoch: number;
  /** Requested sizes, cycled per object (one per default size class). */
  sizes: readonly number[];
  /** A spike every `spikeEvery` cycles (the seed: 10)... */
  spikeEvery: number;
  /** ...of this many bytes... */
  spikeBytes: number;
  /** ...except at cycle `bigSpikeAt` and every `bigSpikeEvery` cycles after it (0 = never), where it is `bigSpikeBytes` (the seed's 256 MB). */
  bigSpikeEvery: number;
  bigSpikeAt: number;
  bigSpikeBytes: number;
  spikeObjectSize: number;
  /**
   * The two global.gc() calls (and the RSS readings after them) run on every big spike, the first
   * spike, and spikes ending a multiple of `gcEveryCycles` cycles; other spikes leave collection to
   * V8. Each pair of calls took ~90 ms here, so measuring it on all 200 spikes per mode would cost
   * half a minute of the suite's budget.
   */
  gcEveryCycles: number;
}

export interface CooldownSample {
  cycle: number;
  spike: boolean;
  committedBytes: number;
  reservedBytes: number;
  rssBytes: number;
}

export interface SpikeSample {
  cycle: number;
  bytes: number;
  objects: number;
  rssBefore: number;
  rssPeak: number;
  rssAfterClose: number;
  /** NaN when the spike was not sampled for GC (see gcEveryCycles). */
  rssAfterGc: number;
  /** After a second global.gc(): V8 frees a dead ArrayBuffer's memory off-thread after the GC that found it dead; the next GC waits for that. */
  rssAfterGc2: number;
  reservedPeak: number;
  reservedAfterClose: number;
  closeReclaimedBytes: number;
  /** Time to allocate (and write once) the spike's objects: includes every buffer growth. */
  allocMs: number;
  closeMs: number;
  /** Time of the two global.gc() calls. */
  gcMs: number;
  allocFailures: number;
}

export interface PhaseResult {
  cooldowns: CooldownSample[];
  spikes: SpikeSample[];
  /** Null allocations or rejected frees outside spikes: must be 0. */
  failures: number;
  elapsedMs: number;
}

export const DEFAULT_SIZES: readonly number[] = [64, 96, 128, 192, 256, 384, 512, 768];

export function runPhaseShifts(heap: SlabAllocator, cfg: PhaseConfig): PhaseResult {
  const t0 = nowMs();
  const perCycle = cfg.epochsPerCycle * cfg.objectsPerEpoch;
  const handles = new Float64Array(perCycle);
  const epochs = new Float64Array(cfg.epochsPerCycle);
  const spikeObjects = Math.ceil(Math.max(cfg.spikeBytes, cfg.bigSpikeEvery > 0 ? cfg.bigSpikeBytes : 0) / cfg.spikeObjectSize);
  const spikeHandles = new Float64Array(spikeObjects);
  const sizes = cfg.sizes;
  const cooldowns: CooldownSample[] = [];
  const spikes: SpikeSample[] = [];
  let failures = 0;

  for (let cycle = 0; cycle < cfg.cycles; cycle++) {
    let n = 0;
    for (let e = 0; e < cfg.epochsPerCycle; e++) {
      epochs[e] = heap.epochCurrent();
      for (let i = 0; i < cfg.objectsPerEpoch; i++) {
        const h = heap.alloc(sizes[n % sizes.length]);
        if (h === 0) failures++;
        handles[n++] = h;
      }
      heap.epochAdvance();
    }
    for (let i = 0; i < n; i++) if (!heap.free(handles[i])) failures++;
    for (let e = 0; e < cfg.epochsPerCycle; e++) heap.epochClose(epochs[e]);

    const spike = cycle % cfg.spikeEvery === cfg.spikeEvery - 1;
    if (spike) {
      const big = isBigSpike(cfg, cycle);
      const objects = Math.ceil((big ? cfg.bigSpikeBytes : cfg.spikeBytes) / cfg.spikeObjectSize);
      const collect = big || spikes.length === 0 || (cycle + 1) % cfg.gcEveryCycles === 0;
      spikes.push(runSpike(heap, cycle, spikeHandles.subarray(0, objects), cfg.spikeObjectSize, collect));
    }
    const g = heap.statsGlobal();
    cooldowns.push({ cycle, spike, committedBytes: g.committedBytes, reservedBytes: g.reservedBytes, rssBytes: rssBytes() });
  }
  return { cooldowns, spikes, failures, elapsedMs: nowMs() - t0 };
}

export function isBigSpike(cfg: PhaseConfig, cycle: number): boolean {
  return cfg.bigSpikeEvery > 0 && cycle >= cfg.bigSpikeAt && (cycle - cfg.bigSpikeAt) % cfg.bigSpikeEvery === 0;
}

function runSpike(heap: SlabAllocator, cycle: number, handles: Float64Array, size: number, collect: boolean): SpikeSample {
  const rssBefore = rssBytes();
  const a0 = nowMs();
  const epoch = heap.epochAdvance();
  let allocFailures = 0;
  for (let i = 0; i < handles.length; i++) {
    const h = heap.alloc(size);
    if (h === 0) {
      allocFailures++;
      handles[i] = 0;
      continue;
    }
    handles[i] = h;
    // Re-read the view after alloc: in 'copy' mode growth replaces it.
    heap.u32[heap.offset(h) >>> 2] = i;
  }
  const allocMs = nowMs() - a0;
  const rssPeak = rssBytes();
  const reservedPeak = heap.statsGlobal().reservedBytes;
  heap.epochAdvance();
  for (let i = 0; i < handles.length; i++) {
    if (handles[i] !== 0 && !heap.free(handles[i])) allocFailures++;
  }
  const c0 = nowMs();
  const report = heap.epochClose(epoch);
  const closeMs = nowMs() - c0;
  const rssAfterClose = rssBytes();
  const reservedAfterClose = heap.statsGlobal().reservedBytes;
  let rssAfterGc = Number.NaN;
  let rssAfterGc2 = Number.NaN;
  let gcMs = 0;
  if (collect) {
    const g0 = nowMs();
    globalThis.gc?.();
    rssAfterGc = rssBytes();
    globalThis.gc?.();
    rssAfterGc2 = rssBytes();
    gcMs = nowMs() - g0;
  }
  return {
    cycle,
    bytes: handles.length * size,
    objects: handles.length,
    rssBefore,
    rssPeak,
    rssAfterClose,
    rssAfterGc,
    rssAfterGc2,
    reservedPeak,
    reservedAfterClose,
    closeReclaimedBytes: report.reclaimedBytes,
    allocMs,
    closeMs,
    gcMs,
    allocFailures,
  };
}

/**
 * Fraction of the spike's RSS growth given back between the peak and `after`. NaN when RSS grew by
 * less than a quarter of the spike's bytes: the spike then reused memory the process already held
 * (e.g. freed but not unmapped by the C allocator), and the ratio would only measure noise.
 */
export function returnedFraction(s: SpikeSample, after: number): number {
  const grown = s.rssPeak - s.rssBefore;
  return grown < s.bytes / 4 || Number.isNaN(after) ? Number.NaN : (s.rssPeak - after) / grown;
}

export interface Drift {
  /** Mean of the first tenth of post-warm-up cooldowns (non-spike cycles). */
  start: number;
  /** Mean of the last tenth. */
  end: number;
  /** (end - start) / start. */
  drift: number;
  /** (max - min) / min over all post-warm-up cooldowns. */
  spread: number;
}

export function driftOf(samples: readonly CooldownSample[], warmupCycles: number, pick: (s: CooldownSample) => number): Drift {
  const values = samples.filter((s) => !s.spike && s.cycle >= warmupCycles).map(pick);
  if (values.length === 0) return { start: Number.NaN, end: Number.NaN, drift: Number.NaN, spread: Number.NaN };
  const tenth = Math.max(1, Math.floor(values.length / 10));
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const start = mean(values.slice(0, tenth));
  const end = mean(values.slice(values.length - tenth));
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return { start, end, drift: (end - start) / start, spread: (max - min) / min };
}
