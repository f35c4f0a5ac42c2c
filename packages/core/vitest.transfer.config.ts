import { defineConfig } from 'vitest/config';

/**
 * The suites that grow and shrink 'copy' heaps, run again where ArrayBuffer.prototype.transfer
 * exists (browsers and Node 21+ use it to resize: src/memory.ts). Node 20 has it behind a flag.
 */
const hasTransfer = typeof (ArrayBuffer.prototype as { transfer?: unknown }).transfer === 'function';

export default defineConfig({
  test: {
    include: ['test/model.test.ts', 'test/reclaim.test.ts', 'test/handles.test.ts', 'test/churn.test.ts', 'test/alloc-many.test.ts'],
    testTimeout: 120_000,
    execArgv: ['--expose-gc', ...(hasTransfer ? [] : ['--harmony-rab-gsab-transfer'])],
  },
});
