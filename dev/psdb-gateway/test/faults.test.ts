// Faults: the database going away and coming back; abandoned transactions; sessions that outlived
// their transaction.
import { join } from 'node:path';
import { Client, DatabaseError } from '@planetscale/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { startMariadb } from '../../stack/mariadb.ts';
import { Supervisor } from '../../stack/processes.ts';
import { defaultGatewayConfig, startGateway } from '../src/server.ts';
import { createHarness, post, type Harness } from './harness.ts';

const EXECUTE = '/psdb.v1alpha1.Database/Execute';

describe('abandoned and ended transactions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ idleTimeoutMs: 400 });
    await h.client.execute('create table t (id int primary key)');
  });
  afterAll(async () => {
    await h.close();
  });

  it('an idle transaction is rolled back and its session then gets ABORTED, never autocommit', async () => {
    const conn = h.client.connection();
    await conn.execute('begin');
    await conn.execute('insert into t values (1)');
    expect(h.gateway.stats().pinnedSessions).toBe(1);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(h.gateway.stats().pinnedSessions).toBe(0);
    const err = await conn.execute('insert into t values (2)').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseError);
    expect((err as DatabaseError).body).toMatchObject({
      code: 'ABORTED',
      message: expect.stringContaining('idle timeout'),
    });
    expect((await h.client.execute('select count(*) c from t')).rows).toEqual([{ c: '0' }]);
  });

  it('a session that claims a transaction the gateway does not hold is refused with ABORTED', async () => {
    const wire = await post(h.gateway.url, EXECUTE, {
      query: 'insert into t values (3)',
      session: {
        vitessSession: { SessionUUID: '00000000-0000-4000-8000-000000000000', inTransaction: true },
      },
    });
    expect(wire.status).toBe(200);
    expect(wire.json.error?.code).toBe('ABORTED');
    expect((await h.client.execute('select count(*) c from t')).rows).toEqual([{ c: '0' }]);
  });

  it('a transaction kept busy is not timed out', async () => {
    await h.client.transaction(async (tx) => {
      for (let i = 0; i < 4; i++) {
        await tx.execute(`insert into t values (${10 + i})`);
        await new Promise((r) => setTimeout(r, 250));
      }
    });
    expect((await h.client.execute('select count(*) c from t')).rows).toEqual([{ c: '4' }]);
  });
});

describe('the database stops mid-run and comes back', () => {
  const stateDir = join(inject('stateDir'), 'gateway-faults');
  const port = Number(process.env.CREFANS_GATEWAY_FAULTS_MYSQL_PORT ?? 3961);
  const log = (line: string) => console.log(`[faults] ${line}`);
  let sup: Supervisor;
  const options = {
    stateDir,
    port,
    user: 'faults',
    password: 'faults-pw',
    databases: ['faults'],
    defaultTimeZone: '+00:00',
  };

  beforeAll(async () => {
    sup = new Supervisor(stateDir, log);
    sup.reapLeftovers();
    await startMariadb(sup, options, log);
  });
  afterAll(async () => {
    await sup.stopAll();
  });

  it('clients get DatabaseErrors within a bounded time, then the same gateway serves again', async () => {
    const gateway = await startGateway({
      ...defaultGatewayConfig,
      username: 'app',
      password: 'pw',
      acquireTimeoutMs: 3_000,
      mysql: { host: '127.0.0.1', port, user: 'faults', password: 'faults-pw', database: 'faults' },
    });
    try {
      const client = new Client({ url: gateway.url.replace('http://', 'http://app:pw@') });
      await client.execute('create table if not exists beat (id int)');
      const running = Promise.allSettled(
        Array.from({ length: 40 }, async (_, i) => {
          await new Promise((r) => setTimeout(r, i * 25));
          const started = Date.now();
          try {
            await client.execute('select sleep(0.05) s');
            return { ok: true, ms: Date.now() - started };
          } catch (err) {
            return { ok: false, ms: Date.now() - started, err };
          }
        }),
      );
      // A transaction open when the server dies.
      const tx = client.connection();
      await tx.execute('begin');
      await tx.execute('insert into beat values (1)');
      await new Promise((r) => setTimeout(r, 300));
      await sup.stopAll();
      const outcomes = (await running).map((o) =>
        o.status === 'fulfilled' ? o.value : { ok: false, ms: 0, err: o.reason },
      );
      const failed = outcomes.filter((o) => !o.ok);
      expect(failed.length).toBeGreaterThan(0);
      for (const f of failed) {
        expect(f.err).toBeInstanceOf(DatabaseError);
        expect(f.ms).toBeLessThan(6_000);
      }
      const txErr = await tx.execute('insert into beat values (2)').catch((e: unknown) => e);
      expect(txErr).toBeInstanceOf(DatabaseError);
      const down = await client.execute('select 1').catch((e: unknown) => e);
      expect(down).toBeInstanceOf(DatabaseError);
      expect((down as DatabaseError).status).toBe(503);

      sup = new Supervisor(stateDir, log);
      await startMariadb(sup, options, log);
      const back = await client.execute('select 42 as v');
      expect(back.rows).toEqual([{ v: 42 }]);
      // The transaction that was open when the server died never committed.
      expect((await client.execute('select count(*) c from beat')).rows).toEqual([{ c: '0' }]);
    } finally {
      await gateway.close();
    }
  });
});
