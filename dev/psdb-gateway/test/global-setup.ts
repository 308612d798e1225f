// Starts a dedicated MariaDB for the conformance suite, with a non-UTC default time zone so that
// the gateway's per-connection UTC setting is proven (reference test 26).
import { resolve, join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { Supervisor } from '../../stack/processes.ts';
import { startMariadb } from '../../stack/mariadb.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    mysql: { host: string; port: number; user: string; password: string };
    stateDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const base = resolve(process.env.CREFANS_STATE_DIR ?? '.test-stack');
  const stateDir = join(base, 'gateway-suite');
  const port = Number(process.env.CREFANS_GATEWAY_SUITE_MYSQL_PORT ?? 3960);
  const sup = new Supervisor(stateDir, (line) => console.log(`[gateway-suite] ${line}`));
  sup.reapLeftovers();
  await startMariadb(
    sup,
    {
      stateDir,
      port,
      user: 'conformance',
      password: 'conformance-pw',
      databases: [],
      defaultTimeZone: '+05:00',
    },
    (line) => console.log(`[gateway-suite] ${line}`),
  );
  project.provide('mysql', {
    host: '127.0.0.1',
    port,
    user: 'conformance',
    password: 'conformance-pw',
  });
  project.provide('stateDir', base);
  return async () => {
    await sup.stopAll();
  };
}
