import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['dev/psdb-gateway/test/**/*.test.ts'],
    globalSetup: ['dev/psdb-gateway/test/global-setup.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Files share one MariaDB; each uses its own database, and the fault file its own server.
    fileParallelism: false,
  },
});
