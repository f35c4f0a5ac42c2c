/**
 * The single-thread core suite again, every heap in shared mode: helpers.makeHeap is wrapped to
 * add `shared: true`, then the suites that apply to shared mode are loaded. Left out: reclaim
 * (a SharedArrayBuffer never shrinks; shared-semantics.test.ts covers what holds instead), errors
 * (option validation is shared code, already run) and model (shared-model.test.ts).
 */
import { vi } from 'vitest';
import type { AllocatorOptions } from '../src/index.js';

vi.mock('./helpers.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./helpers.js')>();
  return { ...real, makeHeap: (options?: AllocatorOptions) => real.makeHeap({ ...options, shared: true }) };
});

await import('./smoke.test.js');
await import('./epochs.test.js');
await import('./handles.test.js');
await import('./malloc.test.js');
await import('./churn.test.js');
await import('./domains.test.js');
await import('./stats.test.js');
await import('./doctor.test.js');
