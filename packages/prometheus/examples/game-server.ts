/**
 * A headless game server: a bitECS 0.4 world simulated at 30 ticks/s whose per-entity records live
 * in tslab slab memory (one heap.alloc per entity), exported for Prometheus (/metrics) and for
 * `tslab watch` (/stats.json).
 *
 *   npx tsx packages/prometheus/examples/game-server.ts --port 9464          # until Ctrl-C
 *   npx tsx packages/prometheus/examples/game-server.ts --port 0 --ticks 300 # stop after 10 s
 *   npx tsx packages/prometheus/examples/game-server.ts --ticks 60 --hold    # stop simulating, keep serving
 *
 * Entities are spawned in waves and despawned when their life runs out (0.5..4 s). Records are
 * allocated in the frame epoch and freed through frames.retire() (deferred to the end of the tick,
 * so bitECS never iterates an entity whose record was already reused); frames.tick() advances the
 * epoch every 15 ticks and closes the old one, which drains as its entities die.
 */
import { parseArgs } from 'node:util';
import { addComponent, addEntity, createWorld, query, removeEntity } from 'bitecs';
import { createAllocator } from '@tslab/core';
import { createFrameEpochs } from '@tslab/frame';
import { serveMetrics } from '@tslab/prometheus';

const TICK_HZ = 30;
const MAX_ENTITIES = 1 << 16;
/** Body record: x, y, vx, vy, life (f32 each) = 20 bytes, the 64-byte class. */
const BODY_BYTES = 20;
/** Ship record: a body plus hull, shields and a 40-slot cargo manifest = 200 bytes, the 256-byte class. */
const SHIP_BYTES = 200;
const X = 0, Y = 1, VX = 2, VY = 3, LIFE = 4;

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '9464' },
    host: { type: 'string', default: '127.0.0.1' },
    ticks: { type: 'string' },
    hold: { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
const tickLimit = values.ticks === undefined ? Infinity : Number(values.ticks);
if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new RangeError(`--port must be an integer 0..65535, got ${values.port}`);
if (tickLimit !== Infinity && (!Number.isInteger(tickLimit) || tickLimit < 1)) throw new RangeError(`--ticks must be a positive integer, got ${values.ticks}`);

const heap = createAllocator({ diagnostics: true });
const frames = createFrameEpochs(heap, { advanceEvery: 15 });
const world = createWorld();
const Body = {};
const Ship = {};
const BODY_TERMS = [Body]; // hoisted: bitECS hashes query terms per call
/** Slab handle of each entity's record, indexed by eid (handles are doubles: Float64Array). */
const handles = new Float64Array(MAX_ENTITIES);
const spawned = new Int32Array(256);
const dead = new Int32Array(MAX_ENTITIES);

// Deterministic xorshift32, so two runs with the same --ticks produce the same heap.
let seed = 0x9e3779b9;
function random(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 4_294_967_296;
}

function spawnWave(tick: number): void {
  // The spawn rate swings between 10 and 50 per tick over ~6 s, so the graphs have something to show.
  const count = Math.round(30 + 20 * Math.sin(tick / 30));
  let n = 0;
  for (let i = 0; i < count; i++) {
    const ship = random() < 0.1;
    const h = heap.alloc(ship ? SHIP_BYTES : BODY_BYTES, frames.epoch);
    if (h === 0) break; // maxBytes reached: counted by the heap, visible in the metrics
    const eid = addEntity(world);
    addComponent(world, eid, Body);
    if (ship) addComponent(world, eid, Ship);
    handles[eid] = h;
    spawned[n++] = eid;
  }
  // alloc may have grown the heap and replaced its views: read f32 after the last alloc.
  const f32 = heap.f32;
  for (let i = 0; i < n; i++) {
    const o = heap.offset(handles[spawned[i]]) >>> 2;
    f32[o + X] = random() * 1000;
    f32[o + Y] = random() * 1000;
    f32[o + VX] = random() * 4 - 2;
    f32[o + VY] = random() * 4 - 2;
    f32[o + LIFE] = 15 + Math.floor(random() * 105);
  }
}

function moveAndAge(): void {
  const f32 = heap.f32; // no allocation happens in this system, so one read is enough
  let deadCount = 0;
  for (const eid of query(world, BODY_TERMS)) {
    const o = heap.offset(handles[eid]) >>> 2;
    f32[o + X] += f32[o + VX];
    f32[o + Y] += f32[o + VY];
    if (--f32[o + LIFE] <= 0) dead[deadCount++] = eid;
  }
  for (let i = 0; i < deadCount; i++) {
    const eid = dead[i];
    frames.retire(handles[eid]); // freed at frames.tick(), after this frame's iteration is over
    handles[eid] = 0;
    removeEntity(world, eid);
  }
}

const server = await serveMetrics(heap, { port, host: values.host, frames, name: 'game' });
console.log(`tslab game server on ${server.url} (metrics ${server.url}/metrics, stats ${server.url}/stats.json), ${TICK_HZ} ticks/s`);

let tick = 0;
const loop = setInterval(() => {
  spawnWave(tick);
  moveAndAge();
  server.metrics.observeFrame(frames.tick());
  tick++;
  if (tick >= tickLimit) stopSimulation();
}, 1000 / TICK_HZ);

function stopSimulation(): void {
  clearInterval(loop);
  heap.check();
  const g = heap.statsGlobal();
  console.log(`done: ${tick} ticks, ${g.liveObjects} live records, ${g.totalAllocs} allocs, ${g.totalFrees} frees`);
  if (!values.hold) void shutdown();
}

async function shutdown(): Promise<void> {
  clearInterval(loop);
  await server.close();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
