/**
 * Particle burst as a bitECS 0.4 world: every frame, `spawns` particles are created (addEntity +
 * addComponent + field writes), a move system integrates them, an age system removes the expired
 * (each lives `life` frames, so about spawns x life are alive). Two stores, same systems:
 * - native: a component of typed arrays indexed by eid, sized for the largest eid (bitECS 0.4 way);
 * - slab: a @tslab/bitecs component on a heap driven by @tslab/frame (records retired, freed at tick).
 * Run one store per process (ecs-burst-child.ts) so GC counts and RSS are not shared.
 */
import { PerformanceObserver, constants, performance } from 'node:perf_hooks';
import { $internal, addComponent, addEntity, createWorld, query, removeEntity, type InternalWorld, type World } from 'bitecs';
import { createAllocator } from '@tslab/core';
import { createFrameEpochs } from '@tslab/frame';
import { heapViews, slabComponent, slabQuery } from '@tslab/bitecs';
import { distributionOf, newHistogram } from './measure.js';

export type BurstStore = 'native' | 'slab';

export interface BurstArgs {
  store: BurstStore;
  spawns: number;
  life: number;
  warmupFrames: number;
  frames: number;
  advanceEvery: number;
}

export interface BurstResult {
  store: BurstStore;
  spawns: number;
  frames: number;
  live: number;
  maxEid: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
  minorGcs: number;
  majorGcs: number;
  gcMs: number;
  maxGcMs: number;
  /** Component storage: native typed arrays, or slab committed bytes + eid map. */
  storageBytes: number;
  /** slab only */
  committedBytes: number | null;
  liveRecordBytes: number | null;
  cacheBoundBytes: number | null;
  mapBytes: number | null;
  advanceDeferred: number | null;
  rssMB: number;
  heapUsedMB: number;
}

export const BURST_PREFIX = 'ECS_BURST ';
const SCHEMA = { x: 'f32', y: 'f32', vx: 'f32', vy: 'f32', life: 'u16', hue: 'u16' } as const;
const SLAB_BYTES = 65536;
const SIZE_CLASSES = [16, 24, 32, 48, 64, 96, 128, 256];
const CACHE_SLABS = 32;
const GRAVITY = 0.01;

/** One frame of the burst; returns nothing, all state in closures built once. */
type Frame = () => void;

interface Built {
  frame: Frame;
  live(): number;
  storageBytes(): number;
  slab: null | {
    committed(): number;
    liveRecordBytes(): number;
    mapBytes(): number;
    advanceDeferred(): number;
  };
}

function buildNative(world: World, args: BurstArgs): Built {
  const cap = args.spawns * (args.life + 2) + 16;
  const P = {
    x: new Float32Array(cap),
    y: new Float32Array(cap),
    vx: new Float32Array(cap),
    vy: new Float32Array(cap),
    life: new Uint16Array(cap),
    hue: new Uint16Array(cap),
  };
  const terms = [P];
  let seed = 1;
  const frame: Frame = () => {
    // age: remove the expired first, so their ids are recycled by this frame's spawns
    let ents = query(world, terms);
    for (let i = 0; i < ents.length; i++) {
      const eid = ents[i];
      if (--P.life[eid] === 0) removeEntity(world, eid);
    }
    for (let k = 0; k < args.spawns; k++) {
      const e = addEntity(world);
      addComponent(world, e, P);
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      P.x[e] = 0;
      P.y[e] = 0;
      P.vx[e] = (seed & 1023) / 512 - 1;
      P.vy[e] = -((seed >>> 10) & 1023) / 256;
      P.life[e] = args.life;
      P.hue[e] = seed & 0xffff;
    }
    ents = query(world, terms);
    for (let i = 0; i < ents.length; i++) {
      const eid = ents[i];
      P.x[eid] += P.vx[eid];
      P.y[eid] += P.vy[eid];
      P.vy[eid] += GRAVITY;
    }
  };
  return {
    frame,
    live: () => query(world, terms).length,
    storageBytes: () => Object.values(P).reduce((s, a) => s + a.byteLength, 0),
    slab: null,
  };
}

function buildSlab(world: World, args: BurstArgs): Built {
  const heap = createAllocator({ sizeClasses: SIZE_CLASSES, slabBytes: SLAB_BYTES, cacheSlabs: CACHE_SLABS });
  const frames = createFrameEpochs(heap, { advanceEvery: args.advanceEvery });
  const P = slabComponent(heap, SCHEMA, { world, frames });
  const { x: X, y: Y, vx: VX, vy: VY, life: LIFE, hue: HUE } = P.fields;
  const terms = [P];
  // The systems iterate a slabQuery: record offsets in a dense array aligned with the entities.
  const particles = slabQuery(world, terms);
  let seed = 1;
  const frame: Frame = () => {
    {
      // age (views read at the start of the system; removing never replaces them)
      const n = particles.update();
      const eids = particles.eids;
      const offsets = particles.offsetsOf(P);
      const u16 = heapViews(heap).u16;
      for (let i = 0; i < n; i++) {
        if (--u16[(offsets[i] + LIFE) >> 1] === 0) removeEntity(world, eids[i]);
      }
    }
    for (let k = 0; k < args.spawns; k++) {
      const e = addEntity(world);
      addComponent(world, e, P);
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      // adding may grow the heap: take the views after the add
      const o = P.offsetOf(e);
      const views = heapViews(heap);
      const f32 = views.f32;
      f32[(o + X) >> 2] = 0;
      f32[(o + Y) >> 2] = 0;
      f32[(o + VX) >> 2] = (seed & 1023) / 512 - 1;
      f32[(o + VY) >> 2] = -((seed >>> 10) & 1023) / 256;
      const u16 = views.u16;
      u16[(o + LIFE) >> 1] = args.life;
      u16[(o + HUE) >> 1] = seed & 0xffff;
    }
    {
      // move
      const n = particles.update();
      const f32 = heap.f32;
      const offsets = particles.offsetsOf(P);
      for (let i = 0; i < n; i++) {
        const o = offsets[i];
        f32[(o + X) >> 2] += f32[(o + VX) >> 2];
        f32[(o + Y) >> 2] += f32[(o + VY) >> 2];
        f32[(o + VY) >> 2] += GRAVITY;
      }
    }
    frames.tick();
  };
  return {
    frame,
    live: () => P.liveRecords,
    storageBytes: () => heap.statsGlobal().committedBytes + P.stats().mapBytes + particles.bytes,
    slab: {
      committed: () => heap.statsGlobal().committedBytes,
      liveRecordBytes: () => (P.liveRecords + 1) * P.recordBytes, // + the sink
      mapBytes: () => P.stats().mapBytes,
      advanceDeferred: () => frames.report.advanceDeferred,
    },
  };
}

export async function runBurst(args: BurstArgs): Promise<BurstResult> {
  const world = createWorld();
  const built = args.store === 'native' ? buildNative(world, args) : buildSlab(world, args);
  for (let f = 0; f < args.warmupFrames; f++) {
    built.frame();
    if ((f & 7) === 0) await new Promise<void>((r) => setImmediate(r));
  }
  let minor = 0;
  let major = 0;
  let gcMs = 0;
  let maxGcMs = 0;
  let measuring = false;
  const observer = new PerformanceObserver((list) => {
    if (!measuring) return;
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      if (kind === constants.NODE_PERFORMANCE_GC_MINOR) minor++;
      else if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) major++;
      gcMs += entry.duration;
      maxGcMs = Math.max(maxGcMs, entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  globalThis.gc?.();
  await new Promise<void>((r) => setTimeout(r, 20));
  measuring = true;
  const h = newHistogram();
  let maxCommitted = 0;
  for (let f = 0; f < args.frames; f++) {
    const t0 = performance.now();
    built.frame();
    h.recordValue(Math.round((performance.now() - t0) * 1000));
    if (built.slab !== null && (f & 15) === 0) maxCommitted = Math.max(maxCommitted, built.slab.committed());
    await new Promise<void>((r) => setImmediate(r)); // let GC entries arrive
  }
  await new Promise<void>((r) => setTimeout(r, 50));
  measuring = false;
  observer.disconnect();
  const d = distributionOf(h, 1000);
  const mem = process.memoryUsage();
  const slab = built.slab;
  return {
    store: args.store,
    spawns: args.spawns,
    frames: args.frames,
    live: built.live(),
    maxEid: (world as unknown as InternalWorld)[$internal].entityIndex.maxId,
    p50Ms: d.p50,
    p99Ms: d.p99,
    maxMs: d.max,
    meanMs: d.mean,
    minorGcs: minor,
    majorGcs: major,
    gcMs,
    maxGcMs,
    storageBytes: built.storageBytes(),
    committedBytes: slab ? Math.max(maxCommitted, slab.committed()) : null,
    liveRecordBytes: slab ? slab.liveRecordBytes() : null,
    cacheBoundBytes: slab ? SLAB_BYTES * SIZE_CLASSES.length * CACHE_SLABS : null,
    mapBytes: slab ? slab.mapBytes() : null,
    advanceDeferred: slab ? slab.advanceDeferred() : null,
    rssMB: mem.rss / 2 ** 20,
    heapUsedMB: mem.heapUsed / 2 ** 20,
  };
}
