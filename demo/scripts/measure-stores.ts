/**
 * Each storage mode's frame time in Node (no Pixi, no browser): 5,000 spawns per frame, 60-frame
 * lifetime (about 300k live), 240 frames, the last 120 measured. A quick way to see the simulation
 * cost without a renderer; the browser numbers come from `npm run bench:browser -w @tslab/test`.
 *
 * Run: node --expose-gc --import tsx demo/scripts/measure-stores.ts [tslab|tslab-raw|plain|bitecs] [shared]
 */
import { ArraySprites } from '../src/stores/array-sprites.js';
import { BitecsStore } from '../src/stores/bitecs-store.js';
import { PlainStore } from '../src/stores/plain-store.js';
import type { ParticleStore } from '../src/stores/store.js';
import { TslabRawStore } from '../src/stores/tslab-raw-store.js';
import { TslabStore } from '../src/stores/tslab-store.js';

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
