// KNG top-ups against the local Toss Payments stand-in (dev/fake-toss): the payment window is its
// /_fake/window/approve; faults are switched on through /_fake/faults; /_fake/calls shows what reached "Toss".
import {
  createExecutionContext,
  createScheduledController,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterEach, describe, expect, it } from 'vitest';
import { TREASURY_WALLET_ID } from '../../src/db/reference-data.ts';
import { paymentOrders, transfers, users } from '../../src/db/schema/index.ts';
import { changeSupply, checkLedgerInvariants, transfer } from '../../src/domain/ledger.ts';
import { beginTopUpCancel } from '../../src/domain/payments.ts';
import worker from '../../src/index.ts';
import { api, postJson, stack, tokenFor } from './auth-helpers.ts';
import { balanceOf, db, makeCreator, walletIdOf } from './economy-helpers.ts';
import { expectError, readJson } from './helpers.ts';

const as = async (userId: string) => ({ cookies: { access_token: await tokenFor(userId) } });
const toss = stack.toss;

interface Order {
  orderId: string;
  amount: number;
  tokenAmount: number;
  clientKey: string;
}
interface Payment {
  orderId: string;
  paymentKey: string;
  status: string;
  amount: number;
  tokenAmount: number;
  canceledAmount: number;
}

async function fake(path: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(`${toss.endpoint}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json' },
  });
  return res.json();
}
const fault = (op: string, mode: string, times = 1) =>
  fake('/_fake/faults', { method: 'POST', body: JSON.stringify({ op, mode, times }) });
const callsFor = async (orderId: string, op = 'confirm') =>
  (
    (await fake('/_fake/calls')) as {
      calls: Array<{ op: string; body: { orderId?: string }; idempotencyKey: string | null }>;
    }
  ).calls.filter((c) => c.op === op && c.body.orderId === orderId);

async function prepare(userId: string, amount = 11_000): Promise<Order> {
  const { status, body, text } = await readJson<{ data: Order }>(
    await postJson('/payment/prepare', { amount, orderName: '콩 충전' }, await as(userId)),
  );
  expect(status, text).toBe(200);
  return body.data;
}

/** What the payment window's success redirect carries: the paymentKey for this order and amount. */
async function approveInWindow(order: Order): Promise<string> {
  return (
    (await fake('/_fake/window/approve', {
      method: 'POST',
      body: JSON.stringify({ orderId: order.orderId, amount: order.amount }),
    })) as { paymentKey: string }
  ).paymentKey;
}

async function confirm(
  userId: string,
  body: { paymentKey: string; orderId: string; amount: number },
) {
  return postJson('/payment/confirm', body, await as(userId));
}

async function topUp(userId: string, amount = 11_000): Promise<Payment> {
  const order = await prepare(userId, amount);
  const paymentKey = await approveInWindow(order);
  const { status, body, text } = await readJson<{ data: Payment }>(
    await confirm(userId, { paymentKey, orderId: order.orderId, amount: order.amount }),
  );
  expect(status, text).toBe(200);
  return body.data;
}

const orderRow = async (orderId: string) =>
  (await db.select().from(paymentOrders).where(eq(paymentOrders.orderId, orderId)))[0];

/** The cron's reconciliation, with the order aged past its settling delay. */
async function reconcile(orderId: string): Promise<void> {
  await db
    .update(paymentOrders)
    .set({ updatedAt: new Date(Date.now() - 11 * 60_000) })
    .where(eq(paymentOrders.orderId, orderId));
  const ctx = createExecutionContext();
  await worker.scheduled(
    createScheduledController({ cron: '*/10 * * * *', scheduledTime: Date.now() }),
    env as unknown as Record<string, unknown>,
    ctx,
  );
  await waitOnExecutionContext(ctx);
}

/** A cancel made at Toss directly (outside this API). */
async function tossCancel(paymentKey: string): Promise<void> {
  const res = await fetch(`${toss.endpoint}/v1/payments/${paymentKey}/cancel`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${btoa(`${toss.secretKey}:`)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ cancelReason: 'outside' }),
  });
  expect(res.status).toBe(200);
}

afterEach(async () => {
  await fake('/_fake/faults', { method: 'DELETE' });
  expect((await checkLedgerInvariants(db)).ok).toBe(true);
});

describe('products and prepare', () => {
  it('lists the KNG packs priced as the original (VAT included)', async () => {
    const { body } = await readJson<{
      data: Array<{ code: string; price: number; tokenAmount: number }>;
    }>(await api('/payment/products'));
    expect(body.data.map((p) => [p.price, p.tokenAmount])).toEqual([
      [1100, 10],
      [3300, 30],
      [5500, 50],
      [11000, 100],
      [33000, 300],
      [55000, 500],
      [110000, 1000],
      [550000, 5000],
    ]);
  });

  it('the server chooses order id and token amount; an amount that is not a pack is refused', async () => {
    const user = await makeCreator();
    await expectError(
      await postJson('/payment/prepare', { amount: 1234 }, await as(user)),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(await postJson('/payment/prepare', { amount: 1100 }), 401, 'UNAUTHENTICATED');
    const order = await prepare(user, 3300);
    expect(order).toMatchObject({ amount: 3300, tokenAmount: 30, clientKey: toss.clientKey });
    expect(order.orderId).toMatch(/^order_[0-9a-f]{32}$/);
  });
});

describe('confirm', () => {
  it('credits once; confirming again answers the same and credits nothing', async () => {
    const user = await makeCreator();
    const before = await balanceOf(user);
    const order = await prepare(user);
    const paymentKey = await approveInWindow(order);
    const first = await readJson<{ data: Payment; message: string }>(
      await confirm(user, { paymentKey, orderId: order.orderId, amount: order.amount }),
    );
    expect(first.status, first.text).toBe(200);
    expect(first.body.data).toMatchObject({
      status: 'CREDITED',
      paymentKey,
      amount: 11_000,
      tokenAmount: 100,
    });
    expect(await balanceOf(user)).toBe(before + 100);
    const again = await readJson<{ data: Payment }>(
      await confirm(user, { paymentKey, orderId: order.orderId, amount: order.amount }),
    );
    expect(again.status).toBe(200);
    expect(again.body.data.status).toBe('CREDITED');
    expect(await balanceOf(user)).toBe(before + 100);
    expect(await callsFor(order.orderId)).toHaveLength(1);
    // The order id is the confirm's key: another payment for the same order is another request.
    const otherKey = await approveInWindow(await prepare(user));
    await expectError(
      await confirm(user, { paymentKey: otherKey, orderId: order.orderId, amount: order.amount }),
      409,
      'IDEMPOTENCY_CONFLICT',
    );
    expect(await balanceOf(user)).toBe(before + 100);
    const history = await readJson<{
      data: { transactions: Payment[]; pagination: { total: number } };
    }>(await api('/payment/history?status=CREDITED', await as(user)));
    expect(history.body.data.transactions.map((t) => t.orderId)).toEqual([order.orderId]);
  });

  it('a tampered amount → 400 with no call to Toss; someone else’s order → 404', async () => {
    const [user, other] = [await makeCreator(), await makeCreator()];
    const order = await prepare(user);
    const paymentKey = await approveInWindow(order);
    await expectError(
      await confirm(user, { paymentKey, orderId: order.orderId, amount: 110 }),
      400,
      'AMOUNT_MISMATCH',
    );
    await expectError(
      await confirm(other, { paymentKey, orderId: order.orderId, amount: order.amount }),
      404,
      'NOT_FOUND',
    );
    expect(await callsFor(order.orderId)).toHaveLength(0);
    expect(
      (await db.select().from(paymentOrders).where(eq(paymentOrders.orderId, order.orderId)))[0]
        .status,
    ).toBe('pending');
  });

  it('two concurrent confirms of one order → one credit', async () => {
    const user = await makeCreator();
    const before = await balanceOf(user);
    const order = await prepare(user, 5500);
    const paymentKey = await approveInWindow(order);
    const results = await Promise.all(
      [0, 1, 2].map(() =>
        confirm(user, { paymentKey, orderId: order.orderId, amount: order.amount }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await balanceOf(user)).toBe(before + 50);
    const credits = await db
      .select()
      .from(transfers)
      .where(eq(transfers.idempotencyKey, `topup:${order.orderId}`));
    expect(credits).toHaveLength(1);
  });

  it('Toss timing out, then answering the retry (same idempotency key) → one charge, one credit', async () => {
    const user = await makeCreator();
    const before = await balanceOf(user);
    const order = await prepare(user);
    const paymentKey = await approveInWindow(order);
    await fault('confirm', 'timeout');
    const res = await readJson<{ data: Payment }>(
      await confirm(user, { paymentKey, orderId: order.orderId, amount: order.amount }),
    );
    expect(res.status, res.text).toBe(200);
    const calls = await callsFor(order.orderId);
    expect(calls.length).toBe(2);
    expect(new Set(calls.map((c) => c.idempotencyKey)).size).toBe(1);
    expect(await balanceOf(user)).toBe(before + 100);
    const charged = (await fake(`/_fake/payments/${paymentKey}`)) as {
      status: string;
      totalAmount: number;
    };
    expect(charged).toMatchObject({ status: 'DONE', totalAmount: 11_000 });
  });

  it('Toss approving but the answer being lost → the retry gets the same approval; one credit', async () => {
    const user = await makeCreator();
    const before = await balanceOf(user);
    const order = await prepare(user);
    const paymentKey = await approveInWindow(order);
    await fault('confirm', 'late');
    expect(
      (await confirm(user, { paymentKey, orderId: order.orderId, amount: order.amount })).status,
    ).toBe(200);
    expect(await balanceOf(user)).toBe(before + 100);
  });

  it('a declined card → 400 PAYMENT_FAILED, the order failed, nothing credited', async () => {
    const user = await makeCreator();
    const before = await balanceOf(user);
    const order = await prepare(user);
    const paymentKey = await approveInWindow(order);
    await fault('confirm', 'decline');
    const body = await expectError(
      await confirm(user, { paymentKey, orderId: order.orderId, amount: order.amount }),
      400,
      'PAYMENT_FAILED',
    );
    expect(body.message).toContain('한도초과');
    expect(await balanceOf(user)).toBe(before);
    expect(
      (await db.select().from(paymentOrders).where(eq(paymentOrders.orderId, order.orderId)))[0],
    ).toMatchObject({ status: 'failed', failureCode: 'REJECT_CARD_PAYMENT' });
    await expectError(
      await confirm(user, { paymentKey, orderId: order.orderId, amount: order.amount }),
      409,
      'INVALID_STATE',
    );
  });

  it('the credit failing after Toss approved → the payment is cancelled through Toss, balances consistent', async () => {
    const [user, bystander] = [await makeCreator(), await makeCreator()];
    const before = await balanceOf(user);
    const order = await prepare(user);
    const paymentKey = await approveInWindow(order);
    // Something already holds the order's credit key with another movement: the credit cannot be written.
    await changeSupply(db, {
      kind: 'mint',
      amount: 1,
      idempotencyKey: `test-block:${order.orderId}`,
    });
    await transfer(db, {
      idempotencyKey: `topup:${order.orderId}`,
      fromWalletId: TREASURY_WALLET_ID,
      toWalletId: await walletIdOf(bystander),
      amount: 1,
      reason: 'charge',
    });
    await expectError(
      await confirm(user, { paymentKey, orderId: order.orderId, amount: order.amount }),
      502,
      'PAYMENT_NOT_CREDITED',
    );
    expect(await balanceOf(user)).toBe(before);
    expect(
      (await db.select().from(paymentOrders).where(eq(paymentOrders.orderId, order.orderId)))[0],
    ).toMatchObject({ status: 'canceled', canceledAmount: 11_000 });
    expect(await fake(`/_fake/payments/${paymentKey}`)).toMatchObject({
      status: 'CANCELED',
      balanceAmount: 0,
    });
  });

  it('the window failing is recorded for the owner only; the order cannot be confirmed afterwards', async () => {
    const [user, other] = [await makeCreator(), await makeCreator()];
    const order = await prepare(user);
    await expectError(
      await postJson(
        '/payment/failure',
        { orderId: order.orderId, code: 'PAY_PROCESS_CANCELED' },
        await as(other),
      ),
      404,
      'NOT_FOUND',
    );
    const failed = await readJson<{ data: Payment }>(
      await postJson(
        '/payment/failure',
        {
          orderId: order.orderId,
          code: 'PAY_PROCESS_CANCELED',
          message: '사용자가 결제를 취소했습니다',
        },
        await as(user),
      ),
    );
    expect(failed.body.data.status).toBe('FAILED');
    const paymentKey = await approveInWindow(order);
    await expectError(
      await confirm(user, { paymentKey, orderId: order.orderId, amount: order.amount }),
      409,
      'INVALID_STATE',
    );
  });
});

describe('history', () => {
  it('pages by cursor without gaps or repeats, and by page with totals; only my own orders', async () => {
    const [user, other] = [await makeCreator(), await makeCreator()];
    const mine = [await prepare(user, 1100), await prepare(user, 3300), await prepare(user, 5500)]
      .map((o) => o.orderId)
      .reverse();
    await prepare(other, 1100);
    const first = await readJson<{
      data: { transactions: Payment[]; nextCursor: string; hasMore: boolean };
    }>(await api('/payment/history?limit=2', await as(user)));
    expect(first.body.data.transactions.map((t) => t.orderId)).toEqual(mine.slice(0, 2));
    expect(first.body.data.hasMore).toBe(true);
    const second = await readJson<{
      data: { transactions: Payment[]; nextCursor: string | null; hasMore: boolean };
    }>(await api(`/payment/history?limit=2&cursor=${first.body.data.nextCursor}`, await as(user)));
    expect(second.body.data).toMatchObject({ hasMore: false, nextCursor: null });
    expect(second.body.data.transactions.map((t) => t.orderId)).toEqual(mine.slice(2));
    const paged = await readJson<{
      data: { transactions: Payment[]; pagination: { total: number; totalPages: number } };
    }>(await api('/payment/history?page=2&limit=2&status=PENDING', await as(user)));
    expect(paged.body.data.pagination).toMatchObject({ total: 3, totalPages: 2 });
    expect(paged.body.data.transactions.map((t) => t.orderId)).toEqual(mine.slice(2));
    await expectError(
      await api('/payment/history?cursor=not-a-cursor', await as(user)),
      400,
      'VALIDATION_FAILED',
    );
  });
});

describe('info and cancel', () => {
  it('info and cancel are for the owner or an admin; others get 404', async () => {
    const [user, other, admin] = [await makeCreator(), await makeCreator(), await makeCreator()];
    await db.update(users).set({ role: 'admin' }).where(eq(users.id, admin));
    const paid = await topUp(user);
    await expectError(
      await api(`/payment/info/${paid.paymentKey}`, await as(other)),
      404,
      'NOT_FOUND',
    );
    await expectError(
      await postJson(
        `/payment/cancel/${paid.paymentKey}`,
        { cancelReason: 'mine now' },
        await as(other),
      ),
      404,
      'NOT_FOUND',
    );
    const info = await readJson<{ data: Payment & { provider: { status: string } } }>(
      await api(`/payment/info/${paid.paymentKey}`, await as(user)),
    );
    expect(info.body.data.provider.status).toBe('DONE');
    expect((await api(`/payment/info/${paid.paymentKey}`, await as(admin))).status).toBe(200);
    const canceled = await readJson<{ data: Payment }>(
      await postJson(
        `/payment/cancel/${paid.paymentKey}`,
        { cancelReason: '관리자 취소' },
        await as(admin),
      ),
    );
    expect(canceled.status, canceled.text).toBe(200);
    expect(canceled.body.data).toMatchObject({ status: 'CANCELED', canceledAmount: 11_000 });
  });

  it('cancel after spending refunds only the unspent KNG (burned), and nothing more after that', async () => {
    const [user, creator] = [await makeCreator(), await makeCreator()];
    const start = await balanceOf(user);
    expect(start).toBe(0);
    const paid = await topUp(user);
    await transfer(db, {
      idempotencyKey: `spend:${uuidv7()}`,
      fromWalletId: await walletIdOf(user),
      toWalletId: await walletIdOf(creator),
      amount: 30,
      reason: 'donation',
    });
    const canceled = await readJson<{ data: Payment }>(
      await postJson(
        `/payment/cancel/${paid.paymentKey}`,
        { cancelReason: '단순 변심' },
        await as(user),
      ),
    );
    expect(canceled.status, canceled.text).toBe(200);
    expect(canceled.body.data).toMatchObject({
      status: 'PARTIAL_CANCELED',
      canceledAmount: 70 * 110,
    });
    expect(await balanceOf(user)).toBe(0);
    expect(await fake(`/_fake/payments/${paid.paymentKey}`)).toMatchObject({
      status: 'PARTIAL_CANCELED',
      balanceAmount: 11_000 - 7_700,
    });
    await expectError(
      await postJson(`/payment/cancel/${paid.paymentKey}`, { cancelReason: '또' }, await as(user)),
      409,
      'NOTHING_TO_REFUND',
    );
  });

  it('Toss silent on a cancel → 503; the order stays canceling, reconciliation finishes it', async () => {
    const user = await makeCreator();
    const paid = await topUp(user);
    const before = await balanceOf(user);
    await fault('cancel', 'fail', 3);
    await expectError(
      await postJson(
        `/payment/cancel/${paid.paymentKey}`,
        { cancelReason: '취소' },
        await as(user),
      ),
      503,
      'PAYMENT_PROVIDER_UNAVAILABLE',
    );
    // Toss may have refunded: the KNG stay out of the wallet (burned) until the outcome is known.
    expect(await balanceOf(user)).toBe(before - 100);
    expect((await orderRow(paid.orderId)).status).toBe('canceling');
    await reconcile(paid.orderId);
    expect(await orderRow(paid.orderId)).toMatchObject({
      status: 'canceled',
      canceledAmount: 11_000,
    });
    expect(await fake(`/_fake/payments/${paid.paymentKey}`)).toMatchObject({
      status: 'CANCELED',
      balanceAmount: 0,
    });
    expect(await balanceOf(user)).toBe(before - 100);
  });

  it('Toss refusing the cancel gives the KNG back (minted again); the order is credited again', async () => {
    const user = await makeCreator();
    const paid = await topUp(user);
    const before = await balanceOf(user);
    // Cancelled at Toss outside this API: our cancel is refused (ALREADY_CANCELED_PAYMENT).
    await tossCancel(paid.paymentKey);
    await expectError(
      await postJson(
        `/payment/cancel/${paid.paymentKey}`,
        { cancelReason: '취소' },
        await as(user),
      ),
      400,
      'PAYMENT_FAILED',
    );
    expect(await balanceOf(user)).toBe(before);
    expect((await orderRow(paid.orderId)).status).toBe('credited');
  });

  it('a crash between taking the KNG back and calling Toss: reconciliation cancels once', async () => {
    const user = await makeCreator();
    const paid = await topUp(user);
    const order = await orderRow(paid.orderId);
    // Step 1 of a cancel only (the Worker dies right after its transaction commits).
    expect(await beginTopUpCancel(db, order)).toBe(100);
    expect(await balanceOf(user)).toBe(0);
    expect((await orderRow(paid.orderId)).status).toBe('canceling');
    // Meanwhile another cancel answers 503 while the first is unresolved, not a second refund.
    await fault('cancel', 'timeout', 3);
    await reconcile(paid.orderId);
    expect((await orderRow(paid.orderId)).status).toBe('canceling');
    await fake('/_fake/faults', { method: 'DELETE' });
    await reconcile(paid.orderId);
    expect(await orderRow(paid.orderId)).toMatchObject({
      status: 'canceled',
      canceledAmount: 11_000,
    });
    const cancels = (
      (await fake('/_fake/calls')) as {
        calls: Array<{ op: string; path: string; idempotencyKey: string | null }>;
      }
    ).calls.filter((c) => c.op === 'cancel' && c.path.includes(paid.paymentKey));
    expect(new Set(cancels.map((c) => c.idempotencyKey)).size).toBe(1);
    expect(await fake(`/_fake/payments/${paid.paymentKey}`)).toMatchObject({
      status: 'CANCELED',
      balanceAmount: 0,
    });
  });

  it('10 parallel cancels of one top-up: one refund at Toss, every request answers it', async () => {
    const user = await makeCreator();
    const paid = await topUp(user);
    const cookies = await as(user);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        postJson(`/payment/cancel/${paid.paymentKey}`, { cancelReason: '단순 변심' }, cookies),
      ),
    );
    const bodies = await Promise.all(responses.map((r) => readJson<{ data: Payment }>(r)));
    expect(
      bodies.map((b) => b.status),
      bodies.map((b) => b.text).join('\n'),
    ).toEqual(Array(10).fill(200));
    expect(bodies.map((b) => `${b.body.data.status}:${b.body.data.canceledAmount}`)).toEqual(
      Array(10).fill('CANCELED:11000'),
    );
    expect(await balanceOf(user)).toBe(0);
    const cancels = (
      (await fake('/_fake/calls')) as { calls: Array<{ op: string; path: string }> }
    ).calls.filter((c) => c.op === 'cancel' && c.path.includes(paid.paymentKey));
    expect(cancels).toHaveLength(1);
  });
});

describe('bodies', () => {
  it('every POST with a body refuses a body-less request with 400', async () => {
    const user = await makeCreator();
    const paid = await topUp(user);
    const cookies = await as(user);
    for (const path of [
      '/payment/prepare',
      '/payment/confirm',
      '/payment/failure',
      `/payment/cancel/${paid.paymentKey}`,
      '/subscription/billing/prepare',
      '/subscription/billing/confirm',
    ]) {
      await expectError(await api(path, { method: 'POST', ...cookies }), 400, 'VALIDATION_FAILED');
    }
    expect((await orderRow(paid.orderId)).status).toBe('credited');
  });
});

describe('reconciliation', () => {
  it('an order Toss approved while we never heard back is found by order id and credited once', async () => {
    const user = await makeCreator();
    const before = await balanceOf(user);
    const order = await prepare(user);
    const paymentKey = await approveInWindow(order);
    // The confirm reached Toss, but our side crashed before recording anything.
    const res = await fetch(`${toss.endpoint}/v1/payments/confirm`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${btoa(`${toss.secretKey}:`)}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ paymentKey, orderId: order.orderId, amount: order.amount }),
    });
    expect(res.status).toBe(200);
    await db
      .update(paymentOrders)
      .set({ updatedAt: new Date(Date.now() - 11 * 60_000) })
      .where(eq(paymentOrders.orderId, order.orderId));
    for (let i = 0; i < 2; i++) {
      const ctx = createExecutionContext();
      await worker.scheduled(
        createScheduledController({ cron: '*/10 * * * *', scheduledTime: Date.now() }),
        env as unknown as Record<string, unknown>,
        ctx,
      );
      await waitOnExecutionContext(ctx);
    }
    expect(
      (await db.select().from(paymentOrders).where(eq(paymentOrders.orderId, order.orderId)))[0],
    ).toMatchObject({ status: 'credited', paymentKey });
    expect(await balanceOf(user)).toBe(before + 100);
  });
});
