// Card memberships through the Toss stand-in: prepare → billing-auth window (/_fake/window/billing-auth) →
// confirm (issue billing key, charge, subscribe); renewals by billing key once per period even with parallel
// cron runs; a failing card → grace → expired; stopping renewal keeps access to the period end.
import { env } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { paymentOrders, subscriptions } from '../../src/db/schema/index.ts';
import { checkLedgerInvariants } from '../../src/domain/ledger.ts';
import { runRenewals } from '../../src/domain/renewals.ts';
import { activeLevel } from '../../src/domain/subscriptions.ts';
import { TossClient } from '../../src/lib/toss.ts';
import { api, postJson, stack, tokenFor } from './auth-helpers.ts';
import { balanceOf, db, makeCreator, makeTier } from './economy-helpers.ts';
import { expectError, readJson } from './helpers.ts';

const as = async (userId: string) => ({ cookies: { access_token: await tokenFor(userId) } });
const toss = stack.toss;
const settings = {
  feeBps: 1000,
  graceDays: 3,
  toss: new TossClient({
    TOSS_API_URL: env.TOSS_API_URL,
    TOSS_SECRET_KEY: env.TOSS_SECRET_KEY,
    TOSS_TIMEOUT_MS: 1500,
  }),
};

async function fake(path: string, init: RequestInit = {}): Promise<unknown> {
  return (
    await fetch(`${toss.endpoint}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json' },
    })
  ).json();
}
const charges = async (orderIdPrefix: string) =>
  (
    (await fake('/_fake/calls')) as { calls: Array<{ op: string; body: { orderId?: string } }> }
  ).calls.filter((c) => c.op === 'billing-charge' && c.body.orderId?.startsWith(orderIdPrefix));

interface Prepared {
  customerKey: string;
  clientKey: string;
  price: number;
  successUrl: string;
}

async function subscribeByCard(fan: string, tierId: string) {
  const prep = await readJson<{ data: Prepared }>(
    await postJson('/subscription/billing/prepare', { membershipItemId: tierId }, await as(fan)),
  );
  expect(prep.status, prep.text).toBe(200);
  const { authKey } = (await fake('/_fake/window/billing-auth', {
    method: 'POST',
    body: JSON.stringify({ customerKey: prep.body.data.customerKey }),
  })) as { authKey: string };
  const res = await postJson(
    '/subscription/billing/confirm',
    {
      authKey,
      customerKey: prep.body.data.customerKey,
      membershipItemId: tierId,
      userId: 'ignored',
    },
    await as(fan),
  );
  return { prep: prep.body.data, authKey, res };
}

afterEach(async () => {
  await fake('/_fake/faults', { method: 'DELETE' });
  expect((await checkLedgerInvariants(db)).ok).toBe(true);
});

describe('card memberships', () => {
  it('prepare → window → confirm charges the first period once and pays the creator in KNG; a repeated confirm answers the same', async () => {
    const [creator, fan] = [await makeCreator(), await makeCreator()];
    const tier = await makeTier(creator, { price: 30 });
    const creatorBefore = await balanceOf(creator);
    const { prep, authKey, res } = await subscribeByCard(fan, tier.id);
    expect(prep).toMatchObject({ price: 3300, clientKey: toss.clientKey });
    expect(prep.successUrl).toContain('/subscription/billing/success');
    const body = await readJson<{
      data: {
        subscriptionId: string;
        status: string;
        membershipItem: {
          name: string;
          price: number;
          billing_unit: string;
          billing_period: number;
        };
        nextBillingDate: string;
      };
    }>(res);
    expect(body.status, body.text).toBe(200);
    expect(body.body.data).toMatchObject({
      status: 'ACTIVE',
      membershipItem: { name: tier.name, price: 3300, billing_unit: 'MONTH', billing_period: 1 },
    });
    expect(await balanceOf(creator)).toBe(creatorBefore + 27); // 30 − 10 % fee
    expect(await activeLevel(db, fan, creator, new Date())).toBe(tier.level);
    const again = await readJson<{ data: { subscriptionId: string } }>(
      await postJson(
        '/subscription/billing/confirm',
        { authKey, customerKey: prep.customerKey, membershipItemId: tier.id },
        await as(fan),
      ),
    );
    expect(again.body.data.subscriptionId).toBe(body.body.data.subscriptionId);
    expect(await balanceOf(creator)).toBe(creatorBefore + 27);
    const orders = await db
      .select()
      .from(paymentOrders)
      .where(and(eq(paymentOrders.userId, fan), eq(paymentOrders.kind, 'subscription')));
    expect(orders.map((o) => [o.status, o.amount, o.subscriptionId])).toEqual([
      ['credited', 3300, body.body.data.subscriptionId],
    ]);
    const mine = await readJson<{
      data: Array<{ subscriptionId: string; status: string; autoRenew: boolean }>;
    }>(await api('/subscription/billing/my', await as(fan)));
    expect(mine.body.data).toMatchObject([
      { subscriptionId: body.body.data.subscriptionId, status: 'ACTIVE', autoRenew: true },
    ]);
  });

  it('the subscriber is the signed-in user: someone else’s customer key → 403, no session → 401', async () => {
    const [creator, fan, other] = [await makeCreator(), await makeCreator(), await makeCreator()];
    const tier = await makeTier(creator, { price: 10 });
    const prep = await readJson<{ data: Prepared }>(
      await postJson('/subscription/billing/prepare', { membershipItemId: tier.id }, await as(fan)),
    );
    const { authKey } = (await fake('/_fake/window/billing-auth', {
      method: 'POST',
      body: JSON.stringify({ customerKey: prep.body.data.customerKey }),
    })) as { authKey: string };
    await expectError(
      await postJson(
        '/subscription/billing/confirm',
        {
          authKey,
          customerKey: prep.body.data.customerKey,
          membershipItemId: tier.id,
          userId: fan,
        },
        await as(other),
      ),
      403,
      'FORBIDDEN',
    );
    await expectError(
      await postJson('/subscription/billing/confirm', {
        authKey,
        customerKey: prep.body.data.customerKey,
        membershipItemId: tier.id,
        userId: fan,
      }),
      401,
      'UNAUTHENTICATED',
    );
    expect(
      await db.select().from(subscriptions).where(eq(subscriptions.subscriberId, fan)),
    ).toEqual([]);
  });

  it('renews once per period even when the cron runs twice in parallel', async () => {
    const [creator, fan] = [await makeCreator(), await makeCreator()];
    const tier = await makeTier(creator, { price: 50 });
    const { res } = await subscribeByCard(fan, tier.id);
    const { data } = (await res.json()) as { data: { subscriptionId: string } };
    const [sub] = await db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.id, data.subscriptionId));
    const creatorBefore = await balanceOf(creator);
    const due = new Date(sub.currentPeriodEnd.getTime() + 1000);
    const only = { only: [sub.id] };
    await Promise.all([runRenewals(db, due, settings, only), runRenewals(db, due, settings, only)]);
    await runRenewals(db, due, settings, only);
    const [after] = await db.select().from(subscriptions).where(eq(subscriptions.id, sub.id));
    expect(after).toMatchObject({ status: 'active', currentPeriodStart: sub.currentPeriodEnd });
    expect(await balanceOf(creator)).toBe(creatorBefore + 45);
    const renewals = await db
      .select()
      .from(paymentOrders)
      .where(and(eq(paymentOrders.subscriptionId, sub.id), eq(paymentOrders.status, 'credited')));
    expect(renewals).toHaveLength(2); // the first period and this one
    const prefix = `sub_${sub.id.replace(/-/g, '')}_${sub.currentPeriodEnd.getTime()}`;
    const calls = await charges(prefix);
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(new Set(calls.map((c) => c.body.orderId)).size).toBe(1);
  });

  it('a failing card moves the membership to grace, then to expired', async () => {
    const [creator, fan] = [await makeCreator(), await makeCreator()];
    const tier = await makeTier(creator, { price: 20 });
    const { res } = await subscribeByCard(fan, tier.id);
    const { data } = (await res.json()) as { data: { subscriptionId: string } };
    const [sub] = await db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.id, data.subscriptionId));
    await fake('/_fake/faults', {
      method: 'POST',
      body: JSON.stringify({ op: 'billing-charge', mode: 'decline', times: 10 }),
    });
    const due = new Date(sub.currentPeriodEnd.getTime() + 1000);
    await runRenewals(db, due, settings, { only: [sub.id] });
    const [grace] = await db.select().from(subscriptions).where(eq(subscriptions.id, sub.id));
    expect(grace).toMatchObject({ status: 'grace', failureCount: 1 });
    expect(await activeLevel(db, fan, creator, due)).toBe(tier.level);
    await runRenewals(db, new Date(due.getTime() + 86_400_000), settings, { only: [sub.id] });
    const [retried] = await db.select().from(subscriptions).where(eq(subscriptions.id, sub.id));
    expect(retried).toMatchObject({ status: 'grace', failureCount: 2 });
    await runRenewals(db, new Date(grace.graceEndsAt!.getTime() + 1000), settings, {
      only: [sub.id],
    });
    const [expired] = await db.select().from(subscriptions).where(eq(subscriptions.id, sub.id));
    expect(expired.status).toBe('expired');
    const failed = await db
      .select()
      .from(paymentOrders)
      .where(and(eq(paymentOrders.subscriptionId, sub.id), eq(paymentOrders.status, 'failed')));
    expect(failed.length).toBeGreaterThanOrEqual(2);
    expect(new Set(failed.map((o) => o.orderId)).size).toBe(failed.length);
  });

  it('stopping renewal keeps access to the end of the period, then it expires; others cannot stop it', async () => {
    const [creator, fan, other] = [await makeCreator(), await makeCreator(), await makeCreator()];
    const tier = await makeTier(creator, { price: 10 });
    const { res } = await subscribeByCard(fan, tier.id);
    const { data } = (await res.json()) as { data: { subscriptionId: string } };
    await expectError(
      await api(`/subscription/billing/${data.subscriptionId}`, {
        ...(await as(other)),
        method: 'DELETE',
      }),
      404,
      'NOT_FOUND',
    );
    expect(
      (
        await api(`/subscription/billing/${data.subscriptionId}`, {
          ...(await as(fan)),
          method: 'DELETE',
        })
      ).status,
    ).toBe(200);
    const [sub] = await db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.id, data.subscriptionId));
    expect(sub).toMatchObject({ status: 'canceled', autoRenew: false, billingKeyRef: null });
    expect(await activeLevel(db, fan, creator, new Date())).toBe(tier.level);
    await runRenewals(db, new Date(sub.currentPeriodEnd.getTime() + 1000), settings, {
      only: [sub.id],
    });
    const [ended] = await db.select().from(subscriptions).where(eq(subscriptions.id, sub.id));
    expect(ended.status).toBe('expired');
    expect(await charges(`sub_${sub.id.replace(/-/g, '')}`)).toEqual([]);
  });
});
