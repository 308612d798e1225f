// Prices on the wire are KRW (what the web client shows with 원), with the KNG price beside them;
// what a KNG purchase debits is the KNG price. Single-post purchases and KNG subscriptions. The
// ledger invariants are checked after every test.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkLedgerInvariants } from '../../src/domain/ledger.ts';
import { api, createUser, postJson, tokenFor } from './auth-helpers.ts';
import { balanceOf, db, fund, makeCreator, makeTier } from './economy-helpers.ts';
import { readJson, type Envelope } from './helpers.ts';

const cookiesOf = async (userId: string) => ({ access_token: await tokenFor(userId) });
let author: string;
let authorCookies: Record<string, string>;

beforeAll(async () => {
  author = await makeCreator();
  authorCookies = await cookiesOf(author);
});

afterEach(async () => {
  const report = await checkLedgerInvariants(db);
  expect(report, JSON.stringify(report)).toMatchObject({ ok: true });
});

type PostingPrices = {
  allowIndividualPurchase: boolean;
  individualPurchasePrice: number | null;
  individualPurchasePriceKng: number | null;
  access: string;
  offer: { unlockPrice: number | null; unlockPriceKng: number | null } | null;
};
const getPosting = async (id: string, cookies: Record<string, string>) =>
  readJson<Envelope<PostingPrices>>(await api(`/postings/${id}`, { cookies }));

describe('single-post purchase price: KRW on the wire, KNG debited', () => {
  it("the write page's request with 1000원 is served as 990원 (9 KNG) and unlocking debits 9 KNG", async () => {
    // What app/(main)/write/page.tsx sends: snake_case, the price typed in 원 (default 1000).
    const created = await postJson(
      '/postings',
      {
        title: '유료 포스팅',
        content: `secret-${crypto.randomUUID()}`,
        status: 'PUBLISHED',
        is_public: true,
        is_membership: false,
        membership_level: null,
        allow_individual_purchase: true,
        individual_purchase_price: 1000,
        is_sensitive: false,
        allow_comments: true,
        media_ids: [],
      },
      { cookies: authorCookies },
    );
    const createdBody = await readJson<Envelope<{ id: string }>>(created);
    expect(createdBody.status, createdBody.text).toBe(201);
    const id = createdBody.body.data.id;

    // 1000원 / 110원 = 9.09 → 9 KNG, shown as 990원: what is shown is what a buyer pays.
    const own = await getPosting(id, authorCookies);
    expect(own.body.data).toMatchObject({
      individualPurchasePrice: 990,
      individualPurchasePriceKng: 9,
    });
    const buyer = await makeCreator();
    const cookies = await cookiesOf(buyer);
    await fund(buyer, 100);
    const locked = await getPosting(id, cookies);
    expect(locked.body.data).toMatchObject({
      access: 'preview',
      individualPurchasePrice: 990,
      individualPurchasePriceKng: 9,
      offer: { unlockPrice: 990, unlockPriceKng: 9 },
    });
    const authorBefore = await balanceOf(author);
    const bought = await readJson<Envelope<{ price: number; priceKng: number; charged: number }>>(
      await api(`/postings/${id}/purchase`, { method: 'POST', cookies }),
    );
    expect(bought.status, bought.text).toBe(201);
    expect(bought.body.data).toMatchObject({ price: 990, priceKng: 9, charged: 9 });
    expect(await balanceOf(buyer)).toBe(91);
    // 9 KNG minus the 10 % fee (rounded as the ledger does) to the author.
    expect((await balanceOf(author)) - authorBefore).toBeGreaterThanOrEqual(8);
    expect((await getPosting(id, cookies)).body.data.access).toBe('full');
  });

  it('an edit in 원 is rounded to whole KNG; an exact KNG price is kept as it is', async () => {
    const created = await readJson<Envelope<{ id: string }>>(
      await postJson(
        '/postings',
        {
          title: 't',
          content: 'c',
          status: 'PUBLISHED',
          allow_individual_purchase: true,
          individual_purchase_price_kng: 7,
        },
        { cookies: authorCookies },
      ),
    );
    expect(created.status, created.text).toBe(201);
    const id = created.body.data.id;
    expect((await getPosting(id, authorCookies)).body.data).toMatchObject({
      individualPurchasePrice: 770,
      individualPurchasePriceKng: 7,
    });
    const patch = (body: unknown) =>
      api(`/postings/${id}`, {
        method: 'PATCH',
        cookies: authorCookies,
        body: JSON.stringify(body),
      });
    expect((await patch({ individual_purchase_price: 2200 })).status).toBe(200);
    expect((await getPosting(id, authorCookies)).body.data).toMatchObject({
      individualPurchasePrice: 2200,
      individualPurchasePriceKng: 20,
    });
    // A few 원 still cost at least 1 KNG (110원): never free by rounding.
    expect((await patch({ individual_purchase_price: 30 })).status).toBe(200);
    expect((await getPosting(id, authorCookies)).body.data).toMatchObject({
      individualPurchasePrice: 110,
      individualPurchasePriceKng: 1,
    });
  });
});

type SubView = { price: number; priceKng: number; level: number };
describe('KNG subscriptions: tier price in KRW with priceKng', () => {
  it('subscribe, cancel and /subscription/my/list answer price in KRW and priceKng in KNG', async () => {
    const tier = await makeTier(await makeCreator(), { price: 30, level: 2 });
    const fan = await createUser('krw-sub');
    await fund(fan.sub, 100);
    const sub = await readJson<Envelope<{ subscription: SubView; charged: number }>>(
      await api(`/subscription/membership/${tier.id}`, { method: 'POST', cookies: fan.cookies }),
    );
    expect(sub.status, sub.text).toBe(201);
    expect(sub.body.data).toMatchObject({
      subscription: { price: 3300, priceKng: 30, level: 2 },
      charged: 30,
    });
    expect(await balanceOf(fan.sub)).toBe(70);
    const list = await readJson<Envelope<{ subscriptions: SubView[] }>>(
      await api('/subscription/my/list', { cookies: fan.cookies }),
    );
    expect(list.body.data.subscriptions).toEqual([
      expect.objectContaining({ price: 3300, priceKng: 30, membershipLevel: 2 }),
    ]);
    // The same as the tier's own listing shows.
    const tiers = await readJson<Envelope<{ memberships: Array<{ id: string; price: number }> }>>(
      await api(`/membership/creator/${tier.creatorId}`),
    );
    expect(tiers.body.data.memberships.find((t) => t.id === tier.id)?.price).toBe(3300);
    const canceled = await readJson<Envelope<SubView>>(
      await api(`/subscription/membership/${tier.id}`, { method: 'DELETE', cookies: fan.cookies }),
    );
    expect(canceled.body.data).toMatchObject({ price: 3300, priceKng: 30 });
  });
});
