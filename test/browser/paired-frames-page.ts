/**
 * Page side of bench-paired.ts: the demo's stores (the same source as demo/src) run in one page,
 * taking turns frame by frame, back to back. Each store draws into per-slot arrays like the demo's
 * sprites, without Pixi.
 */
import { BitecsStore } from '../../demo/src/stores/bitecs-store.js';
import { PlainStore } from '../../demo/src/stores/plain-store.js';
import { ArraySprites } from '../../demo/src/stores/array-sprites.js';
import type { ParticleStore } from '../../demo/src/stores/store.js';
import { TslabRawStore } from '../../demo/src/stores/tslab-raw-store.js';
import { TslabStore } from '../../demo/src/stores/tslab-store.js';

export type PairedMode = 'tslab' | 'tslab-raw' | 'plain' | 'bitecs';

export interface PairedResult {
  mode: PairedMode;
  /** Whole frame (spawn + update + end of frame), ms, one entry per measured frame. */
  frameMs: number[];
}

function createStore(mode: PairedMode): ParticleStore {
  const sprites = new ArraySprites();
  const heap = { cadence: 8, shared: false };
  if (mode === 'tslab') return new TslabStore(sprites, heap);
  if (mode === 'tslab-raw') return new TslabRawStore(sprites, heap);
  if (mode === 'plain') return new PlainStore(sprites);
  return new BitecsStore(sprites);
}

/**
 * Runs `warmup + measured` frames of each mode, the modes taking turns frame by frame; each frame
 * spawns `spawns` particles living `life` frames, moves every particle and removes the dead.
 */
export function runPairedFrames(modes: PairedMode[], spawns: number, life: number, warmup: number, measured: number): PairedResult[] {
  const stores = modes.map(createStore);
  const results: PairedResult[] = modes.map((mode) => ({ mode, frameMs: [] }));
  for (let frame = 0; frame < warmup + measured; frame++) {
    for (let s = 0; s < stores.length; s++) {
      const store = stores[s];
      const t0 = performance.now();
      store.spawn(spawns, 100, 100, life);
      store.update();
      store.endFrame();
      const t1 = performance.now();
      if (frame >= warmup) results[s].frameMs.push(t1 - t0);
    }
  }
  for (const store of stores) store.destroy();
  return results;
}

(globalThis as unknown as { runPairedFrames: typeof runPairedFrames }).runPairedFrames = runPairedFrames;
