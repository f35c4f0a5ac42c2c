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
  spikeEvery: number;
  spikeBytes: number;
  spikeObjectSize: number;
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
  objects: number;
  rssBefore: number;
  rssPeak: number;
  rssAfterClose: number;
  rssAfterGc: number;
  reservedPeak: number;
  reservedAfterClose: number;
  closeReclaimedBytes: number;
  closeMs: number;
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
  const spikeObjects = Math.ceil(cfg.spikeBytes / cfg.spikeObjectSize);
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
    if (spike) spikes.push(runSpike(heap, cycle, spikeHandles, cfg.spikeObjectSize));
    const g = heap.statsGlobal();
    cooldowns.push({ cycle, spike, committedBytes: g.committedBytes, reservedBytes: g.reservedBytes, rssBytes: rssBytes() });
  }
  return { cooldowns, spikes, failures, elapsedMs: nowMs() - t0 };
}

function runSpike(heap: SlabAllocator, cycle: number, handles: Float64Array, size: number): SpikeSample {
  const rssBefore = rssBytes();
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
  globalThis.gc?.();
  const rssAfterGc = rssBytes();
  return {
    cycle,
    objects: handles.length,
    rssBefore,
    rssPeak,
    rssAfterClose,
    rssAfterGc,
    reservedPeak,
    reservedAfterClose,
    closeReclaimedBytes: report.reclaimedBytes,
    closeMs,
    allocFailures,
  };
}

/** Fraction of the spike's RSS growth given back between the peak and `after`. */
export function returnedFraction(s: SpikeSample, after: number): number {
  const grown = s.rssPeak - s.rssBefore;
  return grown <= 0 ? Number.NaN : (s.rssPeak - after) / grown;
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
