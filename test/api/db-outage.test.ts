// The database away: refused, answering "unavailable", or not answering at all. Every such request
// answers 503 SERVICE_UNAVAILABLE with Retry-After within about one statement deadline, and a
// transaction cut off by its deadline leaves nothing written. (The gateway stopped and frozen under
// load: test/stack/outage.test.ts.)
import { DatabaseError } from '@planetscale/database';
import { env } from 'cloudflare:workers';
import { eq, sql } from 'drizzle-orm';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.ts';
import { createDb, databaseOutage, DatabaseUnavailableError } from '../../src/db/client.ts';
import { users } from '../../src/db/schema/index.ts';
import { expectError } from './helpers.ts';

const bindings = env as unknown as Record<string, unknown>;
const refused = { ...bindings, DATABASE_URL: 'http://u:p@127.0.0.1:9/' };
const db = createDb(env.DATABASE_URL);

function probeApp() {
  const app = createApp();
  app.get('/__probe/sleep', async (c) => {
    await c.get('services').db.execute(sql`select sleep(3) as s`);
    return c.json({ slept: true });
  });
  app.get('/__probe/sleep-twice', async (c) => {
    const { db: requestDb } = c.get('services');
    await requestDb.execute(sql`select sleep(3) as s`).catch(() => undefined);
    await requestDb.execute(sql`select sleep(3) as s`);
    return c.json({ slept: true });
  });
  app.post('/__probe/tx-timeout/:id', async (c) => {
    const id = c.req.param('id');
    await c.get('services').db.transaction(async (tx) => {
      await tx.insert(users).values({
        id,
        email: `${id}@outage.test.crefans.local`,
        handle: `o${id.slice(0, 12)}`,
        nickname: `o${id.slice(0, 8)}`,
        name: 'outage',
        status: 'active',
      });
      await tx.execute(sql`select sleep(3) as s`);
    });
    return c.json({ written: true });
  });
  app.get('/__probe/unavailable', () => {
    const driver = new DatabaseError(
      'target: crefans.-.primary: vttablet: rpc error: code = Unavailable',
      503,
      { code: 'UNAVAILABLE', message: 'unavailable' },
    );
    throw new DrizzleQueryError('select 1', [], driver);
  });
  return app;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the database refuses connections', () => {
  it.each([
    '/explore/creators/new',
    '/feed/public',
    '/postings/01900000-0000-7000-8000-000000000000',
  ])('GET %s → 503 with Retry-After', async (path) => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await createApp().request(path, {}, refused);
    await expectError(res, 503, 'SERVICE_UNAVAILABLE');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('/health says 503 with Retry-After too', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await createApp().request('/health', {}, refused);
    await expectError(res, 503, 'SERVICE_UNAVAILABLE');
    expect(res.headers.get('retry-after')).not.toBeNull();
  });
});

describe('the database answers "unavailable"', () => {
  it('a PlanetScale UNAVAILABLE, wrapped by drizzle, → 503 with Retry-After', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const res = await probeApp().request('/__probe/unavailable', {}, bindings);
    await expectError(res, 503, 'SERVICE_UNAVAILABLE');
    expect(res.headers.get('retry-after')).not.toBeNull();
  });

  it('classifies transport, deadline and edge errors, and leaves SQL errors alone', () => {
    expect(
      databaseOutage(new DatabaseError('x', 400, { code: 'DEADLINE_EXCEEDED', message: 'x' }))
        ?.reason,
    ).toBe('timeout');
    expect(
      databaseOutage(new DatabaseError('x', 400, { code: 'ABORTED', message: 'x' }))?.reason,
    ).toBe('unavailable');
    expect(
      databaseOutage(
        new DatabaseError('Lock wait timeout exceeded (errno 1205) (sqlstate HY000)', 400, {
          code: 'UNKNOWN',
          message: '',
        }),
      ),
    ).not.toBeNull();
    expect(
      databaseOutage(
        new DatabaseError('Duplicate entry (errno 1062) (sqlstate 23000)', 400, {
          code: 'UNKNOWN',
          message: '',
        }),
      ),
    ).toBeNull();
    expect(
      databaseOutage(
        new DatabaseError('syntax (errno 1064) (sqlstate 42000)', 400, {
          code: 'UNKNOWN',
          message: '',
        }),
      ),
    ).toBeNull();
    expect(databaseOutage(new Error('something else'))).toBeNull();
  });
});

describe('the database does not answer in time', () => {
  it('a statement past its deadline fails as a timeout, at the deadline', async () => {
    const slow = createDb(env.DATABASE_URL, undefined, { timeoutMs: 300 });
    const started = Date.now();
    const err = await slow.execute(sql`select sleep(2) as s`).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(databaseOutage(err)).toBeInstanceOf(DatabaseUnavailableError);
    expect(databaseOutage(err)?.reason).toBe('timeout');
  });

  it('a request whose statement hangs answers 503 at DB_STATEMENT_TIMEOUT_MS', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const started = Date.now();
    const res = await probeApp().request(
      '/__probe/sleep',
      {},
      { ...bindings, DB_STATEMENT_TIMEOUT_MS: '400' },
    );
    const ms = Date.now() - started;
    await expectError(res, 503, 'SERVICE_UNAVAILABLE');
    expect(res.headers.get('retry-after')).not.toBeNull();
    expect(ms).toBeLessThan(1_500);
  });

  it('after one timeout, the same request does not wait a second deadline', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const started = Date.now();
    const res = await probeApp().request(
      '/__probe/sleep-twice',
      {},
      { ...bindings, DB_STATEMENT_TIMEOUT_MS: '500' },
    );
    await expectError(res, 503, 'SERVICE_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('a transaction cut off by the deadline leaves nothing written, and its locks go', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const id = crypto.randomUUID();
    const started = Date.now();
    const res = await probeApp().request(
      `/__probe/tx-timeout/${id}`,
      { method: 'POST' },
      { ...bindings, DB_STATEMENT_TIMEOUT_MS: '400' },
    );
    await expectError(res, 503, 'SERVICE_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(1_500);
    // The gateway finishes the sleep, then runs the ROLLBACK sent after the timeout (not its 30 s
    // idle timer).
    await new Promise((r) => setTimeout(r, 3_500));
    expect(await db.select().from(users).where(eq(users.id, id))).toEqual([]);
    const probe = await db.transaction(async (tx) => {
      await tx.execute(sql`set innodb_lock_wait_timeout = 1`);
      return tx.insert(users).values({
        id,
        email: `${id}@outage.test.crefans.local`,
        handle: `o${id.slice(0, 12)}`,
        nickname: `o${id.slice(0, 8)}`,
        name: 'outage',
        status: 'active',
      });
    });
    expect(probe.rowsAffected).toBe(1);
    await db.delete(users).where(eq(users.id, id));
  });
});
