// Auth middleware cost in workerd: the same Worker, a trivial unauthenticated route (`GET /`) against an
// authenticated one that does nothing else (`GET /auth/session`: verify the cookie's JWT, no database),
// with warm keys. workerd runs one request at a time per isolate, so at saturation the CPU per request is
// 1 / throughput; the difference is what the middleware adds.   npm run bench:auth
import { join, resolve } from 'node:path';
import { loadConfig } from '../../dev/stack/config.ts';
import { startCognito, cognitoCall } from '../../dev/stack/cognito.ts';
import { Supervisor } from '../../dev/stack/processes.ts';
import { fmt, record } from '../lib.ts';
import { benchWorkerVars, bundleWorker, load, startWorkerd } from '../workerd.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 20);
const cfg = loadConfig('test');
cfg.stateDir = join(resolve(process.env.CREFANS_STATE_DIR ?? '.bench-stack'), 'auth-bench');
cfg.ports.cognito = Number(process.env.CREFANS_BENCH_COGNITO_PORT ?? 3972);
const log = (line: string) => console.log(`[bench] ${line}`);
const sup = new Supervisor(cfg.stateDir, log);
sup.reapLeftovers();

try {
  const { info: cognito } = await startCognito(sup, cfg);
  const email = 'bench@bench.crefans.local';
  const password = 'Bench-Passw0rd!';
  await cognitoCall(cognito.endpoint, 'AdminCreateUser', {
    UserPoolId: cognito.userPoolId,
    Username: email,
    MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: email }],
  }).catch((err: unknown) => {
    if (!String(err).includes('UsernameExists')) throw err;
  });
  await cognitoCall(cognito.endpoint, 'AdminSetUserPassword', {
    UserPoolId: cognito.userPoolId,
    Username: email,
    Password: password,
    Permanent: true,
  });
  const auth = await cognitoCall<{ AuthenticationResult: { AccessToken: string } }>(
    cognito.endpoint,
    'InitiateAuth',
    {
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: cognito.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    },
  );
  const token = auth.AuthenticationResult.AccessToken;

  log('bundling the Worker');
  const script = bundleWorker();
  const worker = await startWorkerd(
    script,
    benchWorkerVars(cognito, {
      APP_ENV: 'production',
      // Never contacted by these two routes: the client is built per request but not used.
      DATABASE_URL: 'http://bench:bench@127.0.0.1:9',
    }),
    Number(process.env.CREFANS_BENCH_WORKERD_PORT ?? 3973),
  );
  try {
    const cookie = { cookie: `access_token=${token}` };
    const check = await fetch(`${worker.url}/auth/session`, { headers: cookie });
    if (check.status !== 200)
      throw new Error(`the authenticated route answered ${check.status}: ${await check.text()}`);
    // Warm both routes (JIT, JWKS fetch), then measure them alternately, twice each.
    await load(`${worker.url}/`, { connections, seconds: 2 });
    await load(`${worker.url}/auth/session`, { connections, seconds: 2, headers: cookie });
    const plain = [];
    const authed = [];
    for (let round = 0; round < 2; round++) {
      plain.push(await load(`${worker.url}/`, { connections, seconds }));
      authed.push(
        await load(`${worker.url}/auth/session`, { connections, seconds, headers: cookie }),
      );
    }
    const avg = (xs: Array<{ rps: number }>) => xs.reduce((s, x) => s + x.rps, 0) / xs.length;
    const plainRps = avg(plain);
    const authedRps = avg(authed);
    const addedMs = 1000 / authedRps - 1000 / plainRps;
    const goalMs = 0.3;
    const failures = [...plain, ...authed].reduce((s, r) => s + r.non2xx + r.errors, 0);
    const data = {
      runtime: 'workerd serve (bundle from wrangler deploy --dry-run)',
      connections,
      secondsPerRun: seconds,
      plain,
      authed,
      plainRps,
      authedRps,
      ratio: authedRps / plainRps,
      addedMsPerRequest: addedMs,
      failures,
      goal: { addedMsPerRequest: goalMs, met: addedMs <= goalMs },
    };
    const md = [
      '# Auth middleware cost in workerd',
      '',
      `${connections} connections, ${seconds} s per run, two alternating runs per route, warm keys (${new Date().toISOString()}).`,
      '',
      '| route | req/s | p50 ms | p99 ms |',
      '|---|---|---|---|',
      ...plain.map(
        (r, i) => `| \`GET /\` (run ${i + 1}) | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} |`,
      ),
      ...authed.map(
        (r, i) =>
          `| \`GET /auth/session\` (run ${i + 1}) | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} |`,
      ),
      '',
      `Throughput ratio authenticated / trivial: **${(authedRps / plainRps).toFixed(3)}**.`,
      `Added CPU per request (1/rps difference): **${fmt(addedMs)} ms** — goal ≤ ${goalMs} ms: ${addedMs <= goalMs ? 'met' : 'missed'}.`,
      `Non-2xx or errored responses: ${failures}.`,
    ].join('\n');
    record('auth', data, md);
    console.log(md);
  } finally {
    await worker.dispose();
  }
} finally {
  await sup.stopAll();
}
