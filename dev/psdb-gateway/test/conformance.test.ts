// The 26 conformance cases of shared/reference/planetscale-http-protocol.md §5, run with the
// unmodified @planetscale/database client and drizzle-orm/planetscale-serverless.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, DatabaseError } from '@planetscale/database';
import { DrizzleQueryError, TransactionRollbackError, eq, sql } from 'drizzle-orm';
import { drizzle, type PlanetScaleDatabase } from 'drizzle-orm/planetscale-serverless';
import { migrate } from 'drizzle-orm/planetscale-serverless/migrator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, post, type Harness } from './harness.ts';
import { CREATE_THINGS, posts, stamped, things, users } from './schema.ts';

let h: Harness;
let db: PlanetScaleDatabase;
const EXECUTE = '/psdb.v1alpha1.Database/Execute';
const when = new Date('2024-01-02T03:04:05.678Z');

beforeAll(async () => {
  h = await createHarness();
  db = drizzle({ client: h.client });
  await h.client.execute(CREATE_THINGS);
});
afterAll(async () => {
  await h.close();
});

async function causeOf(promise: Promise<unknown>): Promise<DatabaseError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected the query to fail').toBeInstanceOf(DrizzleQueryError);
  const cause = (err as DrizzleQueryError).cause;
  expect(cause).toBeInstanceOf(DatabaseError);
  return cause as DatabaseError;
}

describe('inserts, reads and row counts', () => {
  it('1. single insert reports rowsAffected 1 and insertId "1"', async () => {
    const res = await db.insert(things).values({
      name: 'a',
      n: 42,
      big: 9007199254740993n,
      bign: 12,
      amount: '12.30',
      dbl: 1.5,
      flt: 0.25,
      flag: true,
      meta: { x: [1, 'ü'], y: null },
      created: when,
      createdS: '2024-01-02 03:04:05',
      ts: when,
      d: new Date('2024-01-02'),
      t: '12:34:56',
      kind: 'b',
      y: 2024,
      txt: 'hello\n\'"\\',
    });
    expect(res.rowsAffected).toBe(1);
    expect(res.insertId).toBe('1');
  });

  it('2. every type reads back as written', async () => {
    const [row] = await db.select().from(things).where(eq(things.name, 'a'));
    expect(row).toMatchObject({
      id: 1,
      n: 42,
      big: 9007199254740993n,
      bign: 12,
      amount: '12.30',
      dbl: 1.5,
      flt: 0.25,
      flag: true,
      meta: { x: [1, 'ü'], y: null },
      createdS: '2024-01-02 03:04:05',
      t: '12:34:56',
      kind: 'b',
      y: 2024,
      txt: 'hello\n\'"\\',
    });
    expect(row.created?.toISOString()).toBe(when.toISOString());
    expect(row.ts?.toISOString()).toBe(when.toISOString());
    expect(row.d?.toISOString()).toBe('2024-01-02T00:00:00.000Z');
  });

  it('3. multi-row insert returns the first generated id and both ids', async () => {
    const wire = await h.client.execute("insert into things (name) values ('probe1'), ('probe2')");
    expect(wire.insertId).toBe('2');
    expect(wire.rowsAffected).toBe(2);
    await h.client.execute("delete from things where name like 'probe%'");
    await h.client.execute('alter table things auto_increment = 2');
    const ids = await db
      .insert(things)
      .values([{ name: 'b' }, { name: 'c' }])
      .$returningId();
    expect(ids).toEqual([{ id: 2 }, { id: 3 }]);
  });

  it('4. NULL columns are null and travel as length -1', async () => {
    const [row] = await db
      .select({ n: things.n, meta: things.meta, created: things.created, flag: things.flag })
      .from(things)
      .where(eq(things.name, 'b'));
    expect(row).toEqual({ n: null, meta: null, created: null, flag: null });
    const wire = await post(h.gateway.url, EXECUTE, {
      query: "select n, meta from things where name = 'b'",
      session: null,
    });
    expect(wire.json.result?.rows?.[0]).toEqual({ lengths: ['-1', '-1'] });
  });

  it('5. UPDATE reports found rows, not changed rows', async () => {
    const res = await db.update(things).set({ n: 42 }).where(eq(things.name, 'a'));
    expect(res.rowsAffected).toBe(1);
  });

  it('6. DELETE counts deleted rows and has insertId "0"', async () => {
    const res = await db.delete(things).where(eq(things.name, 'c'));
    expect(res.rowsAffected).toBe(1);
    expect(res.insertId).toBe('0');
  });
});

describe('raw client decoding', () => {
  it('7. mixed types: UINT64 string, bytes, NULL', async () => {
    await h.client.execute("update things set bin = x'6162' where name = 'a'");
    const res = await h.client.execute("select id, bin, NULL as z from things where name = 'a'");
    expect(res.rows[0]).toEqual({ id: '1', bin: new Uint8Array([0x61, 0x62]), z: null });
    expect(res.types).toMatchObject({ id: 'UINT64', bin: 'VARBINARY', z: 'NULL' });
  });

  it('8. big numbers, decimals, empty strings, NULL and multibyte text round-trip', async () => {
    await h.client.execute(
      "insert into things (name, big, amount, txt) values ('e1', -9223372036854775808, '-12345678.99', ''), ('e2', 9223372036854775807, '0.01', NULL), ('e3', 1, '1.00', '😀ü')",
    );
    const res = await h.client.execute(
      "select name, big, amount, txt from things where name in ('e1','e2','e3') order by name",
    );
    expect(res.rows).toEqual([
      { name: 'e1', big: '-9223372036854775808', amount: '-12345678.99', txt: '' },
      { name: 'e2', big: '9223372036854775807', amount: '0.01', txt: null },
      { name: 'e3', big: '1', amount: '1.00', txt: '😀ü' },
    ]);
    const wire = await post(h.gateway.url, EXECUTE, {
      query: "select txt from things where name in ('e1', 'e3') order by name",
    });
    expect(wire.json.result?.rows).toEqual([
      { lengths: ['0'] },
      { lengths: ['6'], values: Buffer.from('😀ü').toString('base64') },
    ]);
  });

  it('9. array mode keeps duplicate column names', async () => {
    const res = await h.client.execute('select 1 as a, 2 as a', null, { as: 'array' });
    // MariaDB types integer literals as INT32 (numbers); MySQL 8 would say INT64 (strings).
    expect(res.rows).toEqual([[1, 2]]);
  });

  it('10. joins with duplicate column names keep both ids', async () => {
    await h.client.execute('create table users (id serial primary key, name varchar(20))');
    await h.client.execute(
      'create table posts (id serial primary key, user_id bigint unsigned, title varchar(20))',
    );
    await db.insert(users).values({ name: 'ann' });
    await db.insert(posts).values([
      { userId: 1, title: 'p1' },
      { userId: 1, title: 'p2' },
    ]);
    await h.client.execute('update posts set id = id + 10');
    const rows = await db
      .select()
      .from(users)
      .innerJoin(posts, eq(posts.userId, users.id))
      .orderBy(posts.id);
    expect(rows).toEqual([
      { users: { id: 1, name: 'ann' }, posts: { id: 11, userId: 1, title: 'p1' } },
      { users: { id: 1, name: 'ann' }, posts: { id: 12, userId: 1, title: 'p2' } },
    ]);
  });

  it('11. every MySQL column type maps to the Vitess type the client expects', async () => {
    await h.client.execute(`create table golden (
      id bigint not null primary key, a tinyint, b smallint, c mediumint, d int, e bigint,
      ai tinyint unsigned, aj mediumint unsigned, ak int unsigned, al bigint unsigned,
      f decimal(5,2), g decimal(20,0), h float, i double, j bit(3), k date, l datetime, m timestamp null,
      n time, o year, p char(4), q varchar(10), r binary(4), s varbinary(4), t tinyblob, u blob,
      v mediumblob, w longblob, x tinytext, y text, z mediumtext, aa longtext, ab enum('foo','bar'),
      ac set('foo','bar'), ad json, ae geometry, xa char(4) collate utf8mb4_bin, xb varchar(4) collate utf8mb4_bin,
      xc char(4) character set binary, xd text collate utf8mb4_bin)`);
    await h.client.execute(`insert into golden values (1, -128, -32768, -8388608, -2147483648, -1,
      255, 16777215, 4294967295, 18446744073709551615, 9.5, 12345678901234567890, 1.1, 1e100, b'111',
      '2006-01-02', '2006-01-02 15:04:05', '2006-01-02 15:04:05', '-838:59:59', 2006, 'p', 'q', 'r', 's',
      't', 'u', 'v', 'w', 'x', 'y', 'z', 'aa', 'foo', 'foo,bar', '{"ad": null}', ST_GeomFromText('POINT(1 1)'),
      'xa', 'xb', 'xc', 'xd')`);
    const res = await h.client.execute('select *, NULL from golden');
    expect(res.types).toEqual({
      id: 'INT64',
      a: 'INT8',
      b: 'INT16',
      c: 'INT24',
      d: 'INT32',
      e: 'INT64',
      ai: 'UINT8',
      aj: 'UINT24',
      ak: 'UINT32',
      al: 'UINT64',
      f: 'DECIMAL',
      g: 'DECIMAL',
      h: 'FLOAT32',
      i: 'FLOAT64',
      j: 'BIT',
      k: 'DATE',
      l: 'DATETIME',
      m: 'TIMESTAMP',
      n: 'TIME',
      o: 'YEAR',
      p: 'CHAR',
      q: 'VARCHAR',
      r: 'BINARY',
      s: 'VARBINARY',
      t: 'BLOB',
      u: 'BLOB',
      v: 'BLOB',
      w: 'BLOB',
      x: 'TEXT',
      y: 'TEXT',
      z: 'TEXT',
      aa: 'TEXT',
      ab: 'ENUM',
      ac: 'SET',
      ad: 'JSON',
      ae: 'GEOMETRY',
      xa: 'BINARY',
      xb: 'VARBINARY',
      xc: 'BINARY',
      xd: 'BLOB',
      NULL: 'NULL',
    });
    const row = res.rows[0] as Record<string, unknown>;
    expect(row).toMatchObject({
      al: '18446744073709551615',
      g: '12345678901234567890',
      f: '9.50',
      h: 1.1,
      i: 1e100,
      o: 2006,
      l: '2006-01-02 15:04:05',
      m: '2006-01-02 15:04:05',
      n: '-838:59:59',
      ad: { ad: null },
      ac: 'foo,bar',
      xa: 'xa',
      xb: 'xb',
      xd: 'xd',
      NULL: null,
    });
    expect(row.r).toEqual(new Uint8Array([0x72, 0, 0, 0]));
    expect(row.j).toEqual(new Uint8Array([7]));
    expect(row.xc).toEqual(new Uint8Array([0x78, 0x63, 0, 0]));
    expect((row.ae as Uint8Array).length).toBe(25);
  });
});

describe('errors', () => {
  it('12. duplicate key: DatabaseError with errno and sqlstate inside DrizzleQueryError', async () => {
    const cause = await causeOf(db.insert(things).values({ name: 'a' }));
    expect(cause.name).toBe('DatabaseError');
    expect(cause.status).toBe(400);
    expect((cause.body as { code: string }).code).toBe('UNKNOWN');
    expect((cause.body as { message: string }).message).toMatch(
      /Duplicate entry 'a' for key .*\(errno 1062\) \(sqlstate 23000\)$/,
    );
  });

  it('13. syntax error carries errno 1064 and sqlstate 42000', async () => {
    const cause = await causeOf(db.execute(sql`selec 1`));
    expect(cause.message).toContain('(errno 1064) (sqlstate 42000)');
  });
});

describe('transactions', () => {
  it('14. commit: statements in the transaction see each other and persist', async () => {
    await h.client.execute('create table t14 (id int primary key)');
    const inside = await db.transaction(async (tx) => {
      await tx.execute(sql`insert into t14 values (1), (2), (3)`);
      return tx.select({ c: sql`count(*)` }).from(sql`t14`);
    });
    expect(inside).toEqual([{ c: '3' }]);
    const after = await h.client.execute('select count(*) c from t14');
    expect(after.rows).toEqual([{ c: '3' }]);
  });

  it('15. explicit rollback: TransactionRollbackError and nothing persists', async () => {
    const err = await db
      .transaction(async (tx) => {
        await tx.insert(things).values({ name: 'rolled-back' });
        tx.rollback();
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransactionRollbackError);
    const rows = await db.select().from(things).where(eq(things.name, 'rolled-back'));
    expect(rows).toEqual([]);
  });

  it('16. an error inside a transaction rolls everything back', async () => {
    const err = await db
      .transaction(async (tx) => {
        await tx.insert(things).values({ name: 'in-failed-tx' });
        await tx.insert(things).values({ name: 'a' });
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DrizzleQueryError);
    expect(((err as DrizzleQueryError).cause as DatabaseError).message).toContain('errno 1062');
    expect(await db.select().from(things).where(eq(things.name, 'in-failed-tx'))).toEqual([]);
    expect(h.gateway.stats().pinnedSessions).toBe(0);
  });

  it('17. savepoints: a failing nested transaction keeps the outer one', async () => {
    await db.transaction(async (tx) => {
      await tx.insert(things).values({ name: 'outer' });
      await tx
        .transaction(async (inner) => {
          await inner.insert(things).values({ name: 'inner' });
          throw new Error('inner fails');
        })
        .catch(() => undefined);
    });
    const names = (await db.select({ name: things.name }).from(things)).map((r) => r.name);
    expect(names).toContain('outer');
    expect(names).not.toContain('inner');
  });

  it('18. concurrent statements inside one transaction run in order on one connection', async () => {
    await h.client.execute('create table t18 (id int)');
    const [ins, count, c1, c2] = await h.client.transaction((tx) =>
      Promise.all([
        tx.execute('insert into t18 values (1)'),
        tx.execute('select count(*) c from t18'),
        tx.execute('select connection_id() id'),
        tx.execute('select connection_id() id'),
      ]),
    );
    expect(ins.rowsAffected).toBe(1);
    expect(count.rows).toEqual([{ c: '1' }]);
    expect(c1.rows).toEqual(c2.rows);
    expect((await h.client.execute('select count(*) c from t18')).rows).toEqual([{ c: '1' }]);
  });
});

describe('sessions', () => {
  it('19. parallel requests on the Client are independent and carry no session', async () => {
    const [a, b] = await Promise.all([
      h.client.execute('select 1 as v'),
      h.client.execute('select 2 as v'),
    ]);
    expect(a.rows).toEqual([{ v: 1 }]);
    expect(b.rows).toEqual([{ v: 2 }]);
    const wire = await post(h.gateway.url, EXECUTE, { query: 'select 1', session: null });
    expect(wire.json.session?.vitessSession?.SessionUUID).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('20. one connection keeps its session: user variables survive between requests', async () => {
    const conn = h.client.connection();
    await conn.execute('set @x = 5');
    const res = await conn.execute('select @x as x');
    expect(res.rows).toEqual([{ x: '5' }]);
    // A new Client call does not see it.
    const other = await h.client.execute('select @x as x');
    expect(other.rows).toEqual([{ x: null }]);
  });

  it('21. SET @@boost_cached_queries is a no-op that never reaches MySQL', async () => {
    const res = await h.client.execute('set @@boost_cached_queries = true');
    expect(res.rows).toEqual([]);
    expect(res.rowsAffected).toBe(0);
    const use = await h.client.execute('use @replica');
    expect(use.rows).toEqual([]);
  });
});

describe('other drizzle paths and edge cases', () => {
  it('22. $count and raw execute with client-side interpolation', async () => {
    const count = await db.$count(things);
    expect(typeof count).toBe('number');
    expect(count).toBeGreaterThan(3);
    const raw = await h.client.execute('select ? as s, ? as n', ["it's", null]);
    expect(raw.statement).toBe("select 'it''s' as s, null as n");
    expect(raw.rows).toEqual([{ s: "it's", n: null }]);
  });

  it('23. DDL returns an empty result', async () => {
    const res = await h.client.execute('create table t23 (id int)');
    expect(res.rowsAffected).toBe(0);
    expect(res.insertId).toBe('0');
    expect(res.rows).toEqual([]);
    expect(res.fields).toEqual([]);
  });

  it('24. bad auth is a DatabaseError with status 401', async () => {
    const base = h.gateway.url.replace('http://', '');
    for (const url of [
      `http://app:@${base}`,
      `http://app:wrong@${base}`,
      `http://nobody:s3cret@${base}`,
    ]) {
      const err = await new Client({ url }).execute('select 1').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatabaseError);
      expect((err as DatabaseError).status).toBe(401);
      expect((err as DatabaseError).body).toMatchObject({ code: 'unauthenticated' });
    }
    const missing = await fetch(`${h.gateway.url}${EXECUTE}`, { method: 'POST', body: '{}' });
    expect(missing.status).toBe(401);
  });

  it('25. the drizzle migrator applies migrations through the gateway, once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'psdb-migrations-'));
    mkdirSync(join(dir, 'meta'));
    writeFileSync(
      join(dir, '0000_init.sql'),
      'CREATE TABLE `migrated` (`id` int PRIMARY KEY);\n--> statement-breakpoint\nINSERT INTO `migrated` VALUES (1);',
    );
    writeFileSync(
      join(dir, 'meta', '_journal.json'),
      JSON.stringify({
        version: '7',
        dialect: 'mysql',
        entries: [
          { idx: 0, version: '5', when: 1700000000000, tag: '0000_init', breakpoints: true },
        ],
      }),
    );
    await migrate(db, { migrationsFolder: dir });
    await migrate(db, { migrationsFolder: dir });
    expect((await h.client.execute('select count(*) c from migrated')).rows).toEqual([{ c: '1' }]);
    const journal = await h.client.execute('select created_at from __drizzle_migrations');
    expect(journal.rows).toEqual([{ created_at: '1700000000000' }]);
  });

  it('26. CURRENT_TIMESTAMP is UTC even though the server default is +05:00', async () => {
    const server = await h.admin.query('select @@global.time_zone tz');
    expect((server[0] as Array<{ tz: string }>)[0].tz).toBe('+05:00');
    await h.client.execute(
      'create table stamped (id serial primary key, ts timestamp(3) default current_timestamp(3))',
    );
    await db.insert(stamped).values({});
    const [row] = await db.select().from(stamped);
    expect(Math.abs((row.ts as Date).getTime() - Date.now())).toBeLessThan(2_000);
  });
});

describe('wire format details', () => {
  it('zero values are omitted and 64-bit counts are strings', async () => {
    const wire = await post(h.gateway.url, EXECUTE, {
      query: "insert into things (name) values ('w1'), ('w2')",
      session: null,
    });
    expect(wire.status).toBe(200);
    expect(wire.json.result).toEqual({
      rowsAffected: '2',
      insertId: expect.stringMatching(/^\d+$/),
    });
    expect(typeof wire.json.timing).toBe('number');
    const ddl = await post(h.gateway.url, EXECUTE, {
      query: 'create table t_wire (id int)',
      session: null,
    });
    expect(ddl.json.result).toEqual({});
  });

  it('SQL errors are HTTP 200 with the session still returned', async () => {
    const wire = await post(h.gateway.url, EXECUTE, {
      query: 'select * from no_such_table',
      session: null,
    });
    expect(wire.status).toBe(200);
    expect(wire.json.session?.vitessSession?.SessionUUID).toBeTruthy();
    expect(wire.json.error).toEqual({
      code: 'UNKNOWN',
      message: expect.stringMatching(/no_such_table.*\(errno 1146\) \(sqlstate 42S02\)$/),
    });
  });

  it('CreateSession answers with a session; unknown paths 404; GET 405; bad JSON 400', async () => {
    const created = await post(h.gateway.url, '/psdb.v1alpha1.Database/CreateSession', {});
    expect(created.status).toBe(200);
    expect(created.json.user?.username).toBe('app');
    expect(created.json.session?.vitessSession?.SessionUUID).toBeTruthy();
    expect((await post(h.gateway.url, '/nope', {})).status).toBe(404);
    expect((await fetch(`${h.gateway.url}${EXECUTE}`)).status).toBe(405);
    const bad = await fetch(`${h.gateway.url}${EXECUTE}`, {
      method: 'POST',
      headers: { Authorization: `Basic ${btoa('app:s3cret')}` },
      body: '{not json',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_argument' } });
  });
});
