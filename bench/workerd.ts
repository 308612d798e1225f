// Runs the bundled Worker on bare workerd (`workerd serve`, not `wrangler dev`, whose proxy is too slow
// to measure), and drives it with autocannon from this process.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..');

/** Bundles the Worker exactly as `wrangler deploy` would and returns the bundle's folder (index.js). */
export function bundleWorker(): string {
  const outdir = mkdtempSync(join(tmpdir(), 'crefans-bench-bundle-'));
  const wrangler = join(require.resolve('wrangler/package.json'), '..', 'bin', 'wrangler.js');
  execFileSync(process.execPath, [wrangler, 'deploy', '--dry-run', '--outdir', outdir], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    stdio: 'pipe',
  });
  return outdir;
}

/**
 * Serves the bundle with the workerd binary itself (`workerd serve`), with text bindings for the
 * variables, a queue binding to a sink service and permissive rate-limit bindings (the routes measured
 * here use neither).
 */
export async function startWorkerd(
  bundleDir: string,
  vars: Record<string, string>,
  port: number,
): Promise<{ url: string; dispose: () => Promise<void> }> {
  const workerdBin = (require('workerd') as { default: string }).default;
  writeFileSync(
    join(bundleDir, 'ratelimit-stub.js'),
    'export default function () { return { async limit() { return { success: true }; } }; }\n',
  );
  copyFileSync(join(import.meta.dirname, 'cache-service.js'), join(bundleDir, 'cache-service.js'));
  writeFileSync(
    join(bundleDir, 'queue-sink.js'),
    'export default { async fetch() { return new Response(null, { status: 200 }); } };\n',
  );
  const text = (v: string) => JSON.stringify(v);
  const bindings = [
    ...Object.entries(vars).map(([name, value]) => `(name = ${text(name)}, text = ${text(value)})`),
    '(name = "WALLET_QUEUE", queue = "queue-sink")',
    '(name = "MEDIA_QUEUE", queue = "queue-sink")',
    '(name = "RL_AUTH_IP", wrapped = (moduleName = "bench:ratelimit"))',
    '(name = "RL_AUTH_EMAIL", wrapped = (moduleName = "bench:ratelimit"))',
    '(name = "RL_EXPORT", wrapped = (moduleName = "bench:ratelimit"))',
  ];
  const config = `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .api),
    (name = "queue-sink", worker = .sink),
    (name = "cache", worker = .cache),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [ (name = "http", address = "127.0.0.1:${port}", http = (), service = "main") ],
  extensions = [ (modules = [ (name = "bench:ratelimit", esModule = embed "ratelimit-stub.js", internal = true) ]) ],
);
const api :Workerd.Worker = (
  modules = [ (name = "index.js", esModule = embed "index.js") ],
  compatibilityDate = "2026-10-30",
  bindings = [ ${bindings.join(',\n    ')} ],
  cacheApiOutbound = "cache",
);
const cache :Workerd.Worker = (
  modules = [ (name = "cache-service.js", esModule = embed "cache-service.js") ],
  compatibilityDate = "2026-10-30",
);
const sink :Workerd.Worker = (
  modules = [ (name = "queue-sink.js", esModule = embed "queue-sink.js") ],
  compatibilityDate = "2026-10-30",
);
`;
  const configPath = join(bundleDir, 'workerd.capnp');
  writeFileSync(configPath, config);
  const child = spawn(workerdBin, ['serve', configPath, '--experimental'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`${url}/`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    dispose: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}

/** The Worker's variables for a benchmark: the local Cognito, storage that the measured routes never touch. */
export function benchWorkerVars(
  cognito: {
    region: string;
    userPoolId: string;
    clientId: string;
    endpoint: string;
    issuer: string;
  },
  overrides: Record<string, string>,
): Record<string, string> {
  return {
    API_BASE_URL: 'http://127.0.0.1',
    CORS_ORIGINS: 'http://127.0.0.1:3000',
    LOG_LEVEL: 'error',
    COGNITO_REGION: cognito.region,
    COGNITO_USER_POOL_ID: cognito.userPoolId,
    COGNITO_CLIENT_ID: cognito.clientId,
    COGNITO_ENDPOINT: `${cognito.endpoint}/`,
    COGNITO_ISSUER: cognito.issuer,
    S3_ENDPOINT: 'http://127.0.0.1:9',
    S3_BUCKET: 'bench',
    S3_ACCESS_KEY_ID: 'bench',
    S3_SECRET_ACCESS_KEY: 'bench',
    MEDIA_SERVICE_URL: 'http://127.0.0.1:9',
    MEDIA_SERVICE_SECRET: 'bench-media-service-key',
    MEDIA_TOKEN_SECRET: 'bench-media-token-key-0',
    TOSS_SECRET_KEY: 'bench-toss-secret',
    TOSS_CLIENT_KEY: 'bench-toss-client',
    ...overrides,
  };
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  non2xx: number;
  errors: number;
}

type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;

export async function load(
  url: string,
  options: {
    connections: number;
    seconds: number;
    headers?: Record<string, string>;
    randomise?: boolean;
  },
) {
  const autocannon = require('autocannon') as Autocannon;
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    headers: options.headers ?? {},
    // A fresh query string per request defeats any cache (the "miss" scenarios).
    ...(options.randomise
      ? {
          requests: [
            {
              setupRequest: (req: { path: string }) => ({
                ...req,
                path: `${req.path}&r=${Math.random()}`,
              }),
            },
          ],
        }
      : {}),
  });
  return {
    rps: result.requests.average,
    total: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}
