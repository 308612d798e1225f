// API tests, run inside workerd by Cloudflare's Vitest integration, against the running test stack.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';
import { workerVars } from '../dev/stack/stack.ts';
import { readStackInfo } from './stack-info.ts';

const info = readStackInfo();
// cognito-local signs with a key shipped in its package; the forged-token tests sign with it too, so that
// only the claim under test is wrong.
const cognitoKeyFile = join(
  createRequire(import.meta.url).resolve('cognito-local/package.json'),
  '..',
  'lib',
  'keys',
  'cognitoLocal.private.json',
);
const cognitoPrivateJwk = JSON.stringify(
  (JSON.parse(readFileSync(cognitoKeyFile, 'utf8')) as { jwk: unknown }).jwk,
);

export default defineConfig({
  plugins: [
    cloudflareTest({
      wrangler: { configPath: '../wrangler.toml' },
      miniflare: {
        bindings: {
          ...workerVars(info, 'test'),
          TEST_STACK: JSON.stringify(info),
          TEST_COGNITO_PRIVATE_JWK: cognitoPrivateJwk,
        },
      },
    }),
  ],
  test: {
    root: import.meta.dirname,
    include: ['api/**/*.test.ts'],
    // One file at a time: cognito-local keeps its users in a JSON file that it rewrites on every change,
    // and concurrent sign-ups from parallel files lose each other's writes. (Real Cognito has no such limit.)
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
