// Subscribing with KNG, through the API and the renewal job with a controlled clock. The ledger
// invariants are checked after every test.
import { and, eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { subscriptionEvents, subscriptions, transfers } from '../../src/db/schema/index.ts';
import { checkLedgerInvariants } from '../../src/domain/ledger.ts';
import { periodBoundary } from '../../src/domain/periods.ts';
import { runRenewals } from '../../src/domain/renewals.ts';
import { activeLevel, cancel, subscribe } from '../../src/domain/subscriptions.ts';
import { api, createUser, type TestUser } from './auth-helpers.ts';
import { balanceOf, db, fund, makeCreator, makeTier } from './economy-helpers.ts';
import { code, expectError, readJson, type Envelope } from './helpers.ts';

// The API's defaults (PLATFORM_FEE_BPS 1000, SUBSCRIPTION_GRACE_DAYS 3).
const settings = { feeBps: 1000, graceDays: 3 };
let fan: TestUser;

beforeAll(async () => {
  fan = await createUser('subscriber');
});

afterEach(async () => {
  const report = await checkLedgerInvariants(db);
  expect(report, JSON.stringify(report)).toMatchObject({ ok: true });
});

type SubscribeBody = Envelope<{
  subscription: { id: string; status: string; level: number; currentPeriodEnd: string };
  outcome: string;
  charged: number;
}>;
const subscribeApi = (user: TestUser, tierId: string, key?: string) =>
  api(`/subscription/membership/${tierId}`, {
    method: 'POST',
    cookies: user.cookies,
    headers: key ? { 'Idempotency-Key': key } : {},
  });

describe('subscribing with tokens', () => {
  it('charges the first period: the creator gets the price minus the fee, the treasury the fee', async () => {
    const creator = await makeCreator();
    const tier = await makeTier(creator, { price: 1000, level: 2 });
    const user = await createUser('sub-basic');
    await fund(user.sub, 1500);
    const res = await readJson<SubscribeBody>(await subscribeApi(user, tier.id));
    expect(res.status, res.text).toBe(201);
    expect(res.body.data).toMatchObject({
      outcome: 'subscribed',
      charged: 1000,
      subscription: { status: 'active', level: 2 },
    });
    expect(await balanceOf(user.sub)).toBe(500);
    expect(await balanceOf(creator)).toBe(900);
    expect(await activeLevel(db, user.sub, creator, new Date())).toBe(2);
    const list = await readJson<
      Envelope<{
        subscriptions: Array<{
          creatorId: string;
          membershipLevel: number;
          status: string;
          hasAccess: boolean;
        }>;
      }>
    >(await api('/subscription/my/list', { cookies: user.cookies }));
    expect(list.body.data.subscriptions).toEqual([
      expect.objectContaining({
        creatorId: creator,
        membershipLevel: 2,
        status: 'active',
        hasAccess: true,
      }),
    ]);
    await expectError(await subscribeApi(user, tier.id), 409, 'ALREADY_SUBSCRIBED');
  });

  it('refuses bad input with clear codes', async () => {
    const creator = await makeCreator();
    const tier = await makeTier(creator, { price: 10_000 });
    const inactive = await makeTier(creator, { level: 3, isActive: false });
    await expectError(await subscribeApi(fan, crypto.randomUUID()), 404, 'NOT_FOUND');
    await expectError(await subscribeApi(fan, 'nope'), 400, 'VALIDATION_FAILED');
    await expectError(await subscribeApi(fan, inactive.id), 409, 'MEMBERSHIP_INACTIVE');
    await expectError(await subscribeApi(fan, tier.id), 402, 'INSUFFICIENT_BALANCE');
    await expectError(
      await api(`/subscription/membership/${tier.id}`, { method: 'POST' }),
      401,
      'UNAUTHENTICATED',
    );
    expect(
      await db.select().from(subscriptions).where(eq(subscriptions.membershipItemId, tier.id)),
    ).toEqual([]);
  });

  it("refuses one's own tier", async () => {
    const user = await createUser('own-tier');
    const tier = await makeTier(user.sub);
    await expectError(await subscribeApi(user, tier.id), 400, 'CANNOT_SUBSCRIBE_OWN');
  });

  it('100 parallel subscribe requests with a balance that covers exactly 10: exactly 10 succeed', async () => {
    const user = await createUser('sub-race');
    const tiers = [];
    for (let i = 0; i < 100; i++) tiers.push(await makeTier(await makeCreator(), { price: 100 }));
    await fund(user.sub, 1000);
    const statuses = await Promise.all(
      tiers.map((t) => subscribeApi(user, t.id).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s === 402)).toHaveLength(90);
    expect(await balanceOf(user.sub)).toBe(0);
    const live = await db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.subscriberId, user.sub));
    expect(live).toHaveLength(10);
  });

  it('the same idempotency key 20 times in parallel: one subscription, one charge, identical answers', async () => {
    const creator = await makeCreator();
    const tier = await makeTier(creator, { price: 700 });
    const user = await createUser('sub-idem');
    await fund(user.sub, 5000);
    const key = `idem-${crypto.randomUUID()}`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        subscribeApi(user, tier.id, key).then((r) => readJson<SubscribeBody>(r)),
      ),
    );
    expect(
      answers.every((a) => a.status === 201),
      answers.map((a) => a.text).join('\n'),
    ).toBe(true);
    expect(new Set(answers.map((a) => JSON.stringify(a.body.data.subscription))).size).toBe(1);
    expect(await balanceOf(user.sub)).toBe(4300);
    const rows = await db
      .select()
      .from(transfers)
      .where(eq(transfers.referenceId, answers[0].body.data.subscription.id));
    expect(rows).toHaveLength(2);
  });

  it('a trial costs nothing, happens once per fan and creator, and its end is the first charge', async () => {
    const creator = await makeCreator();
    const tier = await makeTier(creator, { price: 500, trialUnit: 'DAY', trialPeriod: 7 });
    const user = await createUser('sub-trial');
    await fund(user.sub, 1000);
    const start = new Date();
    const first = await subscribe(
      db,
      { fanId: user.sub, tierId: tier.id, clientKey: crypto.randomUUID(), now: start },
      settings,
    );
    expect(first).toMatchObject({
      outcome: 'trial',
      charged: 0,
      subscription: { status: 'trialing' },
    });
    expect(await balanceOf(user.sub)).toBe(1000);
    const trialEnds = first.subscription.currentPeriodEnd;
    expect(trialEnds.getTime() - start.getTime()).toBe(7 * 86_400_000);
    await runRenewals(db, new Date(trialEnds.getTime() + 1000), settings, {
      only: [first.subscription.id],
    });
    const [after] = await db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.id, first.subscription.id));
    expect(after).toMatchObject({ status: 'active', currentPeriodStart: trialEnds });
    expect(after.currentPeriodEnd.toISOString()).toBe(
      periodBoundary(trialEnds, 'MONTH', 1, 1).toISOString(),
    );
    expect(await balanceOf(user.sub)).toBe(500);
  });

  it('upgrading charges the difference pro rata now; downgrading waits for the renewal', async () => {
    const creator = await makeCreator();
    const basic = await makeTier(creator, { level: 1, price: 1000 });
    const premium = await makeTier(creator, { level: 3, price: 3000 });
    const user = await createUser('sub-upgrade');
    await fund(user.sub, 10_000);
    const t0 = new Date('2030-01-01T00:00:00Z');
    const sub = await subscribe(
      db,
      { fanId: user.sub, tierId: basic.id, clientKey: crypto.randomUUID(), now: t0 },
      settings,
    );
    // Halfway through January: the upgrade costs half of the 2000 difference.
    const mid = new Date(
      t0.getTime() + (sub.subscription.currentPeriodEnd.getTime() - t0.getTime()) / 2,
    );
    const up = await subscribe(
      db,
      { fanId: user.sub, tierId: premium.id, clientKey: crypto.randomUUID(), now: mid },
      settings,
    );
    expect(up).toMatchObject({
      outcome: 'upgraded',
      charged: 1000,
      subscription: { level: 3, membershipItemId: premium.id },
    });
    expect(await balanceOf(user.sub)).toBe(8000);
    const down = await subscribe(
      db,
      { fanId: user.sub, tierId: basic.id, clientKey: crypto.randomUUID(), now: mid },
      settings,
    );
    expect(down).toMatchObject({
      outcome: 'downgrade_scheduled',
      charged: 0,
      subscription: { level: 3, pendingMembershipItemId: basic.id },
    });
    await runRenewals(db, new Date('2030-02-01T00:00:01Z'), settings, {
      only: [sub.subscription.id],
    });
    const [renewed] = await db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.id, sub.subscription.id));
    expect(renewed).toMatchObject({
      level: 1,
      membershipItemId: basic.id,
      price: 1000,
      pendingMembershipItemId: null,
      status: 'active',
    });
    expect(await balanceOf(user.sub)).toBe(7000);
  });
});

describe('cancel and renewals (controlled clock)', () => {
  async function paidSubscription(price: number, funds: number, start: Date) {
    const creator = await makeCreator();
    const tier = await makeTier(creator, { price });
    const user = await createUser('renew');
    await fund(user.sub, funds);
    const { subscription } = await subscribe(
      db,
      { fanId: user.sub, tierId: tier.id, clientKey: crypto.randomUUID(), now: start },
      settings,
    );
    return { creator, tier, user, subscription };
  }

  it('cancel keeps access until the period ends, can be undone, and then expires without a charge', async () => {
    const start = new Date();
    const { tier, user, subscription, creator } = await paidSubscription(400, 2000, start);
    const canceled = await api(`/subscription/membership/${tier.id}`, {
      method: 'DELETE',
      cookies: user.cookies,
    });
    expect(canceled.status, await canceled.clone().text()).toBe(200);
    expect(await activeLevel(db, user.sub, creator, new Date())).toBe(1);
    const resumed = await readJson<Envelope<{ status: string; autoRenew: boolean }>>(
      await api(`/subscription/membership/${tier.id}/resume`, {
        method: 'POST',
        cookies: user.cookies,
      }),
    );
    expect(resumed.body.data).toMatchObject({ status: 'active', autoRenew: true });
    await cancel(db, user.sub, tier.id, new Date());
    const end = subscription.currentPeriodEnd;
    await runRenewals(db, new Date(end.getTime() + 1000), settings, { only: [subscription.id] });
    const [row] = await db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.id, subscription.id));
    expect(row.status).toBe('expired');
    expect(await balanceOf(user.sub)).toBe(1600);
    expect(await activeLevel(db, user.sub, creator, new Date(end.getTime() + 1000))).toBe(0);
    await expectError(
      await api(`/subscription/membership/${tier.id}`, { method: 'DELETE', cookies: user.cookies }),
      404,
      'NOT_FOUND',
    );
  });

  it('a renewal run repeated, or two runs in parallel, charge each due period once', async () => {
    const start = new Date('2031-03-31T10:00:00Z');
    const { user, subscription } = await paidSubscription(300, 3000, start);
    const due = new Date('2031-05-01T00:00:00Z');
    const only = { only: [subscription.id] };
    await Promise.all([
      runRenewals(db, due, settings, only),
      runRenewals(db, due, settings, only),
      runRenewals(db, due, settings, only),
    ]);
    await runRenewals(db, due, settings, only);
    const [row] = await db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.id, subscription.id));
    // Anchored: Mar 31 → Apr 30 → May 31 (not drifting to the 30th).
    expect(row.currentPeriodStart.toISOString()).toBe('2031-04-30T10:00:00.000Z');
    expect(row.currentPeriodEnd.toISOString()).toBe('2031-05-31T10:00:00.000Z');
    expect(await balanceOf(user.sub)).toBe(3000 - 300 - 300);
    const renewals = await db
      .select()
      .from(subscriptionEvents)
      .where(
        and(
          eq(subscriptionEvents.subscriptionId, subscription.id),
          eq(subscriptionEvents.type, 'renewed'),
        ),
      );
    expect(renewals).toHaveLength(1);
  });

  it('after an outage of three periods the catch-up charges exactly the missed periods', async () => {
    const start = new Date('2032-01-15T00:00:00Z');
    const { user, subscription } = await paidSubscription(200, 2000, start);
    await runRenewals(db, new Date('2032-04-20T00:00:00Z'), settings, { only: [subscription.id] });
    const [row] = await db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.id, subscription.id));
    expect(row.currentPeriodStart.toISOString()).toBe('2032-04-15T00:00:00.000Z');
    expect(await balanceOf(user.sub)).toBe(2000 - 200 * 4);
  });

  it('without funds: grace (access kept), then expired when grace ends; funds in time recover it', async () => {
    const start = new Date('2033-01-01T00:00:00Z');
    const { user, subscription, creator } = await paidSubscription(500, 500, start);
    const due = new Date('2033-02-01T01:00:00Z');
    const only = { only: [subscription.id] };
    await runRenewals(db, due, settings, only);
    let [row] = await db.select().from(subscriptions).where(eq(subscriptions.id, subscription.id));
    expect(row.status).toBe('grace');
    expect(await activeLevel(db, user.sub, creator, due)).toBe(1);
    // Funds arrive during grace: the next run charges the overdue period.
    await fund(user.sub, 500);
    await runRenewals(db, new Date('2033-02-02T00:00:00Z'), settings, only);
    [row] = await db.select().from(subscriptions).where(eq(subscriptions.id, subscription.id));
    expect(row).toMatchObject({ status: 'active', graceEndsAt: null });
    expect(row.currentPeriodEnd.toISOString()).toBe('2033-03-01T00:00:00.000Z');
    // Next period: no funds again, and nobody pays until grace is over.
    await runRenewals(db, new Date('2033-03-01T01:00:00Z'), settings, only);
    await runRenewals(db, new Date('2033-03-05T00:00:00Z'), settings, only);
    [row] = await db.select().from(subscriptions).where(eq(subscriptions.id, subscription.id));
    expect(row.status).toBe('expired');
    expect(await activeLevel(db, user.sub, creator, new Date('2033-03-05T00:00:00Z'))).toBe(0);
    expect(
      await code(
        subscribe(
          db,
          {
            fanId: user.sub,
            tierId: row.membershipItemId,
            clientKey: crypto.randomUUID(),
            now: new Date('2033-03-05T00:00:00Z'),
          },
          settings,
        ),
      ),
    ).toBe('INSUFFICIENT_BALANCE');
  });
});
