// Gateway overhead: the same simple SELECT through mysql2 directly and through the gateway with the
// real @planetscale/database client, sequentially, on one MariaDB. Added latency = gateway − direct.
//   npm run bench:gateway [-- --n 10000]
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@planetscale/database';
import mysql from 'mysql2/promise';
import { startMariadb } from '../../dev/stack/mariadb.ts';
import { Supervisor, httpReady, waitFor } from '../../dev/stack/processes.ts';
import { fmt, record, summarize } from '../lib.ts';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '10000' }, warmup: { type: 'string', default: '1000' } },
});
const n = Number(values.n);
const warmup = Number(values.warmup);
const stateDir = join(resolve(process.env.CREFANS_STATE_DIR ?? '.bench-stack'), 'gateway-bench');
const port = Number(process.env.CREFANS_BENCH_MYSQL_PORT ?? 3970);
const log = (line: string) => console.log(`[bench] ${line}`);

const sup = new Supervisor(stateDir, log);
sup.reapLeftovers();
await startMariadb(
  sup,
  {
    stateDir,
    port,
    user: 'bench',
    password: 'bench-pw',
    databases: ['bench'],
    defaultTimeZone: '+00:00',
  },
  log,
);
// The gateway runs in its own process, as in the local stack, so it does not share the client's event loop.
const gatewayPort = Number(process.env.CREFANS_BENCH_GATEWAY_PORT ?? 3971);
const gatewayProc = sup.start(
  'psdb-gateway',
  process.execPath,
  [join(import.meta.dirname, '../../dev/psdb-gateway/src/main.ts')],
  {
    env: {
      PSDB_GATEWAY_PORT: String(gatewayPort),
      PSDB_GATEWAY_USER: 'bench',
      PSDB_GATEWAY_PASSWORD: 'bench-pw',
      MYSQL_HOST: '127.0.0.1',
      MYSQL_PORT: String(port),
      MYSQL_USER: 'bench',
      MYSQL_PASSWORD: 'bench-pw',
      MYSQL_DATABASE: 'bench',
    },
  },
);
const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
await waitFor('gateway', () => httpReady(`${gatewayUrl}/`), 20_000, gatewayProc.exited);
try {
  const direct = await mysql.createConnection({
    host: '127.0.0.1',
    port,
    user: 'bench',
    password: 'bench-pw',
    database: 'bench',
  });
  const client = new Client({ url: gatewayUrl.replace('http://', 'http://bench:bench-pw@') });
  const query = 'select 1 as one';

  // Interleave the two series in blocks so that machine noise hits both alike.
  const directSamples: number[] = [];
  const gatewaySamples: number[] = [];
  const hopSamples: number[] = [];
  // The HTTP hop alone: the same fetch to the same gateway process, on a path answered before any SQL.
  const hop = async () => {
    const res = await fetch(`${gatewayUrl}/psdb.v1alpha1.Database/Nope`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Basic ${btoa('bench:bench-pw')}`,
      },
      body: JSON.stringify({ query, session: null }),
    });
    await res.json();
  };
  const blocks = 10;
  const per = Math.ceil(n / blocks);
  const saveN = n;
  for (let b = 0; b < blocks; b++) {
    const sizeOf = Math.min(per, saveN - b * per);
    if (sizeOf <= 0) break;
    const runBlock = async (run: () => Promise<unknown>, into: number[]) => {
      for (let i = 0; i < (b === 0 ? warmup : 0); i++) await run();
      for (let i = 0; i < sizeOf; i++) {
        const t0 = performance.now();
        await run();
        into.push(performance.now() - t0);
      }
    };
    await runBlock(() => direct.query(query), directSamples);
    await runBlock(() => client.execute(query), gatewaySamples);
    await runBlock(hop, hopSamples);
  }
  await direct.end();

  const d = summarize(directSamples);
  const g = summarize(gatewaySamples);
  const hp = summarize(hopSamples);
  const added = { p50: g.p50 - d.p50, p99: g.p99 - d.p99, mean: g.mean - d.mean };
  const gatewayOwn = { p50: g.p50 - hp.p50 - d.p50, mean: g.mean - hp.mean - d.mean };
  const goalMs = 0.5;
  const data = {
    statement: query,
    samplesEach: n,
    direct: d,
    gateway: g,
    httpHop: hp,
    addedMs: added,
    gatewayOwnMs: gatewayOwn,
    goal: { addedP50Ms: goalMs, met: added.p50 <= goalMs },
  };
  const md = [
    '# Gateway overhead',
    '',
    `\`${query}\`, ${n} sequential statements each way on one MariaDB, interleaved in ${blocks} blocks (${new Date().toISOString()}).`,
    '',
    '| path | p50 ms | p90 ms | p99 ms | mean ms |',
    '|---|---|---|---|---|',
    `| mysql2 direct | ${fmt(d.p50)} | ${fmt(d.p90)} | ${fmt(d.p99)} | ${fmt(d.mean)} |`,
    `| @planetscale/database → gateway → MariaDB | ${fmt(g.p50)} | ${fmt(g.p90)} | ${fmt(g.p99)} | ${fmt(g.mean)} |`,
    `| HTTP hop only (fetch → gateway, answered before SQL) | ${fmt(hp.p50)} | ${fmt(hp.p90)} | ${fmt(hp.p99)} | ${fmt(hp.mean)} |`,
    `| **added by the gateway** (gateway − direct) | **${fmt(added.p50)}** | | ${fmt(added.p99)} | ${fmt(added.mean)} |`,
    `| of which the gateway's own work (gateway − hop − direct) | ${fmt(gatewayOwn.p50)} | | | ${fmt(gatewayOwn.mean)} |`,
    '',
    `Goal: ≤ ${goalMs} ms added at the median — ${added.p50 <= goalMs ? 'met' : 'missed'}.`,
    'The gateway runs in its own process (as in the local stack). The added time includes the client side (fetch, JSON, base64 decoding) as well as the gateway and the extra loopback hop.',
  ].join('\n');
  record('gateway', data, md);
  console.log(md);
} finally {
  await sup.stopAll();
}
