// The local stack itself: its description, the demo seed (idempotent), and the production bundle.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { AwsClient } from 'aws4fetch';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client.ts';
import {
  CREATOR_CATEGORIES,
  KNG_TOKEN_TYPE_ID,
  TREASURY_WALLET_ID,
} from '../../src/db/reference-data.ts';
import { DEMO_ACCOUNTS, DEMO_FAN_BALANCE, DEMO_TIERS, seedDemo } from '../../dev/seed/demo.ts';
import { cognitoCall } from '../../dev/stack/cognito.ts';
import { readStackInfo } from '../stack-info.ts';

const info = readStackInfo();
let conn: mysql.Connection;

beforeAll(async () => {
  conn = await mysql.createConnection({ ...info.mysql });
});
afterAll(async () => {
  await conn.end();
});

async function count(table: string): Promise<number> {
  const [rows] = await conn.query(`select count(*) as c from \`${table}\``);
  return Number((rows as Array<{ c: number }>)[0].c);
}

describe('stack.json', () => {
  it('lists every endpoint and id a tool needs', () => {
    expect(info).toMatchObject({
      apiUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      gatewayUrl: expect.stringMatching(/^http:\/\/[^:]+:[^@]+@127\.0\.0\.1:\d+$/),
      mysql: {
        host: '127.0.0.1',
        port: expect.any(Number),
        user: expect.any(String),
        password: expect.any(String),
        database: expect.any(String),
      },
      cognito: {
        endpoint: expect.any(String),
        userPoolId: expect.any(String),
        clientId: expect.any(String),
        issuer: expect.any(String),
      },
      s3: {
        endpoint: expect.any(String),
        bucket: 'crefans-media',
        region: expect.any(String),
        accessKeyId: expect.any(String),
        secretAccessKey: expect.any(String),
      },
      mediaServiceUrl: expect.stringMatching(/^http:/),
      demo: {
        creator: { email: DEMO_ACCOUNTS.creator.email, password: DEMO_ACCOUNTS.creator.password },
        fan: { email: DEMO_ACCOUNTS.fan.email, password: DEMO_ACCOUNTS.fan.password },
      },
    });
    expect(info.cognito.issuer).toBe(`${info.cognito.endpoint}/${info.cognito.userPoolId}`);
  });

  it('every listed service answers', async () => {
    const media = await fetch(`${info.mediaServiceUrl}/health`);
    expect(media.status).toBe(200);
    // The Toss stand-in: its controls answer, its API wants the secret key like Toss.
    expect((await fetch(`${info.toss.endpoint}/_fake/calls`)).status).toBe(200);
    const unauthenticated = await fetch(`${info.toss.endpoint}/v1/payments/tgen_x`);
    expect([
      unauthenticated.status,
      ((await unauthenticated.json()) as { code: string }).code,
    ]).toEqual([401, 'UNAUTHORIZED_KEY']);
    const lookup = await fetch(`${info.toss.endpoint}/v1/payments/tgen_x`, {
      headers: { authorization: `Basic ${btoa(`${info.toss.secretKey}:`)}` },
    });
    expect(lookup.status).toBe(404);
    const jwks = await fetch(`${info.cognito.issuer}/.well-known/jwks.json`);
    expect(jwks.status).toBe(200);
    expect(((await jwks.json()) as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
  });

  // Signature checks themselves (tampered, expired, foreign key, unsigned) are in s3-verify.test.ts.
  it('the S3 bucket exists, accepts signed requests, refuses an unknown access key, and has CORS for the web client', async () => {
    const s3 = new AwsClient({
      accessKeyId: info.s3.accessKeyId,
      secretAccessKey: info.s3.secretAccessKey,
      region: info.s3.region,
      service: 's3',
    });
    const key = `${info.s3.endpoint}/${info.s3.bucket}/stack-test/${Date.now()}.txt`;
    const put = await s3.fetch(key, { method: 'PUT', body: 'hello' });
    expect(put.status).toBe(200);
    const got = await s3.fetch(key);
    expect(await got.text()).toBe('hello');
    const forged = new AwsClient({
      accessKeyId: 'AKIAUNKNOWN',
      secretAccessKey: 'wrong-secret',
      region: info.s3.region,
      service: 's3',
    });
    expect((await forged.fetch(key)).status).toBe(403);
    const preflight = await fetch(key, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:3000', 'Access-Control-Request-Method': 'PUT' },
    });
    expect(preflight.status).toBe(200);
    const foreign = await fetch(key, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'PUT' },
    });
    expect(foreign.status).toBe(403);
    const read = await s3.fetch(key, { headers: { Origin: 'http://127.0.0.1:3000' } });
    expect(read.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
  });
});

describe('demo seed', () => {
  it('created the reference data and both demo accounts', async () => {
    expect(await count('creator_categories')).toBe(CREATOR_CATEGORIES.length);
    const [tokens] = await conn.query('select symbol, price_krw from token_types where id = ?', [
      KNG_TOKEN_TYPE_ID,
    ]);
    expect(tokens).toEqual([{ symbol: 'KNG', price_krw: 100 }]);
    const [treasury] = await conn.query('select kind, owner_id from wallets where id = ?', [
      TREASURY_WALLET_ID,
    ]);
    expect(treasury).toEqual([{ kind: 'treasury', owner_id: 'treasury' }]);
    const [users] = await conn.query(
      'select handle, status from users where email in (?, ?) order by handle',
      [DEMO_ACCOUNTS.creator.email, DEMO_ACCOUNTS.fan.email],
    );
    expect(users).toEqual([
      { handle: 'demo_creator', status: 'active' },
      { handle: 'demo_fan', status: 'active' },
    ]);
    const [creator] = await conn.query(
      'select c.user_id from creators c join users u on u.id = c.user_id where u.handle = ?',
      ['demo_creator'],
    );
    expect((creator as unknown[]).length).toBe(1);
    const [tiers] = await conn.query(
      'select m.level, m.price from membership_items m join users u on u.id = m.creator_id where u.handle = ? and m.deleted_at is null order by m.level',
      ['demo_creator'],
    );
    expect(tiers).toEqual(DEMO_TIERS.map((t) => ({ level: t.level, price: t.price })));
    const [fanWallet] = await conn.query(
      'select w.balance from wallets w join users u on u.id = w.owner_id where u.handle = ?',
      ['demo_fan'],
    );
    expect(fanWallet).toEqual([{ balance: DEMO_FAN_BALANCE }]);
  });

  it('the demo passwords sign in through Cognito', async () => {
    for (const account of [DEMO_ACCOUNTS.creator, DEMO_ACCOUNTS.fan]) {
      const out = await cognitoCall<{ AuthenticationResult?: { AccessToken?: string } }>(
        info.cognito.endpoint,
        'InitiateAuth',
        {
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: info.cognito.clientId,
          AuthParameters: { USERNAME: account.email, PASSWORD: account.password },
        },
      );
      expect(out.AuthenticationResult?.AccessToken).toMatch(/^ey/);
    }
  });

  it('is idempotent: seeding twice more changes no row count and no Cognito user', async () => {
    const tables = [
      'users',
      'creators',
      'creator_categories',
      'token_types',
      'wallets',
      'transfer_reasons',
      'membership_items',
      'transfers',
      'token_supply_changes',
    ];
    const before = Object.fromEntries(
      await Promise.all(tables.map(async (t) => [t, await count(t)] as const)),
    );
    const listUsers = async () =>
      (
        await cognitoCall<{ Users: unknown[] }>(info.cognito.endpoint, 'ListUsers', {
          UserPoolId: info.cognito.userPoolId,
        })
      ).Users.length;
    const cognitoBefore = await listUsers();
    const db = createDb(info.databaseUrl);
    const first = await seedDemo(db, info.cognito);
    const second = await seedDemo(db, info.cognito);
    expect(second).toEqual(first);
    const after = Object.fromEntries(
      await Promise.all(tables.map(async (t) => [t, await count(t)] as const)),
    );
    expect(after).toEqual(before);
    expect(await listUsers()).toBe(cognitoBefore);
  });
});

describe('deploy bundle', () => {
  it('`wrangler deploy --dry-run` bundles the Worker', async () => {
    const root = resolve(import.meta.dirname, '../..');
    const outdir = mkdtempSync(join(tmpdir(), 'crefans-bundle-'));
    const wrangler = join(
      createRequire(import.meta.url).resolve('wrangler/package.json'),
      '..',
      'bin',
      'wrangler.js',
    );
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [wrangler, 'deploy', '--dry-run', '--outdir', outdir],
      {
        cwd: root,
        env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
      },
    );
    expect(stdout).toContain('--dry-run: exiting now.');
    const bundle = join(outdir, 'index.js');
    expect(existsSync(bundle)).toBe(true);
    expect(statSync(bundle).size).toBeGreaterThan(10_000);
  });
});
