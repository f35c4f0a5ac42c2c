import type { HeapCore } from './heap-core.js';
import { HISTORY_LENGTH, RING_CLOSED, RING_CLOSING, RING_FREE, RING_OPEN } from './layout.js';
import type { EpochId, SlabClassStats, SlabEpochStats, SlabGlobalStats, StatsDump } from './types.js';

/** Stats are read from the counters the heap keeps anyway; reading never changes the heap. */
export const STATS_SCHEMA_VERSION = 1 as const;

export function liveObjectCount(heap: HeapCore): number {
  return heap.classLive(-1);
}

function sum(values: Float64Array): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}

export function classStats(heap: HeapCore, cls: number, into?: SlabClassStats): SlabClassStats {
  const c = heap.counters;
  const s = into ?? ({} as SlabClassStats);
  const objectSize = heap.classes.sizes[cls];
  const liveObjects = heap.classLive(cls);
  const diagnostics = heap.config.diagnostics;
  s.classIndex = cls;
  s.objectSize = objectSize;
  // The seed reports these as 0 when diagnostic counters are off; they are derived from counts
  // the heap keeps anyway, so turning them on costs nothing on the hot path.
  s.committedBytes = diagnostics ? (c.activeSlabs[cls] + heap.cacheCount[cls]) * heap.config.slabBytes : 0;
  s.liveBytes = diagnostics ? liveObjects * objectSize : 0;
  s.emptySlabs = diagnostics ? heap.cacheCount[cls] : 0;
  s.liveObjects = liveObjects;
  s.slabs = c.activeSlabs[cls];
  s.slowPathHits = c.slowPathHits[cls];
  s.slowPathCacheMiss = c.slowPathCacheMiss[cls];
  s.slowPathEpochClosed = c.slowPathEpochClosed[cls];
  s.emptySlabRecycled = c.emptySlabRecycled[cls];
  s.emptySlabOverflowed = c.emptySlabOverflowed[cls];
  s.reclaimedBytes = c.reclaimedBytes[cls];
  s.totalAllocs = c.allocs[cls];
  s.totalFrees = c.allocs[cls] - liveObjects;
  // Single-threaded heaps take no locks and make no CAS attempts; shared mode fills these.
  s.lockAcquisitions = 0;
  s.lockContended = 0;
  s.casRetries = 0;
  s.casAttempts = 0;
  return s;
}

export function globalStats(heap: HeapCore, into?: SlabGlobalStats): SlabGlobalStats {
  const c = heap.counters;
  const s = into ?? ({} as SlabGlobalStats);
  s.totalAllocs = sum(c.allocs);
  s.liveObjects = heap.classLive(-1);
  s.totalFrees = s.totalAllocs - s.liveObjects;
  s.currentEpoch = heap.currentEpoch;
  s.openEpochs = heap.ring.countIn(RING_OPEN);
  s.closingEpochs = heap.ring.countIn(RING_CLOSING);
  s.closedEpochs = heap.ring.countIn(RING_CLOSED);
  s.committedBytes = heap.committedBytes();
  s.reservedBytes = heap.reservedBytes();
  s.peakBytes = heap.peakBytes;
  s.reclaimedBytes = heap.reclaimedBytes;
  s.slowPathHits = sum(c.slowPathHits);
  s.slowPathEpochClosed = sum(c.slowPathEpochClosed);
  s.allocFailedMaxBytes = heap.allocFailedMaxBytes;
  s.viewVersion = heap.viewVersion;
  s.epochsAdvanced = heap.ring.advances;
  s.cachedSlabs = heap.cachedSlabCount;
  s.activeSlabs = heap.activeSlabCount;
  s.bufferBytes = heap.memory.buffer.byteLength;
  s.shared = heap.config.shared;
  s.diagnostics = heap.config.diagnostics;
  return s;
}

export function epochStats(heap: HeapCore, e: EpochId, into?: SlabEpochStats): SlabEpochStats {
  const s = into ?? ({} as SlabEpochStats);
  const ring = heap.ring.ringOf(e);
  s.epoch = e;
  s.ringSlot = e % heap.ring.slots;
  if (ring < 0) {
    s.state = 'free';
    s.age = 0;
    s.label = '';
    s.liveObjects = 0;
    s.slabs = 0;
    s.bytes = 0;
    return s;
  }
  s.state = heap.ring.stateName(ring);
  s.age = heap.ring.advances - heap.ring.openedAt[ring];
  s.label = heap.ring.label[ring] < 0 ? '' : heap.labels[heap.ring.label[ring]];
  s.liveObjects = heap.epochLive(ring);
  s.slabs = heap.ring.slabs[ring];
  s.bytes = s.slabs * heap.config.slabBytes;
  return s;
}

export function dumpStats(heap: HeapCore): StatsDump {
  const classes: SlabClassStats[] = [];
  for (let cls = 0; cls < heap.classCount; cls++) classes.push(classStats(heap, cls));
  const rings: number[] = [];
  for (let r = 0; r < heap.ring.slots; r++) if (heap.ring.state[r] !== RING_FREE) rings.push(r);
  rings.sort((a, b) => heap.ring.ids[a] - heap.ring.ids[b]);
  const count = Math.min(heap.historyCount, HISTORY_LENGTH);
  const committedHistory: number[] = [];
  const liveHistory: number[] = [];
  for (let i = heap.historyCount - count; i < heap.historyCount; i++) {
    committedHistory.push(heap.committedHistory[i % HISTORY_LENGTH]);
    liveHistory.push(heap.liveHistory[i % HISTORY_LENGTH]);
  }
  const { config } = heap;
  return {
    schemaVersion: STATS_SCHEMA_VERSION,
    kind: 'tslab-stats',
    config: {
      sizeClasses: [...config.sizeClasses],
      slabBytes: config.slabBytes,
      epochSlots: config.epochSlots,
      cacheSlabs: config.cacheSlabs,
      maxBytes: config.maxBytes,
      shared: config.shared,
      diagnostics: config.diagnostics,
      backing: config.shared ? 'shared' : config.backing,
    },
    global: globalStats(heap),
    classes,
    epochs: rings.map((r) => epochStats(heap, heap.ring.ids[r])),
    committedHistory,
    liveHistory,
  };
}
