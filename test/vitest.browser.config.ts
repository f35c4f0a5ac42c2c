import { defineConfig } from 'vitest/config';

/**
 * Browser tests: the built demo served by Vite's preview() and driven in Debian's Chromium through
 * playwright-core. One file at a time in one worker (each file launches its own browser, and the
 * machine has 2 cores), long timeouts because SwiftShader renders on the CPU.
 */
export default defineConfig({
  test: {
    include: ['browser/**/*.test.ts'],
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 180_000,
    hookTimeout: 120_000,
  },
});
