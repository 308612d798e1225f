// Money under concurrency and key reuse, through the Worker: parallel refunds never pay back more
// than the charge, an Idempotency-Key bound to one request refuses any other (409) on every route
// that takes one, replays answer exactly what the first request answered, and guarded subscription
// changes write their event once. The ledger invariants (with "no transfer reversed beyond its
// amount" and "treasury = fees collected − fees refunded") are checked after every test.
import { and, eq, inArray } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { subscriptionEvents, transfers } from '../../src/db/schema/index.ts';
import { checkLedgerInvariants } from '../../src/domain/ledger.ts';
import { subscribe } from '../../src/domain/subscriptions.ts';
import { api, postJson, stack, tokenFor } from './auth-helpers.ts';
import { balanceOf, db, fund, makeCreator, makeTier } from './economy-helpers.ts';
import { expectError, readJson, type Envelope } from './helpers.ts';

const settings = { feeBps: 1000, graceDays: 3 };
const cookiesOf = async (userId: string) => ({ access_token: await tokenFor(userId) });

afterEach(async () => {
  const report = await checkLedgerInvariants(db);
  expect(report, JSON.stringify(report)).toMatchObject({ ok: true, overReversedTransfers: [] });
});

/**
 * A creator with earnings of their own (1000 KNG, as real creators have: a refund cannot be stopped
 * by their wallet running dry), a fan funded with `extra` beyond one charge of `price`, and the
 * subscription.
 */
async function charged(price: number, extra = 0) {
  const creator = await makeCreator();
  const fan = await makeCreator();
  const tier = await makeTier(creator, { price });
  await fund(creator, 1000);
  await fund(fan, price + extra);
  const { subscription } = await subscribe(
    db,
    { fanId: fan, tierId: tier.id, clientKey: crypto.randomUUID(), now: new Date() },
    settings,
  );
  return {
    creator,
    fan,
    tier,
    subscription,
    creatorCookies: await cookiesOf(creator),
    fanCookies: await cookiesOf(fan),
  };
}

const refund = (
  cookies: Record<string, string>,
  subscriptionId: string,
  body: unknown,
  key?: string,
) =>
  postJson(`/subscription/${subscriptionId}/refund`, body, {
    cookies,
    headers: key ? { 'Idempotency-Key': key } : {},
  });

/** The charge's two legs and what the transfers reversing each took back. */
async function reversedLegs(subscriptionId: string) {
  const [start] = await db
    .select()
    .from(subscriptionEvents)
    .where(
      and(
        eq(subscriptionEvents.subscriptionId, subscriptionId),
        eq(subscriptionEvents.type, 'started'),
      ),
    );
  const legs = await db
    .select()
    .from(transfers)
    .where(
      inArray(transfers.idempotencyKey, [
        `${start.idempotencyKey}:creator`,
        `${start.idempotencyKey}:fee`,
      ]),
    );
  const reversals = await db
    .select()
    .from(transfers)
    .where(
      inArray(
        transfers.reversesTransferId,
        legs.map((l) => l.id),
      ),
    );
  return legs.map((leg) => ({
    amount: leg.amount,
    back: reversals
      .filter((r) => r.reversesTransferId === leg.id)
      .reduce((n, r) => n + r.amount, 0),
  }));
}

describe('parallel refunds of one charge', () => {
  it('10 parallel {"amount":10} refunds of a 30 KNG charge pay back 30 at most', async () => {
    const { fan, creator, subscription, creatorCookies } = await charged(30);
    expect(await balanceOf(fan)).toBe(0);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => refund(creatorCookies, subscription.id, { amount: 10 })),
    );
    const statuses = responses.map((r) => r.status);
    expect(
      statuses.filter((s) => s === 200),
      statuses.join(),
    ).toHaveLength(3);
    expect(
      statuses.every((s) => s === 200 || s === 409),
      statuses.join(),
    ).toBe(true);
    expect(await balanceOf(fan)).toBe(30);
    expect(await balanceOf(creator)).toBe(1000);
    for (const leg of await reversedLegs(subscription.id))
      expect(leg.back).toBeLessThanOrEqual(leg.amount);
    const events = await db
      .select()
      .from(subscriptionEvents)
      .where(
        and(
          eq(subscriptionEvents.subscriptionId, subscription.id),
          eq(subscriptionEvents.type, 'refunded'),
        ),
      );
    expect(events.map((e) => e.amount)).toEqual([10, 10, 10]);
  });

  it('10 parallel full refunds pay back the charge once; the rest: 409 NOTHING_TO_REFUND', async () => {
    const { fan, creator, subscription, creatorCookies } = await charged(30, 5);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => refund(creatorCookies, subscription.id, {})),
    );
    const bodies = await Promise.all(
      responses.map((r) =>
        readJson<
          Envelope<
            { amount: number; full: boolean; subscription: { status: string } } | { code: string }
          >
        >(r),
      ),
    );
    const won = bodies.filter((b) => b.status === 200);
    expect(won, bodies.map((b) => b.text).join('\n')).toHaveLength(1);
    expect(won[0].body.data).toMatchObject({
      amount: 30,
      full: true,
      subscription: { status: 'expired' },
    });
    expect(
      bodies.filter((b) => b.status === 409).map((b) => (b.body.data as { code: string }).code),
    ).toEqual(Array(9).fill('NOTHING_TO_REFUND'));
    expect(await balanceOf(fan)).toBe(35);
    expect(await balanceOf(creator)).toBe(1000);
    expect(await reversedLegs(subscription.id)).toEqual(
      expect.arrayContaining([
        { amount: 27, back: 27 },
        { amount: 3, back: 3 },
      ]),
    );
  });

  it('partial and full refunds mixed in parallel pay back at most the charge', async () => {
    const { fan, subscription, creatorCookies } = await charged(30);
    const bodies = [
      { amount: 7 },
      {},
      { amount: 11 },
      {},
      { amount: 3 },
      { amount: 20 },
      {},
      { amount: 1 },
      {},
      { amount: 9 },
    ];
    await Promise.all(bodies.map((b) => refund(creatorCookies, subscription.id, b)));
    const back = await balanceOf(fan);
    expect(back).toBeGreaterThan(0);
    expect(back).toBeLessThanOrEqual(30);
    for (const leg of await reversedLegs(subscription.id))
      expect(leg.back).toBeLessThanOrEqual(leg.amount);
  });
});

describe('refund body and reason', () => {
  it('a body-less refund is 400; {} refunds fully; the reason is kept in the event', async () => {
    const { subscription, creatorCookies } = await charged(40);
    await expectError(
      await api(`/subscription/${subscription.id}/refund`, {
        method: 'POST',
        cookies: creatorCookies,
      }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      await refund(creatorCookies, subscription.id, { amount: 'ten' }),
      400,
      'VALIDATION_FAILED',
    );
    const partial = await readJson<Envelope<{ amount: number }>>(
      await refund(creatorCookies, subscription.id, { amount: 10, reason: '콘텐츠 누락' }),
    );
    expect(partial.status, partial.text).toBe(200);
    const full = await readJson<Envelope<{ amount: number; full: boolean }>>(
      await refund(creatorCookies, subscription.id, {}),
    );
    expect(full.body.data).toMatchObject({ amount: 30, full: true });
    const events = await db
      .select()
      .from(subscriptionEvents)
      .where(
        and(
          eq(subscriptionEvents.subscriptionId, subscription.id),
          eq(subscriptionEvents.type, 'refunded'),
        ),
      );
    expect(events.map((e) => (e.data as { reason: string | null }).reason).sort()).toEqual(
      [null, '콘텐츠 누락'].sort(),
    );
  });
});

describe('Idempotency-Key reused for another request → 409 IDEMPOTENCY_CONFLICT', () => {
  async function posting(authorCookies: Record<string, string>, price: number): Promise<string> {
    const res = await postJson(
      '/postings',
      {
        title: 't',
        content: `c-${crypto.randomUUID()}`,
        status: 'PUBLISHED',
        allow_individual_purchase: true,
        individual_purchase_price_kng: price,
      },
      { cookies: authorCookies },
    );
    expect(res.status, await res.clone().text()).toBe(201);
    return ((await res.json()) as { data: { id: string } }).data.id;
  }
  const purchase = (cookies: Record<string, string>, id: string, key: string) =>
    api(`/postings/${id}/purchase`, {
      method: 'POST',
      cookies,
      headers: { 'Idempotency-Key': key },
    });

  it('unlock: the key for another posting (same price and author) is refused, nothing charged', async () => {
    const author = await makeCreator();
    const authorCookies = await cookiesOf(author);
    const [a, b] = [await posting(authorCookies, 100), await posting(authorCookies, 100)];
    const buyer = await makeCreator();
    await fund(buyer, 1000);
    const cookies = await cookiesOf(buyer);
    const key = `unlock-${crypto.randomUUID()}`;
    const first = await readJson<Envelope<{ charged: number }>>(await purchase(cookies, a, key));
    expect(first.status, first.text).toBe(201);
    await expectError(await purchase(cookies, b, key), 409, 'IDEMPOTENCY_CONFLICT');
    expect(await balanceOf(buyer)).toBe(900);
    // The same request again answers what the first answered.
    const again = await readJson<Envelope<{ charged: number }>>(await purchase(cookies, a, key));
    expect(again.status).toBe(201);
    expect(again.body.data).toEqual(first.body.data);
  });

  it('subscribe: the key for another tier is refused; a replayed upgrade answers the same', async () => {
    const creator = await makeCreator();
    const [basic, premium, other] = [
      await makeTier(creator, { level: 1, price: 100 }),
      await makeTier(creator, { level: 3, price: 300 }),
      await makeTier(await makeCreator(), { level: 1, price: 100 }),
    ];
    const fan = await makeCreator();
    await fund(fan, 1000);
    const cookies = await cookiesOf(fan);
    const post = (tierId: string, key: string) =>
      api(`/subscription/membership/${tierId}`, {
        method: 'POST',
        cookies,
        headers: { 'Idempotency-Key': key },
      });
    const key = `sub-${crypto.randomUUID()}`;
    expect((await post(basic.id, key)).status).toBe(201);
    await expectError(await post(other.id, key), 409, 'IDEMPOTENCY_CONFLICT');
    const upKey = `up-${crypto.randomUUID()}`;
    const up = await readJson<
      Envelope<{ outcome: string; charged: number; subscription: { level: number } }>
    >(await post(premium.id, upKey));
    expect(up.status, up.text).toBe(201);
    expect(up.body.data.outcome).toBe('upgraded');
    expect(up.body.data.charged).toBeGreaterThan(0);
    const replay = await readJson<Envelope<{ outcome: string; charged: number }>>(
      await post(premium.id, upKey),
    );
    expect(replay.body.data).toMatchObject({ outcome: 'upgraded', charged: up.body.data.charged });
    // Ten parallel replays: one charge, the same answer for all.
    const balance = await balanceOf(fan);
    const many = await Promise.all(
      Array.from({ length: 10 }, () =>
        post(premium.id, upKey).then((r) =>
          readJson<Envelope<{ outcome: string; charged: number }>>(r),
        ),
      ),
    );
    expect(many.map((m) => `${m.status}:${m.body.data.outcome}:${m.body.data.charged}`)).toEqual(
      Array(10).fill(`201:upgraded:${up.body.data.charged}`),
    );
    expect(await balanceOf(fan)).toBe(balance);
  });

  it('refund: the same key with another amount is refused', async () => {
    const { fan, subscription, creatorCookies } = await charged(50);
    const key = `refund-${crypto.randomUUID()}`;
    expect((await refund(creatorCookies, subscription.id, { amount: 10 }, key)).status).toBe(200);
    await expectError(
      await refund(creatorCookies, subscription.id, { amount: 20 }, key),
      409,
      'IDEMPOTENCY_CONFLICT',
    );
    await expectError(
      await refund(creatorCookies, subscription.id, {}, key),
      409,
      'IDEMPOTENCY_CONFLICT',
    );
    const again = await readJson<Envelope<{ amount: number; full: boolean }>>(
      await refund(creatorCookies, subscription.id, { amount: 10 }, key),
    );
    expect(again.body.data).toMatchObject({ amount: 10, full: false });
    expect(await balanceOf(fan)).toBe(10);
  });

  it('a key used on one route is refused on another', async () => {
    const author = await makeCreator();
    const id = await posting(await cookiesOf(author), 10);
    const tier = await makeTier(author, { price: 10 });
    const fan = await makeCreator();
    await fund(fan, 100);
    const cookies = await cookiesOf(fan);
    const key = `any-${crypto.randomUUID()}`;
    expect((await purchase(cookies, id, key)).status).toBe(201);
    await expectError(
      await api(`/subscription/membership/${tier.id}`, {
        method: 'POST',
        cookies,
        headers: { 'Idempotency-Key': key },
      }),
      409,
      'IDEMPOTENCY_CONFLICT',
    );
    expect(await balanceOf(fan)).toBe(90);
  });
});

describe('guarded subscription changes write their event only when they changed the row', () => {
  it('10 parallel cancels and then 10 parallel resumes: one event each', async () => {
    const { tier, subscription, fanCookies } = await charged(20);
    const cancels = await Promise.all(
      Array.from({ length: 10 }, () =>
        api(`/subscription/membership/${tier.id}`, { method: 'DELETE', cookies: fanCookies }).then(
          (r) => r.status,
        ),
      ),
    );
    expect(
      cancels.every((s) => s === 200),
      cancels.join(),
    ).toBe(true);
    const resumes = await Promise.all(
      Array.from({ length: 10 }, () =>
        api(`/subscription/membership/${tier.id}/resume`, {
          method: 'POST',
          cookies: fanCookies,
        }).then((r) => r.status),
      ),
    );
    expect(
      resumes.every((s) => s === 200),
      resumes.join(),
    ).toBe(true);
    const events = await db
      .select({ type: subscriptionEvents.type })
      .from(subscriptionEvents)
      .where(eq(subscriptionEvents.subscriptionId, subscription.id));
    expect(events.filter((e) => e.type === 'canceled')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'resumed')).toHaveLength(1);
  });

  it('10 parallel card-membership stops: one event; a stop after a resume: a second one', async () => {
    const creator = await makeCreator();
    const tier = await makeTier(creator, { price: 10 });
    const fan = await makeCreator();
    const cookies = await cookiesOf(fan);
    const tossFake = async (path: string, body: unknown) =>
      (
        await fetch(`${stack.toss.endpoint}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json();
    const prep = await readJson<Envelope<{ customerKey: string }>>(
      await postJson('/subscription/billing/prepare', { membershipItemId: tier.id }, { cookies }),
    );
    expect(prep.status, prep.text).toBe(200);
    const { authKey } = (await tossFake('/_fake/window/billing-auth', {
      customerKey: prep.body.data.customerKey,
    })) as { authKey: string };
    const confirmed = await readJson<Envelope<{ subscriptionId: string }>>(
      await postJson(
        '/subscription/billing/confirm',
        { authKey, customerKey: prep.body.data.customerKey, membershipItemId: tier.id },
        { cookies },
      ),
    );
    expect(confirmed.status, confirmed.text).toBe(200);
    const id = confirmed.body.data.subscriptionId;
    const stop = () =>
      api(`/subscription/billing/${id}`, { method: 'DELETE', cookies }).then((r) => r.status);
    const stops = await Promise.all(Array.from({ length: 10 }, stop));
    expect(
      stops.every((st) => st === 200),
      stops.join(),
    ).toBe(true);
    const canceledEvents = async () =>
      (
        await db
          .select({ type: subscriptionEvents.type })
          .from(subscriptionEvents)
          .where(eq(subscriptionEvents.subscriptionId, id))
      ).filter((e) => e.type === 'canceled');
    expect(await canceledEvents()).toHaveLength(1);
    expect(
      (await api(`/subscription/membership/${tier.id}/resume`, { method: 'POST', cookies })).status,
    ).toBe(200);
    expect(await stop()).toBe(200);
    expect(await canceledEvents()).toHaveLength(2);
  });
});
