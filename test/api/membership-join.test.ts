// The web client's membership join, end to end: the creator prices a tier in KRW as its form does, the join
// modal's price (profile and /membership/creator) is what the card is charged, the success URL is built as
// the client builds it and Toss extends it, confirm subscribes, and the fan then reads the locked posting.
import { and, eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { paymentOrders, users } from '../../src/db/schema/index.ts';
import { checkLedgerInvariants } from '../../src/domain/ledger.ts';
import { api, postJson, putJson, stack, tokenFor } from './auth-helpers.ts';
import { balanceOf, db, fund, makeCreator } from './economy-helpers.ts';
import { readJson, type Envelope } from './helpers.ts';

const as = async (userId: string) => ({ cookies: { access_token: await tokenFor(userId) } });
const toss = (path: string, body: unknown) =>
  fetch(`${stack.toss.endpoint}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then((r) => r.json());
const tossCalls = async () =>
  (
    (await (await fetch(`${stack.toss.endpoint}/_fake/calls`)).json()) as {
      calls: Array<{
        op: string;
        body: { orderId?: string; amount?: number; customerKey?: string };
      }>;
    }
  ).calls;

interface ShownTier {
  id: string;
  name: string;
  price: number;
  priceKng: number;
  billing_unit: string;
  billing_period: number;
}

afterEach(async () => {
  expect((await checkLedgerInvariants(db)).ok).toBe(true);
});

/** A creator with a level-1 tier made through the client's AddMembershipModal body, and a members-only posting. */
async function creatorWithLockedPosting(priceKrw: number | string) {
  const creator = await makeCreator();
  const created = await readJson<Envelope<ShownTier>>(
    await postJson(
      '/membership',
      {
        name: '기본',
        description: '설명',
        level: 1,
        price: priceKrw,
        billing_unit: 'MONTH',
        billing_period: 1,
        trial_unit: 'DAY',
        trial_period: 0,
        benefits: '혜택1,혜택2',
      },
      await as(creator),
    ),
  );
  expect(created.status, created.text).toBe(201);
  const posting = await readJson<Envelope<{ id: string }>>(
    await postJson(
      '/postings',
      {
        title: '멤버 전용',
        content: '구독자만 보는 본문',
        status: 'PUBLISHED',
        is_membership: true,
        membership_level: 1,
        is_public: true,
        media_ids: [],
      },
      await as(creator),
    ),
  );
  expect(posting.status, posting.text).toBe(201);
  const [row] = await db.select({ handle: users.handle }).from(users).where(eq(users.id, creator));
  return { creator, handle: row.handle, tier: created.body.data, postingId: posting.body.data.id };
}

/** What the success page does: read its own query string and POST it to confirm. */
function confirmBodyFrom(url: string) {
  const q = new URL(url).searchParams;
  return {
    authKey: q.get('authKey'),
    customerKey: q.get('customerKey'),
    userId: q.get('userId'),
    membershipItemId: q.get('membershipItemId'),
  };
}

describe('membership join through the web client', () => {
  it('prepare → Toss billing-auth → success URL → confirm; the modal price is the charged amount; the fan reads the posting', async () => {
    const { creator, handle, tier, postingId } = await creatorWithLockedPosting(3300);
    expect(tier).toMatchObject({ price: 3300, priceKng: 30 });
    const fan = await makeCreator();

    // The modal's tier list comes from the profile (or /membership/creator/:id): `price` is read as KRW.
    const profile = await readJson<Envelope<{ membershipItems: ShownTier[] }>>(
      await api(`/user/profile/${handle}`, await as(fan)),
    );
    const shown = profile.body.data.membershipItems.find((m) => m.id === tier.id);
    expect(shown, profile.text).toMatchObject({ price: 3300, priceKng: 30 });
    expect(typeof shown?.price).toBe('number');
    const listed = await readJson<Envelope<{ memberships: ShownTier[] }>>(
      await api(`/membership/creator/${creator}`),
    );
    expect(listed.body.data.memberships).toMatchObject([
      { id: tier.id, price: 3300, priceKng: 30 },
    ]);

    const locked = await readJson<
      Envelope<{
        content: string;
        isGotMembership: boolean;
        offer: { cheapestTier: { price: number; priceKng: number } };
      }>
    >(await api(`/postings/${postingId}`, await as(fan)));
    expect(locked.body.data, locked.text).toMatchObject({
      content: '',
      isGotMembership: false,
      offer: { cheapestTier: { price: 3300, priceKng: 30 } },
    });

    // MembershipJoinModal: prepare, then requestBillingAuth with its own query on the success URL.
    const prep = await readJson<
      Envelope<{
        clientKey: string;
        customerKey: string;
        successUrl: string;
        failUrl: string;
        price: number;
        priceKng: number;
      }>
    >(
      await postJson('/subscription/billing/prepare', { membershipItemId: tier.id }, await as(fan)),
    );
    expect(prep.status, prep.text).toBe(200);
    expect(prep.body.data.successUrl).not.toContain('?');
    expect(prep.body.data.failUrl).not.toContain('?');
    expect(prep.body.data).toMatchObject({ price: shown?.price, priceKng: 30 });
    const successUrl = `${prep.body.data.successUrl}?membershipItemId=${tier.id}&userId=${fan}`;
    // The Toss window redirects to the success URL with its own parameters appended.
    const { authKey } = (await toss('/_fake/window/billing-auth', {
      customerKey: prep.body.data.customerKey,
    })) as { authKey: string };
    const redirected = new URL(successUrl);
    redirected.searchParams.append('customerKey', prep.body.data.customerKey);
    redirected.searchParams.append('authKey', authKey);

    const confirmed = await readJson<
      Envelope<{
        subscriptionId: string;
        membershipItem: {
          name: string;
          price: number;
          billing_unit: string;
          billing_period: number;
        };
        nextBillingDate: string;
      }>
    >(
      await postJson(
        '/subscription/billing/confirm',
        confirmBodyFrom(redirected.toString()),
        await as(fan),
      ),
    );
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body.data.membershipItem).toMatchObject({
      name: '기본',
      price: 3300,
      billing_unit: 'MONTH',
      billing_period: 1,
    });
    expect(Number.isNaN(new Date(confirmed.body.data.nextBillingDate).getTime())).toBe(false);

    // What was charged equals what the modal showed.
    const [order] = await db
      .select()
      .from(paymentOrders)
      .where(and(eq(paymentOrders.userId, fan), eq(paymentOrders.kind, 'subscription')));
    expect(order).toMatchObject({ status: 'credited', amount: shown?.price, tokenAmount: 30 });
    const charge = (await tossCalls()).find(
      (c) => c.op === 'billing-charge' && c.body.orderId === order.orderId,
    );
    expect(charge?.body.amount).toBe(shown?.price);

    const open = await readJson<Envelope<{ content: string; isGotMembership: boolean }>>(
      await api(`/postings/${postingId}`, await as(fan)),
    );
    expect(open.body.data, open.text).toMatchObject({
      content: '구독자만 보는 본문',
      isGotMembership: true,
    });
  });

  it('confirm also accepts the id garbled by an old success URL that already had a query', async () => {
    const { tier, postingId } = await creatorWithLockedPosting('1100');
    const fan = await makeCreator();
    const prep = await readJson<Envelope<{ customerKey: string; successUrl: string }>>(
      await postJson('/subscription/billing/prepare', { membershipItemId: tier.id }, await as(fan)),
    );
    const { authKey } = (await toss('/_fake/window/billing-auth', {
      customerKey: prep.body.data.customerKey,
    })) as { authKey: string };
    const old = `${prep.body.data.successUrl}?membershipItemId=${tier.id}?membershipItemId=${tier.id}&userId=${fan}&customerKey=${prep.body.data.customerKey}&authKey=${authKey}`;
    const body = confirmBodyFrom(old);
    expect(body.membershipItemId).toBe(`${tier.id}?membershipItemId=${tier.id}`);
    const res = await readJson<Envelope<{ membershipItem: { price: number } }>>(
      await postJson('/subscription/billing/confirm', body, await as(fan)),
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body.data.membershipItem.price).toBe(1100);
    const open = await readJson<Envelope<{ content: string }>>(
      await api(`/postings/${postingId}`, await as(fan)),
    );
    expect(open.body.data.content).toBe('구독자만 보는 본문');
    const bad = await postJson(
      '/subscription/billing/confirm',
      { ...body, membershipItemId: 'not-an-id?membershipItemId=x' },
      await as(fan),
    );
    expect(bad.status).toBe(400);
  });

  it('a KNG subscription debits priceKng; a KRW price off the 110-won step is rounded and said so; edits round-trip', async () => {
    const creator = await makeCreator();
    const made = await readJson<Envelope<ShownTier>>(
      await postJson(
        '/membership',
        {
          name: '반올림',
          level: 2,
          price: 5000,
          billing_unit: 'MONTH',
          billing_period: 1,
          benefits: 'x',
        },
        await as(creator),
      ),
    );
    expect(made.body.data).toMatchObject({ price: 4950, priceKng: 45 });
    expect(made.body.message).toContain('4,950원');
    // EditMembershipModal sends the shown price back with the other fields: the price must not move.
    const edited = await readJson<Envelope<ShownTier>>(
      await putJson(
        `/membership/${made.body.data.id}`,
        { name: '이름만', price: made.body.data.price },
        await as(creator),
      ),
    );
    expect(edited.body.data).toMatchObject({ name: '이름만', price: 4950, priceKng: 45 });
    const exact = await readJson<Envelope<ShownTier>>(
      await putJson(`/membership/${made.body.data.id}`, { priceKng: 7 }, await as(creator)),
    );
    expect(exact.body.data).toMatchObject({ price: 770, priceKng: 7 });
    const fan = await makeCreator();
    await fund(fan, 100);
    const sub = await postJson(`/subscription/membership/${made.body.data.id}`, {}, await as(fan));
    expect(sub.status, await sub.clone().text()).toBe(201);
    expect(await balanceOf(fan)).toBe(93);
  });
});
