import type { EpochSlotView, OverlayReadings } from '@tslab/overlay';
import type { StorageMode } from './settings.js';

/**
 * A small read-only window into the running demo for browser tests and benchmarks:
 * `window.__tslabDemo`. Every call returns fresh plain data (it allocates; not for the game loop).
 */
export interface DemoTestHook {
  /** Live particles in the current storage. */
  particleCount(): number;
  /** Frames simulated since the page loaded. */
  frame(): number;
  mode(): StorageMode;
  /** The overlay's epoch strip, one entry per ring slot (empty outside tslab mode). */
  epochStrip(): EpochSlotView[];
  /** The overlay's latest figures. */
  overlay(): OverlayReadings;
  /** Sprites in the Pixi ParticleContainer (equals particleCount after each frame). */
  spriteCount(): number;
  /** How the tslab heap is backed: 'SharedArrayBuffer' when the page is cross-origin isolated. */
  heapBacking(): 'SharedArrayBuffer' | 'ArrayBuffer' | 'none';
  crossOriginIsolated(): boolean;
  /**
   * Per-frame samples since the last `resetSamples()`: update time (µs), frame interval (ms), and the
   * worker's time for the frame shown (µs; -1 outside the worker mode).
   */
  samples(): { updateMicros: number[]; frameMs: number[]; workerMicros: number[] };
  /** Starts a new sampling window (touches only the sample ring, never the simulation). */
  resetSamples(): void;
  /** The Pixi renderer in use ('webgl', 'webgpu'...). */
  renderer(): string;
}

declare global {
  interface Window {
    __tslabDemo?: DemoTestHook;
  }
}

export function installTestHook(hook: DemoTestHook): void {
  Object.defineProperty(window, '__tslabDemo', { value: Object.freeze(hook), configurable: false, writable: false });
}
