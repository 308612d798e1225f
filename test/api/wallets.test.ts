// Wallet on confirmation: the queue consumer is idempotent, retries on failure, and the sweeper repairs
// confirmed users whose message was lost.
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client.ts';
import { KNG_TOKEN_TYPE_ID } from '../../src/db/reference-data.ts';
import { users, walletOwnerships, wallets } from '../../src/db/schema/index.ts';
import worker from '../../src/index.ts';
import { WALLET_QUEUE_NAME, backoffSeconds } from '../../src/jobs/wallets.ts';
import { api, createUser } from './auth-helpers.ts';
import { readJson, type Envelope } from './helpers.ts';

const db = createDb(env.DATABASE_URL);

async function walletRows(userId: string) {
  return db
    .select()
    .from(wallets)
    .where(and(eq(wallets.ownerId, userId), eq(wallets.tokenTypeId, KNG_TOKEN_TYPE_ID)));
}

async function activeUserWithoutWallet(): Promise<string> {
  const id = crypto.randomUUID();
  await db.insert(users).values({
    id,
    email: `${id}@test.crefans.local`,
    handle: `w${id.replace(/-/g, '').slice(0, 12)}`,
    nickname: `w${id.slice(0, 8)}`,
    name: 'wallet test',
    status: 'active',
    confirmedAt: new Date(Date.now() - 60_000),
  });
  return id;
}

async function deliver(
  userId: string,
  attempts = 1,
  bindings: Record<string, unknown> = env as unknown as Record<string, unknown>,
) {
  const batch = createMessageBatch(WALLET_QUEUE_NAME, [
    { id: uuidv7(), timestamp: new Date(), attempts, body: { userId } },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, bindings, ctx);
  await waitOnExecutionContext(ctx);
  return getQueueResult(batch, ctx);
}

describe('wallet provisioning', () => {
  it('a message delivered after the account was deleted and anonymised creates no wallet', async () => {
    // The anonymisation moves the user's rows to a fresh id: the old id no longer has a user row.
    const goneId = crypto.randomUUID();
    const result = await deliver(goneId);
    expect(result.explicitAcks).toHaveLength(1);
    expect(await walletRows(goneId)).toHaveLength(0);
    const deletedId = await activeUserWithoutWallet();
    await db.update(users).set({ status: 'deleted' }).where(eq(users.id, deletedId));
    await deliver(deletedId);
    expect(await walletRows(deletedId)).toHaveLength(0);
  });

  it('a real confirmation enqueues the message and the consumer creates the wallet', async () => {
    const user = await createUser('wallet-flow');
    let rows = await walletRows(user.sub);
    for (let i = 0; i < 50 && rows.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      rows = await walletRows(user.sub);
    }
    expect(rows).toHaveLength(1);
    const me = await readJson<Envelope<{ user: { points: number } }>>(
      await api('/auth/me', { cookies: user.cookies }),
    );
    expect(me.body.data.user.points).toBe(0);
  });

  it('the same message delivered three times creates exactly one wallet and one ownership record', async () => {
    const userId = await activeUserWithoutWallet();
    const results = [];
    for (let i = 1; i <= 3; i++) results.push(await deliver(userId, i));
    for (const r of results) expect(r.explicitAcks).toHaveLength(1);
    const rows = await walletRows(userId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ balance: 0, kind: 'user' });
    const owners = await db
      .select()
      .from(walletOwnerships)
      .where(eq(walletOwnerships.walletId, rows[0].id));
    expect(owners).toHaveLength(1);
  });

  it('concurrent deliveries still create one wallet', async () => {
    const userId = await activeUserWithoutWallet();
    await Promise.all([deliver(userId), deliver(userId), deliver(userId)]);
    expect(await walletRows(userId)).toHaveLength(1);
  });

  it('a consumer failure is retried with backoff, and the retry creates the wallet once', async () => {
    const userId = await activeUserWithoutWallet();
    const broken = {
      ...(env as unknown as Record<string, unknown>),
      DATABASE_URL: 'http://u:p@127.0.0.1:9/',
    };
    const failed = await deliver(userId, 1, broken);
    expect(failed.explicitAcks).toHaveLength(0);
    expect(failed.retryMessages).toHaveLength(1);
    expect(await walletRows(userId)).toHaveLength(0);
    const retried = await deliver(userId, 2);
    expect(retried.explicitAcks).toHaveLength(1);
    expect(await walletRows(userId)).toHaveLength(1);
  });

  it('backoff grows and is capped', () => {
    expect([1, 2, 3, 4, 10].map(backoffSeconds)).toEqual([5, 10, 20, 40, 300]);
  });

  it('the scheduled sweeper repairs a confirmed user whose message was lost', async () => {
    const userId = await activeUserWithoutWallet();
    const ctx = createExecutionContext();
    await worker.scheduled(
      createScheduledController({ cron: '*/10 * * * *', scheduledTime: Date.now() }),
      env as unknown as Record<string, unknown>,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(await walletRows(userId)).toHaveLength(1);
  });

  it('a malformed message is acknowledged and dropped, not retried forever', async () => {
    const batch = createMessageBatch(WALLET_QUEUE_NAME, [
      { id: uuidv7(), timestamp: new Date(), attempts: 1, body: { nope: true } },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env as unknown as Record<string, unknown>, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toHaveLength(0);
  });
});
