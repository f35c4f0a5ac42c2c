import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['browser/**', 'node_modules/**'],
    testTimeout: 120_000,
    hookTimeout: 60_000,
    execArgv: ['--expose-gc'],
  },
});
