import { afterEach, describe, expect, it } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { coordinate, startWorkers, undrainedEpochs, type WorkerStats } from './harness.js';

/**
 * Shared heap under real worker_threads: 2 and 4 workers, over 1M allocations and 1M frees per
 * run, a third of the objects freed by another worker, while the test thread advances and closes
 * epochs. Afterwards the accounting must be exact and check() must pass. Three runs each.
 */
const ALLOCS_PER_RUN = 1_050_000;
let live: Worker[] = [];
afterEach(async () => {
  await Promise.all(live.map((w) => w.terminate()));
  live = [];
});

for (const count of [2, 4]) {
  describe(`${count} workers`, () => {
    for (let iteration = 1; iteration <= 3; iteration++) {
      it(`run ${iteration}: ${ALLOCS_PER_RUN.toLocaleString('en-US')} allocations, a third freed across workers, epochs advanced and closed meanwhile: exact accounting, check() passes`, async () => {
        const run = startWorkers(count, Math.ceil(ALLOCS_PER_RUN / count));
        live = run.workers;
        const { heap } = run;
        let finished = false;
        const all = Promise.all(run.done).finally(() => (finished = true));
        const epochs = await coordinate(heap, () => !finished);
        const stats = (await all) as WorkerStats[];
        for (const s of stats) expect(s).not.toBeNull();
        const sum = (key: keyof WorkerStats) => stats.reduce((n, s) => n + s[key], 0);

        // Every worker detached: adopt their slabs, which merges the last remote frees.
        heap.adoptOrphans();
        heap.collect();
        const g = heap.statsGlobal();
        expect(sum('nulls')).toBe(0);
        expect(sum('allocs')).toBeGreaterThanOrEqual(ALLOCS_PER_RUN);
        expect(g.totalAllocs).toBe(sum('allocs'));
        expect(g.totalFrees).toBe(sum('frees'));
        expect(sum('frees')).toBe(sum('allocs')); // every handle freed exactly once
        expect(g.liveObjects).toBe(0);
        // A third crossed workers (a full ring that stays full after draining keeps the object local: rare).
        expect(sum('remoteFrees') / sum('frees')).toBeGreaterThan(0.3);
        expect(sum('remoteFrees')).toBe(sum('sent'));
        expect(sum('doubleFreeRejected')).toBeGreaterThan(0);
        expect(epochs.advanced).toBeGreaterThan(5);
        expect(undrainedEpochs(heap)).toEqual([]);
        // Remote frees are spliced in chains of up to 32 with one CAS each (a worker that adopted a
        // detached neighbour's slabs frees into them locally): fewer CAS than frees, not fewer than chains.
        let cas = 0;
        let retries = 0;
        let locks = 0;
        let contended = 0;
        for (let i = 0; i < heap.classCount; i++) {
          const c = heap.statsClass(i);
          cas += c.casAttempts;
          retries += c.casRetries;
          locks += c.lockAcquisitions;
          contended += c.lockContended;
        }
        expect(cas).toBeGreaterThanOrEqual(Math.floor(sum('remoteFrees') / 32));
        expect(cas).toBeLessThan(sum('remoteFrees') / 2);
        console.log(`${count} workers run ${iteration}: ${sum('allocs')} allocs, ${sum('remoteFrees')} remote frees, ${epochs.advanced} epochs advanced / ${epochs.closed} closed, CAS retries ${retries}/${cas}, lock contended ${contended}/${locks}`);
        heap.check();
        heap.detach();
      });
    }
  });
}
