/**
 * The V8 map trap (packages/bitecs/README.md, "A V8 trap"): object literals with the same keys in
 * the same order share one map, and once a field of that map has held a non-number, every numeric
 * write to it allocates a heap number. This script updates 200k `{ x, y }` vectors after creating
 * one other object of each kind below, each case in a fresh process (a map, once generalized,
 * stays so for the whole process), cases interleaved over three rounds.
 *
 * Run: node bench/map-trap.mjs
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const VECTORS = 200_000;
const STEPS = 60;

const CASES = {
  'no other object': () => null,
  "schema { x: 'f32', y: 'f32' }": () => ({ x: 'f32', y: 'f32' }),
  'bitECS component { x: Float32Array, y: Float32Array }': () => ({ x: new Float32Array(8), y: new Float32Array(8) }),
  "schema { x: 'f32', y: 'f32', z: 'f32' }": () => ({ x: 'f32', y: 'f32', z: 'f32' }),
  "schema { x: 'f32', y: 'f32' }, vectors made by a class": () => ({ x: 'f32', y: 'f32' }),
};

class Vector {
  constructor(x, y) {
    this.x = x;
    this.y = y;
  }
}

/** One case in this process: ms per step over all vectors. */
function runCase(name) {
  globalThis.other = CASES[name]();
  const byClass = name.endsWith('by a class');
  const vectors = [];
  for (let i = 0; i < VECTORS; i++) vectors.push(byClass ? new Vector(1.5, 2.5) : { x: 1.5, y: 2.5 });
  const step = () => {
    for (let i = 0; i < vectors.length; i++) {
      const v = vectors[i];
      v.x += 0.1;
      v.y -= 0.1;
    }
  };
  for (let r = 0; r < STEPS / 2; r++) step();
  const t0 = performance.now();
  for (let r = 0; r < STEPS; r++) step();
  return (performance.now() - t0) / STEPS;
}

if (process.argv[2] !== undefined) {
  console.log(runCase(process.argv[2]).toFixed(2));
} else {
  const self = fileURLToPath(import.meta.url);
  const times = new Map(Object.keys(CASES).map((name) => [name, []]));
  for (let round = 0; round < 3; round++) {
    for (const name of Object.keys(CASES)) {
      times.get(name).push(execFileSync(process.execPath, [self, name], { encoding: 'utf8' }).trim());
    }
  }
  console.log(`ms per update of ${VECTORS.toLocaleString('en-US')} { x, y } vectors (three runs each), Node ${process.versions.node}:`);
  for (const [name, runs] of times) console.log(`  ${name.padEnd(58)} ${runs.join('  ')}`);
}
