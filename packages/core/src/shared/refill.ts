import * as coreLayout from '../layout.js';
import { maybeAdoptOrphans } from './adopt.js';
import * as sharedLayout from './layout.js';
import { flushAll } from './remote-batch.js';
import { mergeRemote } from './remote-free.js';
import { collectStopped, processPending, takeSlab, unlist } from './slab-ops.js';
import type { SharedView } from './view.js';

// Module-local copies of the layout constants: V8 folds these into machine code, not imported bindings (see allocator.ts).
const { NO_SLAB } = coreLayout;
const { C_SLOW, H_ORPHANS, H_STOP_STAMP, OWNER_ALIVE, SUMMARY_STRIDE } = sharedLayout;

/**
 * Slow path of alloc (mimalloc's order): the current slab's own remote frees first (no lock), then
 * a partial slab of this owner, then the slabs other workers freed into, and only then, under the
 * heap lock, a cached or fresh slab. Returns the new current slab, NO_SLAB at maxBytes, or RETRY.
 */
export function refill(v: SharedView, cls: number, ring: number, key: number): number {
  const s = v.s;
  if (s.ownerState[v.owner] !== OWNER_ALIVE) throw new Error(`tslab: this view (owner ${v.owner}) was presumed dead or detached and its slabs were adopted; attach a new view`);
  v.myCounters[C_SLOW * v.classCount + cls]++;
  s.ownerBeat[v.owner * SUMMARY_STRIDE]++;
  if (s.hdr[H_STOP_STAMP] !== v.lastStopStamp) collectStopped(v);
  // This view's buffered remote frees (remote-batch.ts) mostly wait for full chains: flushed on
  // every 32nd slow path here, and below before taking a slab under the lock.
  if ((++v.refills & 31) === 0) flushAll(v);
  if (s.hdr[H_ORPHANS] !== 0 || (v.refills & 31) === 0) maybeAdoptOrphans(v);
  const current = v.myCur[key];
  if (current !== NO_SLAB && mergeRemote(v, current) > 0 && s.slabFreeTop[current << 4] > 0) return current;
  let slab = takePartial(v, key);
  if (slab !== NO_SLAB) return slab;
  if (Atomics.load(s.summary, v.owner * SUMMARY_STRIDE) !== 0) {
    processPending(v);
    const now = v.myCur[key];
    if (now !== NO_SLAB && s.slabFreeTop[now << 4] > 0) return now;
    slab = takePartial(v, key);
    if (slab !== NO_SLAB) return slab;
  }
  flushAll(v); // about to take a slab: give back what this view holds of others' first
  return takeSlab(v, cls, ring, key);
}

function takePartial(v: SharedView, key: number): number {
  const slab = v.myPartial[key];
  if (slab === NO_SLAB) return NO_SLAB;
  unlist(v.s, v.myPartial, key, slab);
  v.myCur[key] = slab;
  return slab;
}

/**
 * Everything a view does to hand back memory: its own buffered remote frees, then as an owner the
 * pending merges and stopped epochs.
 */
export function collect(v: SharedView): number {
  const before = v.released;
  flushAll(v);
  if (Atomics.load(v.s.summary, v.owner * SUMMARY_STRIDE) !== 0) processPending(v);
  if (v.s.hdr[H_STOP_STAMP] !== v.lastStopStamp) collectStopped(v);
  return v.released - before;
}
