// The local stack runner.
//   npm run dev   → the whole stack + the API on http://127.0.0.1:8787 (Ctrl-C stops everything)
//   npm test      → an isolated test stack, every suite, then everything stopped; non-zero on failure
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadConfig, type StackConfig } from './config.ts';
import { readCrons, startCronScheduler } from './cron.ts';
import { Supervisor, httpReady, waitFor, type Managed } from './processes.ts';
import { startStack, workerVars, type StackInfo } from './stack.ts';

const root = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const bin = (pkg: string, path: string) => join(require.resolve(`${pkg}/package.json`), '..', path);

function logger(prefix: string) {
  return (line: string) => console.log(`\x1b[36m[${prefix}]\x1b[0m ${line}`);
}

let stopping = false;

async function withSignals(sup: Supervisor, log: (l: string) => void): Promise<void> {
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping every process`);
    await sup.stopAll();
    process.exit(signal === 'SIGINT' || signal === 'SIGTERM' ? 0 : 1);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGHUP', () => void stop('SIGHUP'));
}

function describeError(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  while (current instanceof Error && parts.length < 4) {
    parts.push(current.message);
    current = current.cause;
  }
  return parts.length ? parts.join('\n  caused by: ') : String(err);
}

function writeEnvFile(path: string, vars: Record<string, string>): void {
  const body = Object.entries(vars)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join('\n');
  writeFileSync(path, `${body}\n`, { mode: 0o600 });
}

function printTable(info: StackInfo): void {
  const rows: Array<[string, string]> = [
    ['API', `${info.apiUrl}  (docs: ${info.apiUrl}/docs, health: ${info.apiUrl}/health)`],
    ['PlanetScale gateway', info.gatewayUrl.replace(/:[^:@/]+@/, ':***@')],
    ['MariaDB', `127.0.0.1:${info.mysql.port} db=${info.mysql.database} user=${info.mysql.user}`],
    [
      'cognito-local',
      `${info.cognito.endpoint} pool=${info.cognito.userPoolId} client=${info.cognito.clientId}`,
    ],
    ['S3 (s3rver behind the SigV4 verifier)', `${info.s3.endpoint} bucket=${info.s3.bucket}`],
    ['media-service', info.mediaServiceUrl],
    [
      'Toss Payments (stand-in)',
      `${info.toss.endpoint}  approve an order: POST ${info.toss.windowApproveUrl} {orderId, amount}`,
    ],
    [
      'confirmation codes',
      `${info.mailboxUrl}/codes/<email>  (also printed here and in ${info.confirmationCodesFile})`,
    ],
    ['demo creator', `${info.demo.creator.email} / ${info.demo.creator.password}`],
    ['demo fan', `${info.demo.fan.email} / ${info.demo.fan.password}`],
    ['stack.json', join(info.stateDir, 'stack.json')],
    ['logs', info.logs],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log('\n  crefans local stack\n');
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  console.log('\n  Ctrl-C stops everything.\n');
}

/** Starts the stack, or stops whatever did start and exits with the reason. */
async function startOrExit(
  sup: Supervisor,
  cfg: StackConfig,
  log: (l: string) => void,
): Promise<StackInfo> {
  try {
    return await startStack(sup, cfg, log);
  } catch (err) {
    log(`failed: ${describeError(err)}`);
    await sup.stopAll();
    process.exit(1);
  }
}

/**
 * The Worker under `wrangler dev` on the profile's API port. The test profile runs it too: media-service calls
 * back over HTTP (the processing webhook), which needs a listening Worker.
 */
async function startApi(
  sup: Supervisor,
  cfg: StackConfig,
  info: StackInfo,
  appEnv: 'development' | 'test',
): Promise<Managed> {
  const log = logger('stack');
  const envFile = join(cfg.stateDir, 'worker.env');
  writeEnvFile(envFile, workerVars(info, appEnv));
  log('starting the Worker (wrangler dev)');
  const api = sup.start(
    'api',
    process.execPath,
    [
      bin('wrangler', 'bin/wrangler.js'),
      'dev',
      '--ip',
      '127.0.0.1',
      '--port',
      String(cfg.ports.api),
      '--inspector-port',
      String(cfg.ports.inspector),
      '--env-file',
      envFile,
      '--persist-to',
      join(cfg.stateDir, 'wrangler'),
      '--show-interactive-dev-session=false',
    ],
    {
      cwd: root,
      // wrangler's custom build (`node dev/stack/assets.ts`) needs this Node (22), also when the
      // runner was started without npm putting it first on PATH.
      env: {
        WRANGLER_SEND_METRICS: 'false',
        NO_COLOR: '1',
        PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
      },
      inherit: appEnv === 'development',
    },
  );
  await waitFor('the API', () => httpReady(`${info.apiUrl}/health`), 120_000, api.exited);
  return api;
}

async function dev(): Promise<void> {
  const cfg = loadConfig('dev', root);
  const log = logger('stack');
  const sup = new Supervisor(cfg.stateDir, log);
  await withSignals(sup, log);
  const started = Date.now();
  const info = await startOrExit(sup, cfg, log);
  let api: Managed;
  let crons: string[];
  try {
    api = await startApi(sup, cfg, info, 'development');
    // wrangler dev does not fire Cron Triggers: the runner does, on wrangler.toml's schedule.
    crons = await readCrons(join(root, 'wrangler.toml'));
    const scheduler = startCronScheduler(info.apiUrl, crons, logger('cron'));
    sup.onStop(() => scheduler.stop());
  } catch (err) {
    log(`failed: ${(err as Error).message}`);
    await sup.stopAll();
    process.exit(1);
  }
  printTable(info);
  log(`firing the Cron Triggers (UTC) like production: ${crons.join(', ') || 'none'}`);
  log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const code = await api.exited;
  // A signal stops everything and exits by itself; only an API that died on its own ends here.
  if (stopping) return;
  log(`the API exited (${code}); stopping the stack`);
  await sup.stopAll();
  process.exit(code ?? 1);
}

interface SuiteResult {
  name: string;
  ok: boolean;
  passed: number;
  failed: number;
}

function runCommand(name: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  console.log(`\n\x1b[1m=== ${name}\x1b[0m`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: 'inherit',
    });
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.once('error', () => resolve(1));
  });
}

async function vitestSuite(
  name: string,
  config: string,
  env: NodeJS.ProcessEnv,
  stateDir: string,
): Promise<SuiteResult> {
  const report = join(stateDir, `report-${name}.json`);
  rmSync(report, { force: true });
  const code = await runCommand(
    name,
    [
      bin('vitest', 'vitest.mjs'),
      'run',
      '--config',
      config,
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
    ],
    env,
  );
  let passed = 0;
  let failed = 0;
  if (existsSync(report)) {
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numTotalTests: number;
    };
    passed = json.numPassedTests;
    failed = json.numFailedTests;
  }
  // A suite that ran no test, or failed outside its tests, counts as a failure.
  if (code !== 0 && failed === 0) failed = 1;
  if (passed + failed === 0) failed = 1;
  return { name, ok: code === 0 && failed === 0, passed, failed };
}

async function test(): Promise<void> {
  const cfg: StackConfig = loadConfig('test', root);
  const log = logger('test-stack');
  const sup = new Supervisor(cfg.stateDir, log);
  await withSignals(sup, log);
  const results: SuiteResult[] = [];
  let exitCode = 1;
  try {
    const info = await startStack(sup, cfg, log);
    const env = {
      CREFANS_STACK_FILE: join(cfg.stateDir, 'stack.json'),
      CREFANS_STATE_DIR: cfg.stateDir,
      WRANGLER_SEND_METRICS: 'false',
    };
    await startApi(sup, cfg, info, 'test');
    const tsc = await runCommand(
      'typecheck',
      [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.json', '--noEmit'],
      env,
    );
    results.push({
      name: 'typecheck',
      ok: tsc === 0,
      passed: tsc === 0 ? 1 : 0,
      failed: tsc === 0 ? 0 : 1,
    });
    const tscMedia = await runCommand(
      'typecheck media-service',
      [bin('typescript', 'bin/tsc'), '-p', 'media-service/tsconfig.json', '--noEmit'],
      env,
    );
    results.push({
      name: 'typecheck media-service',
      ok: tscMedia === 0,
      passed: tscMedia === 0 ? 1 : 0,
      failed: tscMedia === 0 ? 0 : 1,
    });
    const lint = await runCommand(
      'lint',
      [bin('eslint', 'bin/eslint.js'), '.', '--max-warnings=0'],
      env,
    );
    results.push({
      name: 'lint',
      ok: lint === 0,
      passed: lint === 0 ? 1 : 0,
      failed: lint === 0 ? 0 : 1,
    });
    // An unformatted file fails the run like a lint error (`npm run format` fixes it).
    const prettier = [bin('prettier', 'bin/prettier.cjs'), '--check', '.'];
    const format = await runCommand('format', prettier, env);
    const fmt = format === 0;
    results.push({ name: 'format', ok: fmt, passed: Number(fmt), failed: Number(!fmt) });
    results.push(
      await vitestSuite('gateway', 'dev/psdb-gateway/vitest.config.ts', env, cfg.stateDir),
    );
    results.push(
      await vitestSuite('media-service', 'media-service/vitest.config.ts', env, cfg.stateDir),
    );
    results.push(await vitestSuite('stack', 'test/vitest.node.config.ts', env, cfg.stateDir));
    results.push(await vitestSuite('api', 'test/vitest.config.ts', env, cfg.stateDir));
    exitCode = results.every((r) => r.ok) ? 0 : 1;
  } catch (err) {
    log(`failed: ${describeError(err)}`);
    results.push({ name: 'stack start', ok: false, passed: 0, failed: 1 });
  } finally {
    await sup.stopAll();
  }
  console.log('\n  suite                      result');
  for (const r of results)
    console.log(
      `  ${r.name.padEnd(26)} ${r.ok ? 'ok' : 'FAILED'} (${r.passed} passed, ${r.failed} failed)`,
    );
  const passed = results.reduce((s, r) => s + r.passed, 0);
  const failed = results.reduce((s, r) => s + r.failed, 0);
  console.log(`\ntests: ${passed} passed, ${failed} failed`);
  process.exit(exitCode);
}

async function up(): Promise<void> {
  const cfg = loadConfig((process.argv[3] as 'dev' | 'test') ?? 'dev', root);
  const log = logger('stack');
  const sup = new Supervisor(cfg.stateDir, log);
  await withSignals(sup, log);
  const info = await startOrExit(sup, cfg, log);
  if (cfg.profile === 'test') await startApi(sup, cfg, info, 'test');
  printTable(info);
  log(
    cfg.profile === 'test'
      ? 'stack running with the API (test profile); Ctrl-C stops it'
      : 'stack running without the API; Ctrl-C stops it',
  );
  await new Promise(() => undefined);
}

const command = process.argv[2];
if (command === 'dev') await dev();
else if (command === 'test') await test();
else if (command === 'up') await up();
else {
  console.error('usage: node dev/stack/cli.ts dev | test | up [dev|test]');
  process.exit(2);
}
