// MariaDB in a project-local data directory: no systemd, no /var/lib/mysql.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { waitFor, type Managed, type Supervisor } from './processes.ts';
import { which } from './system.ts';

export interface MariadbOptions {
  stateDir: string;
  port: number;
  user: string;
  password: string;
  databases: string[];
  /** A non-UTC server default proves the gateway pins every connection to UTC. */
  defaultTimeZone: string;
  /** Drop the databases first (the test stack starts from a clean slate every run). */
  fresh?: boolean;
}

export interface Mariadb {
  managed: Managed;
  socket: string;
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

export function socketPath(stateDir: string): string {
  const inState = join(stateDir, 'mysql.sock');
  // Unix socket paths are limited to ~107 bytes.
  if (inState.length < 100) return inState;
  return join(
    tmpdir(),
    `crefans-${createHash('sha1').update(stateDir).digest('hex').slice(0, 12)}.sock`,
  );
}

export async function startMariadb(
  sup: Supervisor,
  o: MariadbOptions,
  log: (l: string) => void,
): Promise<Mariadb> {
  const dataDir = join(o.stateDir, 'mysql');
  const runAs = isRoot() ? ['--user=root'] : [];
  if (!existsSync(join(dataDir, 'mysql'))) {
    log(`initialising MariaDB data directory ${dataDir}`);
    mkdirSync(dataDir, { recursive: true });
    const installDb = which('mariadb-install-db') ?? which('mysql_install_db');
    if (!installDb) throw new Error('mariadb-install-db not found (Debian package mariadb-server)');
    execFileSync(
      installDb,
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        '--auth-root-authentication-method=socket',
        '--skip-test-db',
        ...runAs,
      ],
      { stdio: 'pipe' },
    );
  }
  const socket = socketPath(o.stateDir);
  const mariadbd = which('mariadbd') ?? which('mysqld');
  if (!mariadbd) throw new Error('mariadbd not found (Debian package mariadb-server)');
  const managed = sup.start('mariadb', mariadbd, [
    '--no-defaults',
    `--datadir=${dataDir}`,
    `--port=${o.port}`,
    '--bind-address=127.0.0.1',
    `--socket=${socket}`,
    `--pid-file=${join(o.stateDir, 'mariadb.pid')}`,
    '--skip-name-resolve',
    '--character-set-server=utf8mb4',
    '--collation-server=utf8mb4_unicode_ci',
    `--default-time-zone=${o.defaultTimeZone}`,
    '--innodb-buffer-pool-size=256M',
    '--innodb-flush-log-at-trx-commit=2',
    '--max-connections=400',
    '--skip-log-bin',
    ...runAs,
  ]);
  await waitFor(
    'MariaDB',
    async () => {
      const conn = await mysql.createConnection({ socketPath: socket, user: 'root' });
      await conn.end();
      return true;
    },
    60_000,
    managed.exited,
  );
  await provision(socket, o);
  return { managed, socket };
}

async function provision(socket: string, o: MariadbOptions): Promise<void> {
  const conn = await mysql.createConnection({ socketPath: socket, user: 'root' });
  try {
    for (const db of o.databases) {
      if (o.fresh) await conn.query(`DROP DATABASE IF EXISTS \`${db}\``);
      await conn.query(
        `CREATE DATABASE IF NOT EXISTS \`${db}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
      );
    }
    for (const host of ['127.0.0.1', 'localhost']) {
      await conn.query(`CREATE USER IF NOT EXISTS ?@? IDENTIFIED BY ?`, [o.user, host, o.password]);
      await conn.query(`ALTER USER ?@? IDENTIFIED BY ?`, [o.user, host, o.password]);
      // Local only: the conformance suite and test harness create and drop their own databases.
      await conn.query(`GRANT ALL PRIVILEGES ON *.* TO ?@? WITH GRANT OPTION`, [o.user, host]);
    }
  } finally {
    await conn.end();
  }
}
