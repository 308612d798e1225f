// API tests, run inside workerd by Cloudflare's Vitest integration, against the running test stack.
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { workerVars } from '../dev/stack/stack.ts';
import { readStackInfo } from './stack-info.ts';

const info = readStackInfo();

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: '../wrangler.toml' },
      miniflare: { bindings: { ...workerVars(info, 'test'), TEST_STACK: JSON.stringify(info) } },
    }),
  ],
  test: {
    root: import.meta.dirname,
    include: ['api/**/*.test.ts'],
    testTimeout: 30_000,
  },
});
