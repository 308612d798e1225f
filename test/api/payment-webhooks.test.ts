// Toss webhooks as hints: virtual-account deposits credited once however often, in whatever order and with
// whichever event the news arrives; a wrong secret refused; a reverted deposit taken back; unknown orders ignored.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { paymentOrders } from '../../src/db/schema/index.ts';
import { checkLedgerInvariants } from '../../src/domain/ledger.ts';
import { api, postJson, stack, tokenFor } from './auth-helpers.ts';
import { balanceOf, db, makeCreator } from './economy-helpers.ts';
import { expectError, readJson } from './helpers.ts';

const as = async (userId: string) => ({ cookies: { access_token: await tokenFor(userId) } });
const toss = stack.toss;
async function fake(path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${toss.endpoint}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  return (await res.json()) as Record<string, unknown>;
}
const webhook = (body: unknown) =>
  api('/payment/webhook', { method: 'POST', body: JSON.stringify(body) });

/** A top-up paid by virtual account: confirmed (waiting for the deposit), nothing credited yet. */
async function waitingTopUp(user: string) {
  const prep = await readJson<{ data: { orderId: string; amount: number } }>(
    await postJson('/payment/prepare', { amount: 11_000 }, await as(user)),
  );
  const { paymentKey } = (await fake('/_fake/window/approve', {
    orderId: prep.body.data.orderId,
    amount: 11_000,
    method: '가상계좌',
  })) as { paymentKey: string };
  const confirmed = await readJson<{ data: { status: string }; message: string }>(
    await postJson(
      '/payment/confirm',
      { paymentKey, orderId: prep.body.data.orderId, amount: 11_000 },
      await as(user),
    ),
  );
  expect(confirmed.status, confirmed.text).toBe(200);
  expect(confirmed.body.data.status).toBe('PENDING');
  const payment = await fake(`/_fake/payments/${paymentKey}`);
  return { orderId: prep.body.data.orderId, paymentKey, secret: String(payment.secret) };
}

afterEach(async () => {
  expect((await checkLedgerInvariants(db)).ok).toBe(true);
});

describe('POST /payment/webhook', () => {
  it('a deposit is credited once, whether the news comes three times, out of order, or by either event', async () => {
    const user = await makeCreator();
    const w = await waitingTopUp(user);
    // An early "DONE" claim while Toss still waits: re-fetched, nothing happens.
    const early = await readJson<{ data: { outcome: string } }>(
      await webhook({
        eventType: 'PAYMENT_STATUS_CHANGED',
        createdAt: new Date().toISOString(),
        data: { paymentKey: w.paymentKey, orderId: w.orderId, status: 'DONE' },
      }),
    );
    expect(early.status).toBe(200);
    expect(await balanceOf(user)).toBe(0);
    const deposited = await fake('/_fake/deposit', { paymentKey: w.paymentKey });
    const callback = {
      createdAt: new Date().toISOString(),
      secret: w.secret,
      status: 'DONE',
      transactionKey: String(deposited.lastTransactionKey),
      orderId: w.orderId,
    };
    const results = await Promise.all([
      webhook(callback),
      webhook(callback),
      webhook({
        eventType: 'PAYMENT_STATUS_CHANGED',
        data: { paymentKey: w.paymentKey, orderId: w.orderId, status: 'DONE' },
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await balanceOf(user)).toBe(100);
    const late = await readJson<{ data: { outcome: string } }>(await webhook(callback));
    expect(late.body.data.outcome).toBe('duplicate');
    expect(await balanceOf(user)).toBe(100);
    expect(
      (await db.select().from(paymentOrders).where(eq(paymentOrders.orderId, w.orderId)))[0].status,
    ).toBe('credited');
  });

  it("the deposit secret never reaches a client, not even the payment's owner", async () => {
    const user = await makeCreator();
    const w = await waitingTopUp(user);
    expect(w.secret.length).toBeGreaterThan(0);
    const info = await api(`/payment/info/${w.paymentKey}`, await as(user));
    const text = await info.text();
    expect(info.status, text).toBe(200);
    expect(text).toContain(w.paymentKey);
    expect(text).not.toContain(w.secret);
  });

  it('a deposit callback with the wrong secret is refused and changes nothing', async () => {
    const user = await makeCreator();
    const w = await waitingTopUp(user);
    const deposited = await fake('/_fake/deposit', { paymentKey: w.paymentKey });
    await expectError(
      await webhook({
        secret: 'ps_wrong',
        status: 'DONE',
        transactionKey: String(deposited.lastTransactionKey),
        orderId: w.orderId,
      }),
      401,
      'INVALID_SIGNATURE',
    );
    expect(await balanceOf(user)).toBe(0);
  });

  it('a deposit the bank reverts takes the KNG back (burned)', async () => {
    const user = await makeCreator();
    const w = await waitingTopUp(user);
    const deposited = await fake('/_fake/deposit', { paymentKey: w.paymentKey });
    expect(
      (
        await webhook({
          secret: w.secret,
          status: 'DONE',
          transactionKey: String(deposited.lastTransactionKey),
          orderId: w.orderId,
        })
      ).status,
    ).toBe(200);
    expect(await balanceOf(user)).toBe(100);
    const reverted = await fake('/_fake/deposit-revert', { paymentKey: w.paymentKey });
    expect(
      (
        await webhook({
          secret: w.secret,
          status: 'WAITING_FOR_DEPOSIT',
          transactionKey: String(reverted.lastTransactionKey),
          orderId: w.orderId,
        })
      ).status,
    ).toBe(200);
    expect(await balanceOf(user)).toBe(0);
    expect(
      (await db.select().from(paymentOrders).where(eq(paymentOrders.orderId, w.orderId)))[0],
    ).toMatchObject({ status: 'canceled', failureCode: 'DEPOSIT_REVERTED' });
  });

  it('unknown orders and malformed bodies', async () => {
    const ignored = await readJson<{ data: { outcome: string } }>(
      await webhook({
        eventType: 'PAYMENT_STATUS_CHANGED',
        data: { paymentKey: 'tgen_nope', orderId: 'order_nope', status: 'DONE' },
      }),
    );
    expect([ignored.status, ignored.body.data.outcome]).toEqual([200, 'ignored']);
    await expectError(await webhook({ hello: 'world' }), 400, 'VALIDATION_FAILED');
  });
});
