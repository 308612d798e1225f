// Ledger throughput through the PlanetScale gateway: transfers per second with one hot wallet (every
// transfer debits the same row, so they serialise on its lock) and with many wallets (disjoint pairs).
// Uses the real domain code and driver (drizzle + @planetscale/database → gateway → MariaDB).
//   npm run bench:ledger   (BENCH_SECONDS, BENCH_CONCURRENCY)
import { join, resolve } from 'node:path';
import { uuidv7 } from 'uuidv7';
import { applyMigrations } from '../../dev/db/migrate.ts';
import { startMariadb } from '../../dev/stack/mariadb.ts';
import { Supervisor, httpReady, waitFor } from '../../dev/stack/processes.ts';
import { createDb } from '../../src/db/client.ts';
import { TREASURY_WALLET_ID, applyReferenceData } from '../../src/db/reference-data.ts';
import { changeSupply, checkLedgerInvariants, transfer } from '../../src/domain/ledger.ts';
import { ensureWallet, kngWallet } from '../../src/domain/wallets.ts';
import { ApiError } from '../../src/lib/errors.ts';
import { fmt, record, summarize } from '../lib.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const stateDir = join(resolve(process.env.CREFANS_STATE_DIR ?? '.bench-stack'), 'ledger-bench');
const mysqlPort = Number(process.env.CREFANS_BENCH_MYSQL_PORT ?? 3974);
const gatewayPort = Number(process.env.CREFANS_BENCH_GATEWAY_PORT ?? 3975);
const log = (line: string) => console.log(`[bench] ${line}`);
const sup = new Supervisor(stateDir, log);
sup.reapLeftovers();

try {
  await startMariadb(
    sup,
    {
      stateDir,
      port: mysqlPort,
      user: 'bench',
      password: 'bench-pw',
      databases: ['ledger'],
      defaultTimeZone: '+00:00',
      fresh: true,
    },
    log,
  );
  const gw = sup.start(
    'psdb-gateway',
    process.execPath,
    [join(import.meta.dirname, '../../dev/psdb-gateway/src/main.ts')],
    {
      env: {
        PSDB_GATEWAY_PORT: String(gatewayPort),
        PSDB_GATEWAY_USER: 'bench',
        PSDB_GATEWAY_PASSWORD: 'bench-pw',
        PSDB_GATEWAY_POOL_SIZE: String(concurrency + 8),
        MYSQL_HOST: '127.0.0.1',
        MYSQL_PORT: String(mysqlPort),
        MYSQL_USER: 'bench',
        MYSQL_PASSWORD: 'bench-pw',
        MYSQL_DATABASE: 'ledger',
      },
    },
  );
  await waitFor('gateway', () => httpReady(`http://127.0.0.1:${gatewayPort}/`), 20_000, gw.exited);
  const url = `http://bench:bench-pw@127.0.0.1:${gatewayPort}`;
  await applyMigrations(url);
  const db = createDb(url);
  await applyReferenceData(db);

  log('creating wallets');
  const owners = Array.from({ length: concurrency * 2 + 1 }, () => uuidv7());
  const walletIds: string[] = [];
  for (const owner of owners) {
    await ensureWallet(db, owner);
    walletIds.push((await kngWallet(db, owner))?.id as string);
  }
  const perWallet = 10_000_000;
  await changeSupply(db, {
    kind: 'mint',
    amount: perWallet * walletIds.length,
    idempotencyKey: `bench:mint:${uuidv7()}`,
  });
  for (const id of walletIds)
    await transfer(db, {
      idempotencyKey: `bench:fund:${uuidv7()}`,
      fromWalletId: TREASURY_WALLET_ID,
      toWalletId: id,
      amount: perWallet,
      reason: 'charge',
    });

  async function scenario(name: string, pick: (worker: number) => [string, string]) {
    const latencies: number[] = [];
    let failures = 0;
    const deadline = Date.now() + seconds * 1000;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async (_, worker) => {
        while (Date.now() < deadline) {
          const [from, to] = pick(worker);
          const t0 = performance.now();
          try {
            await transfer(db, {
              idempotencyKey: `bench:${uuidv7()}`,
              fromWalletId: from,
              toWalletId: to,
              amount: 1,
              reason: 'donation',
            });
            latencies.push(performance.now() - t0);
          } catch (err) {
            if (!(err instanceof ApiError)) throw err;
            failures++;
          }
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    return {
      name,
      transfers: latencies.length,
      perSecond: latencies.length / elapsed,
      failures,
      latencyMs: summarize(latencies),
    };
  }

  const hot = walletIds[0];
  log('one hot wallet');
  const hotResult = await scenario(
    'one hot wallet (every transfer debits the same wallet)',
    (w) => [hot, walletIds[1 + w]],
  );
  log('many wallets');
  const manyResult = await scenario('many wallets (each worker its own pair)', (w) => [
    walletIds[1 + 2 * w],
    walletIds[2 + 2 * w],
  ]);
  const invariants = await checkLedgerInvariants(db);
  const data = {
    concurrency,
    secondsPerScenario: seconds,
    statementsPerTransfer:
      'BEGIN, 2 guarded UPDATEs, SELECT, INSERT, COMMIT + 1 idempotency lookup',
    results: [hotResult, manyResult],
    invariantsOk: invariants.ok,
  };
  const md = [
    '# Ledger throughput through the gateway',
    '',
    `${concurrency} concurrent clients, ${seconds} s per scenario, 1 KNG per transfer, real driver and domain code (${new Date().toISOString()}).`,
    'Each transfer is 7 HTTP round trips (idempotency lookup, BEGIN, debit, credit, read-back, INSERT, COMMIT).',
    '',
    '| scenario | transfers/s | p50 ms | p99 ms | refused |',
    '|---|---|---|---|---|',
    ...[hotResult, manyResult].map(
      (r) =>
        `| ${r.name} | ${r.perSecond.toFixed(0)} | ${fmt(r.latencyMs.p50)} | ${fmt(r.latencyMs.p99)} | ${r.failures} |`,
    ),
    '',
    `Ratio many / hot: ${(manyResult.perSecond / hotResult.perSecond).toFixed(2)}. Ledger invariants after the run: ${invariants.ok ? 'hold' : 'BROKEN'}.`,
  ].join('\n');
  record('ledger', data, md);
  console.log(md);
} finally {
  await sup.stopAll();
}
