// The database going away under a mixed load through the Worker (wrangler dev on the test stack):
// reads, likes, posting purchases and KNG subscriptions from a dozen fans at once, while the
// PlanetScale gateway is (1) stopped — its fault switch drops every connection, rolls back open
// transactions and refuses new ones, then it listens again — and (2) frozen with SIGSTOP/SIGCONT,
// so requests hang instead of failing. Every answer must be a success or 503 SERVICE_UNAVAILABLE
// with Retry-After; failures must come within the statement deadline + 1 s; requests sent 2 s after
// the database returns must succeed; and afterwards every ledger, purchase, subscription and like
// invariant must hold.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { and, count, eq, inArray } from 'drizzle-orm';
import { SignJWT, importJWK, type JWK } from 'jose';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client.ts';
import { TREASURY_WALLET_ID } from '../../src/db/reference-data.ts';
import {
  creators,
  postingLikes,
  postingPurchases,
  postings,
  subscriptions,
  users,
} from '../../src/db/schema/index.ts';
import { changeSupply, checkLedgerInvariants, transfer } from '../../src/domain/ledger.ts';
import { createTier } from '../../src/domain/memberships.ts';
import { ensureWallet, kngWallet } from '../../src/domain/wallets.ts';
import { envSchema } from '../../src/env.ts';
import { readStackInfo } from '../stack-info.ts';

const info = readStackInfo();
const db = createDb(info.databaseUrl);
const require = createRequire(import.meta.url);
const keyFile = join(
  require.resolve('cognito-local/package.json'),
  '..',
  'lib',
  'keys',
  'cognitoLocal.private.json',
);
/** The documented default deadline (the test stack's Worker does not override it). */
const DEADLINE_MS = envSchema.shape.DB_STATEMENT_TIMEOUT_MS.parse(undefined);
const FANS = 12;
const FUNDS = 1_000;
const PRICE = 50;
const TIER_PRICE = 100;

interface Outcome {
  op: string;
  started: number;
  ms: number;
  status: number;
  code?: string;
  retryAfter: string | null;
}

async function tokenFor(userId: string): Promise<string> {
  const key = await importJWK(
    (JSON.parse(readFileSync(keyFile, 'utf8')) as { jwk: JWK }).jwk,
    'RS256',
  );
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ token_use: 'access', client_id: info.cognito.clientId, username: userId })
    .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' })
    .setSubject(userId)
    .setIssuer(info.cognito.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(key);
}

async function makeUser(creator: boolean): Promise<{ id: string; token: string }> {
  const id = crypto.randomUUID();
  await db.insert(users).values({
    id,
    email: `${id}@outage.test.crefans.local`,
    handle: `o${id.replace(/-/g, '').slice(0, 12)}`,
    nickname: `o${id.slice(0, 8)}`,
    name: 'outage',
    status: 'active',
    confirmedAt: new Date(),
  });
  if (creator) await db.insert(creators).values({ userId: id });
  await ensureWallet(db, id);
  return { id, token: await tokenFor(id) };
}

async function fund(userId: string, amount: number): Promise<void> {
  const wallet = (await kngWallet(db, userId))?.id as string;
  const key = `outage-fund:${uuidv7()}`;
  await changeSupply(db, { kind: 'mint', amount, idempotencyKey: `${key}:mint` });
  await transfer(db, {
    idempotencyKey: key,
    fromWalletId: TREASURY_WALLET_ID,
    toWalletId: wallet,
    amount,
    reason: 'charge',
  });
}

/** The gateway's process, found among the stack's children by its entry file. */
function gatewayPid(): number {
  const pids = JSON.parse(readFileSync(join(info.stateDir, 'pids.json'), 'utf8')) as number[];
  const entry = join(info.stateDir, '..', 'dev', 'psdb-gateway', 'src', 'main.ts');
  const pid = pids.find((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').includes(entry);
    } catch {
      return false;
    }
  });
  if (!pid) throw new Error(`no running gateway (${entry}) among ${pids.join(', ')}`);
  return pid;
}

async function gatewayServes(): Promise<boolean> {
  try {
    await createDb(info.databaseUrl, undefined, { timeoutMs: 1_000 }).execute('select 1');
    return true;
  } catch {
    return false;
  }
}

async function untilGatewayServes(timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await gatewayServes())) {
    if (Date.now() > deadline) throw new Error('the gateway did not come back');
    await sleep(200);
  }
}

let creator: { id: string; token: string };
let fans: Array<{ id: string; token: string }>;
let postingId: string;
let tierId: string;

beforeAll(async () => {
  await untilGatewayServes();
  creator = await makeUser(true);
  fans = await Promise.all(Array.from({ length: FANS }, () => makeUser(false)));
  for (const fan of fans) await fund(fan.id, FUNDS);
  const tier = await createTier(db, creator.id, {
    name: 'outage tier',
    description: null,
    benefits: ['a'],
    level: 1,
    price: TIER_PRICE,
    billingUnit: 'MONTH',
    billingPeriod: 1,
    trialUnit: 'DAY',
    trialPeriod: 0,
    isActive: true,
  });
  tierId = tier.id;
  const res = await fetch(`${info.apiUrl}/postings`, {
    method: 'POST',
    headers: { cookie: `access_token=${creator.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      title: 'outage',
      content: 'paid part',
      status: 'PUBLISHED',
      allow_individual_purchase: true,
      individual_purchase_price_kng: PRICE,
    }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
  postingId = ((await res.json()) as { data: { id: string } }).data.id;
});

afterAll(async () => {
  // Whatever happened above, leave a serving gateway to the suites that run after this one.
  try {
    process.kill(gatewayPid(), 'SIGCONT');
  } catch {
    // not stopped
  }
  await untilGatewayServes();
});

/**
 * One request of a fan: a read, a like, an unlike, the wallet, a purchase or a subscription (fixed
 * keys: retries replay).
 */
async function send(fan: { id: string; token: string }, n: number): Promise<Outcome> {
  const ops: Array<[string, string, string, Record<string, string>?]> = [
    ['read', 'GET', `/postings/${postingId}`],
    ['like', 'POST', `/postings/${postingId}/like`],
    ['unlike', 'DELETE', `/postings/${postingId}/like`],
    ['wallet', 'GET', '/wallet'],
    [
      'purchase',
      'POST',
      `/postings/${postingId}/purchase`,
      { 'idempotency-key': `outage-buy-${fan.id}` },
    ],
    [
      'subscribe',
      'POST',
      `/subscription/membership/${tierId}`,
      { 'idempotency-key': `outage-sub-${fan.id}` },
    ],
  ];
  let [op, method, path, headers] = ops[n % ops.length];
  // One money request per fan at a time, as one client retrying would send them. (Two overlapping
  // subscribes with one Idempotency-Key can still race to 409 ALREADY_SUBSCRIBED in
  // src/domain/subscriptions.ts: the key is looked up before the live subscription, a concurrent
  // winner can commit in between.)
  const money = op === 'purchase' || op === 'subscribe';
  const holds = money && !moneyBusy.has(fan.id);
  if (money && !holds) [op, method, path, headers] = ops[0];
  if (holds) moneyBusy.add(fan.id);
  const started = Date.now();
  let status = 0;
  let code: string | undefined;
  let retryAfter: string | null = null;
  try {
    const res = await fetch(`${info.apiUrl}${path}`, {
      method,
      headers: { cookie: `access_token=${fan.token}`, ...headers },
      signal: AbortSignal.timeout(30_000),
    });
    status = res.status;
    retryAfter = res.headers.get('retry-after');
    const text = await res.text();
    if (status >= 400) code = (JSON.parse(text) as { data?: { code?: string } }).data?.code;
  } catch (err) {
    code = `client: ${(err as Error).message}`;
  }
  if (holds) moneyBusy.delete(fan.id);
  return { op, started, ms: Date.now() - started, status, code, retryAfter };
}
const moneyBusy = new Set<string>();

/**
 * An open-loop load, as from many clients: a request every INTERVAL_MS whether or not earlier ones
 * have answered (round robin over the fans and the operations), while `fault` runs; it returns when
 * the database went away and when it came back.
 */
const INTERVAL_MS = 40;
async function underLoad(
  fault: () => Promise<Fault>,
  tailMs: number,
): Promise<{ outcomes: Outcome[]; times: Fault }> {
  const running: Array<Promise<Outcome>> = [];
  let stop = false;
  const generator = (async () => {
    for (let n = 0; !stop; n++) {
      running.push(send(fans[n % fans.length], n + Math.floor(n / fans.length)));
      await sleep(INTERVAL_MS);
    }
  })();
  let times: Fault;
  try {
    await sleep(1_500);
    times = await fault();
    await sleep(tailMs);
  } finally {
    stop = true;
    await generator;
  }
  return { outcomes: await Promise.all(running), times };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * q) - 1))] ?? 0;
}

interface Fault {
  /** When the database stopped answering. */
  from: number;
  /** When it answered again. */
  back: number;
}

function checkOutcomes(outcomes: Outcome[], fault: Fault, label: string): void {
  const key = (o: Outcome) => `${o.op}:${o.status}${o.code ? `:${o.code}` : ''}`;
  const summary = outcomes.reduce<Record<string, number>>(
    (acc, o) => ({ ...acc, [key(o)]: (acc[key(o)] ?? 0) + 1 }),
    {},
  );
  console.log(`[outage] ${label}: ${outcomes.length} requests ${JSON.stringify(summary)}`);
  const wrong = outcomes.filter((o) => ![200, 201, 503].includes(o.status));
  expect(wrong, `${label}: only success or 503: ${JSON.stringify(wrong.slice(0, 5))}`).toEqual([]);
  const failed = outcomes.filter((o) => o.status === 503);
  expect(failed.length, `${label}: the fault was felt`).toBeGreaterThan(0);
  for (const f of failed) {
    expect(f.code).toBe('SERVICE_UNAVAILABLE');
    expect(Number(f.retryAfter)).toBeGreaterThan(0);
  }
  // How long each failed request waited on the outage: from when it was sent, or when the database
  // went away if it was already on its way (its time before that is ordinary service time, long
  // only when this machine is overloaded). Raw durations are printed too.
  const waited = failed.map((f) => f.started + f.ms - Math.max(f.started, fault.from));
  const raw = failed.map((f) => f.ms);
  console.log(
    `[outage] ${label}: ${failed.length} failed; waited on the outage p50 ${quantile(waited, 0.5)} p99 ${quantile(waited, 0.99)} ms; raw p50 ${quantile(raw, 0.5)} p99 ${quantile(raw, 0.99)} ms (deadline ${DEADLINE_MS} ms)`,
  );
  expect(quantile(waited, 0.99), `${label}: p99 of failures`).toBeLessThanOrEqual(
    DEADLINE_MS + 1_000,
  );
  const after = outcomes.filter((o) => o.started >= fault.back + 2_000);
  expect(after.length, `${label}: requests after recovery`).toBeGreaterThan(FANS);
  const late = after.filter((o) => o.status >= 300);
  expect(late, `${label}: everything sent 2 s after the database returned succeeds`).toEqual([]);
  const slowest = [...outcomes].sort((a, b) => b.ms - a.ms).slice(0, 3);
  console.log(
    `[outage] ${label}: slowest: ${slowest.map((o) => `${o.op} ${o.status} ${o.ms} ms, sent ${o.started - fault.back} ms from recovery`).join('; ')}`,
  );
}

async function checkInvariants(): Promise<void> {
  const ledger = await checkLedgerInvariants(db);
  expect(ledger, JSON.stringify(ledger)).toMatchObject({ ok: true });
  const fanIds = fans.map((f) => f.id);
  const bought = new Set(
    (
      await db
        .select({ buyer: postingPurchases.buyerId, price: postingPurchases.price })
        .from(postingPurchases)
        .where(eq(postingPurchases.postingId, postingId))
    ).map((p) => p.buyer),
  );
  const subs = await db
    .select({ fan: subscriptions.subscriberId, status: subscriptions.status })
    .from(subscriptions)
    .where(
      and(eq(subscriptions.membershipItemId, tierId), inArray(subscriptions.subscriberId, fanIds)),
    );
  const subscribed = new Map<string, number>();
  for (const s of subs) subscribed.set(s.fan, (subscribed.get(s.fan) ?? 0) + 1);
  for (const fan of fans) {
    expect(subscribed.get(fan.id) ?? 0, 'one subscription per fan at most').toBeLessThanOrEqual(1);
    // Every KNG that left a fan's wallet is a purchase or a subscription that exists, and vice
    // versa.
    const expected =
      FUNDS - (bought.has(fan.id) ? PRICE : 0) - (subscribed.has(fan.id) ? TIER_PRICE : 0);
    expect((await kngWallet(db, fan.id))?.balance, `fan ${fan.id}`).toBe(expected);
  }
  const [{ rows }] = await db
    .select({ rows: count() })
    .from(postingLikes)
    .where(eq(postingLikes.postingId, postingId));
  const [{ counter }] = await db
    .select({ counter: postings.likeCount })
    .from(postings)
    .where(eq(postings.id, postingId));
  expect(counter, 'like counter = like rows').toBe(rows);
}

describe('the database goes away under load', () => {
  it('stopped: only success or 503 with Retry-After, failures within the deadline, back within 2 s, invariants hold', async () => {
    const outageMs = 4_000;
    const { outcomes, times } = await underLoad(async () => {
      const url = new URL(info.gatewayUrl);
      const from = Date.now();
      const res = await fetch(`${url.origin}/_fault/outage`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${btoa(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`)}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ ms: outageMs }),
      });
      expect(res.status).toBe(202);
      const down = Date.now();
      await sleep(outageMs);
      await untilGatewayServes();
      return { from, back: down + outageMs };
    }, 4_000);
    checkOutcomes(outcomes, times, 'stopped');
    await checkInvariants();
  });

  it('frozen (SIGSTOP): requests fail at the deadline instead of hanging, back within 2 s, invariants hold', async () => {
    const freezeMs = DEADLINE_MS + 2_500;
    const pid = gatewayPid();
    const { outcomes, times } = await underLoad(async () => {
      // A watchdog thaws the gateway even if this process dies mid-test.
      spawn('sh', ['-c', `sleep ${Math.ceil(freezeMs / 1000) + 10}; kill -CONT ${pid}`], {
        detached: true,
        stdio: 'ignore',
      }).unref();
      process.kill(pid, 'SIGSTOP');
      const from = Date.now();
      try {
        await sleep(freezeMs);
      } finally {
        process.kill(pid, 'SIGCONT');
      }
      return { from, back: Date.now() };
    }, 4_000);
    checkOutcomes(outcomes, times, 'frozen');
    // What the freeze held: statements the gateway ran after it woke, ROLLBACKs sent by cut-off
    // requests.
    await sleep(1_000);
    await checkInvariants();
  });
});
