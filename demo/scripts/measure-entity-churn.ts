/**
 * How much garbage and time bitECS 0.4 entity churn costs per particle, for the demo's choice
 * between addEntity/removeEntity per particle, a pool of entities that only gain and lose the
 * particle component, and a pool whose entities keep it. Run: node --expose-gc --import tsx demo/scripts/measure-entity-churn.ts
 */
import { addComponent, addEntity, createWorld, query, removeComponent, removeEntity } from 'bitecs';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const LIVE = 300_000; // live particles (5,000 per frame x 60 frames)
const PER_FRAME = 5_000;
const FRAMES = 240;

interface Variant {
  name: string;
  setup(): void;
  frame(): void;
}

/** 'kept': pooled entities keep the component (the demo's choice; with @tslab/bitecs the record is released/renewed instead). */
function makeVariant(name: string, pooled: boolean | 'kept', useQuery: boolean): Variant {
  const world = createWorld();
  const P = { x: new Float32Array(1 << 20), age: new Uint16Array(1 << 20) };
  const TERMS = [P];
  const ring = new Uint32Array(LIVE); // FIFO of live eids: oldest dies first (fixed lifetime)
  const pool = new Uint32Array(LIVE + PER_FRAME);
  let head = 0;
  let poolTop = 0;
  function spawn(): number {
    let eid: number;
    if (pooled === 'kept' && poolTop > 0) {
      eid = pool[--poolTop]; // keeps its component: no bitECS call
    } else {
      eid = pooled && poolTop > 0 ? pool[--poolTop] : addEntity(world);
      addComponent(world, eid, P);
    }
    P.x[eid] = 1;
    P.age[eid] = 0;
    return eid;
  }
  function kill(eid: number): void {
    if (pooled === 'kept') {
      pool[poolTop++] = eid;
    } else if (pooled) {
      removeComponent(world, eid, P);
      pool[poolTop++] = eid;
    } else {
      removeEntity(world, eid);
    }
  }
  return {
    name,
    setup() {
      for (let i = 0; i < LIVE; i++) ring[i] = spawn();
    },
    frame() {
      for (let i = 0; i < PER_FRAME; i++) {
        kill(ring[head]);
        ring[head] = spawn();
        head = (head + 1) % LIVE;
      }
      let s = 0;
      if (useQuery) {
        const ents = query(world, TERMS);
        for (let i = 0; i < ents.length; i++) s += P.x[ents[i]];
      } else {
        for (let i = 0; i < LIVE; i++) s += P.x[ring[i]];
      }
      if (s < 0) console.log(s);
    },
  };
}

const VARIANTS = [
  ['addEntity/removeEntity, query()', false, true],
  ['entity pool + add/removeComponent, query()', true, true],
  ['addEntity/removeEntity, own dense list', false, false],
  ['entity pool + add/removeComponent, own dense list', true, false],
  ['entity pool, component kept, own dense list', 'kept', false],
] as const;
for (const [name, pooled, useQuery] of VARIANTS) {
  const v = makeVariant(name, pooled, useQuery);
  v.setup();
  for (let f = 0; f < 60; f++) v.frame(); // warm up (JIT + steady state)
  gc();
  let growth = 0;
  let ms = 0;
  const times: number[] = [];
  for (let f = 0; f < FRAMES; f++) {
    const before = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    v.frame();
    const dt = performance.now() - t0;
    const after = process.memoryUsage().heapUsed;
    if (after > before) growth += after - before; // a scavenge inside the window hides garbage
    ms += dt;
    times.push(dt);
  }
  times.sort((a, b) => a - b);
  console.log(
    `${name}: ~${(growth / (FRAMES * PER_FRAME)).toFixed(0)} heap bytes per spawn+death (lower bound), ` +
      `${((ms / (FRAMES * PER_FRAME)) * 1e6).toFixed(0)} ns per spawn+death incl. query, ` +
      `frame median ${times[FRAMES >> 1].toFixed(2)} ms, max ${times[FRAMES - 1].toFixed(2)} ms`,
  );
}
