// The feed benchmark's own stack: MariaDB (kept between runs: the data set is resumable) and the gateway.
import { join, resolve } from 'node:path';
import { startMariadb } from '../../dev/stack/mariadb.ts';
import { Supervisor, httpReady, waitFor } from '../../dev/stack/processes.ts';

export const stateDir = join(
  resolve(process.env.CREFANS_STATE_DIR ?? '.bench-stack'),
  'feed-bench',
);
export const mysqlPort = Number(process.env.CREFANS_BENCH_MYSQL_PORT ?? 3976);
export const gatewayPort = Number(process.env.CREFANS_BENCH_GATEWAY_PORT ?? 3977);
export const mysqlConfig = {
  host: '127.0.0.1',
  port: mysqlPort,
  user: 'bench',
  password: 'bench-pw',
  database: 'feedbench',
};
export const gatewayUrl = `http://bench:bench-pw@127.0.0.1:${gatewayPort}`;

export async function startBenchDb(log: (l: string) => void): Promise<Supervisor> {
  const sup = new Supervisor(stateDir, log);
  sup.reapLeftovers();
  await startMariadb(
    sup,
    {
      stateDir,
      port: mysqlPort,
      user: 'bench',
      password: 'bench-pw',
      databases: ['feedbench'],
      defaultTimeZone: '+00:00',
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
        PSDB_GATEWAY_POOL_SIZE: '48',
        MYSQL_HOST: '127.0.0.1',
        MYSQL_PORT: String(mysqlPort),
        MYSQL_USER: 'bench',
        MYSQL_PASSWORD: 'bench-pw',
        MYSQL_DATABASE: 'feedbench',
      },
    },
  );
  await waitFor('gateway', () => httpReady(`http://127.0.0.1:${gatewayPort}/`), 20_000, gw.exited);
  return sup;
}

/** Deterministic ids, so that generation can resume and the load script can name users and postings. */
export const userId = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
export const postingId = (i: number) =>
  `00000000-0000-4000-9000-${i.toString(16).padStart(12, '0')}`;

export function sizes() {
  const scale = Number(process.env.BENCH_SCALE ?? 1);
  const n = (name: string, full: number) =>
    Math.max(1, Math.round(Number(process.env[name] ?? full * scale)));
  return {
    users: n('BENCH_USERS', 100_000),
    creators: n('BENCH_CREATORS', 5_000),
    postings: n('BENCH_POSTINGS', 1_000_000),
    follows: n('BENCH_FOLLOWS', 2_000_000),
    likes: n('BENCH_LIKES', 5_000_000),
  };
}
