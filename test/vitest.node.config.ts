// Tests of the local stack itself (seed, stack.json, bundling), run in Node against the running test stack.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: import.meta.dirname,
    include: ['stack/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
  },
});
