/**
 * Each storage mode's frame time in Node (no Pixi, no browser): 5,000 spawns per frame, 60-frame
 * lifetime (about 300k live), 240 frames, the last 120 measured. A quick way to see the simulation
 * cost without a renderer; the browser numbers come from `npm run bench:browser -w @tslab/test`.
 *
 * Run: node --expose-gc --import tsx demo/scripts/measure-stores.ts [tslab|tslab-raw|plain|bitecs] [shared]
 */
import { MAX_PARTICLES } from '../src/settings.js';
import { BitecsStore } from '../src/stores/bitecs-store.js';
import { PlainStore } from '../src/stores/plain-store.js';
import type { ParticleStore, SpriteSink } from '../src/stores/store.js';
import { TslabRawStore } from '../src/stores/tslab-raw-store.js';
import { TslabStore } from '../src/stores/tslab-store.js';

/** Stands in for the Pixi sprites: the same per-slot arrays and slot bookkeeping, no drawing. */
class ArraySprites implements SpriteSink {
  private n = 0;
  readonly x = new Float32Array(MAX_PARTICLES);
  readonly y = new Float32Array(MAX_PARTICLES);
  readonly color = new Uint32Array(MAX_PARTICLES);
  readonly sync = true;
  get count(): number {
    return this.n;
  }
  add(x: number, y: number, color: number): number {
    this.x[this.n] = x;
    this.y[this.n] = y;
    this.color[this.n] = color;
    return this.n++;
  }
  removeAt(slot: number): number {
    const last = --this.n;
    if (last === slot) return -1;
    this.x[slot] = this.x[last];
    this.y[slot] = this.y[last];
    this.color[slot] = this.color[last];
    return last;
  }
  commit(): void {}
  clear(): void {
    this.n = 0;
  }
}

const mode = process.argv[2] ?? 'tslab';
const shared = process.argv[3] === 'shared';
const sprites = new ArraySprites();
const options = { cadence: 8, shared };
const store: ParticleStore =
  mode === 'tslab-raw' ? new TslabRawStore(sprites, options)
  : mode === 'bitecs' ? new BitecsStore(sprites)
  : mode === 'plain' ? new PlainStore(sprites)
  : new TslabStore(sprites, options);

const times: number[] = [];
for (let f = 0; f < 240; f++) {
  const t0 = performance.now();
  store.spawn(5000, 100, 100, 60);
  store.update();
  store.endFrame();
  times.push(performance.now() - t0);
}
const measured = times.slice(120).sort((a, b) => a - b);
console.log(
  `${mode}${shared ? ' (shared)' : ''}: ${store.count} live, frame p50 ${measured[60].toFixed(2)} ms, ` +
    `max ${measured[measured.length - 1].toFixed(2)} ms`,
);
store.destroy();
