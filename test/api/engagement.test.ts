// Unlocking postings and likes: through the gate, idempotent, exact under concurrency.
import { eq } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { postingLikes, postingPurchases, postings } from '../../src/db/schema/index.ts';
import { checkLedgerInvariants } from '../../src/domain/ledger.ts';
import { api, postJson, tokenFor } from './auth-helpers.ts';
import { balanceOf, db, fund, makeCreator } from './economy-helpers.ts';
import { expectError, readJson, type Envelope } from './helpers.ts';

let author: string;
let authorCookies: Record<string, string>;
const cookiesOf = async (userId: string) => ({ access_token: await tokenFor(userId) });

async function posting(body: Record<string, unknown>): Promise<string> {
  const res = await postJson(
    '/postings',
    { title: 't', content: `content-${crypto.randomUUID()}`, status: 'PUBLISHED', ...body },
    { cookies: authorCookies },
  );
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { data: { id: string } }).data.id;
}

beforeAll(async () => {
  author = await makeCreator();
  authorCookies = await cookiesOf(author);
});

afterEach(async () => {
  expect((await checkLedgerInvariants(db)).ok).toBe(true);
});

describe('unlocking a posting', () => {
  it('charges once under 10 parallel requests with one key, pays the creator minus the fee, and opens the content', async () => {
    const id = await posting({
      allow_individual_purchase: true,
      individual_purchase_price_kng: 200,
    });
    const buyer = await makeCreator();
    await fund(buyer, 1000);
    const cookies = await cookiesOf(buyer);
    const before = await balanceOf(author);
    const locked = await readJson<Envelope<{ access: string; content: string }>>(
      await api(`/postings/${id}`, { cookies }),
    );
    expect(locked.body.data).toMatchObject({ access: 'preview', content: '' });
    const key = `unlock-${crypto.randomUUID()}`;
    const statuses = await Promise.all(
      Array.from({ length: 10 }, () =>
        api(`/postings/${id}/purchase`, {
          method: 'POST',
          cookies,
          headers: { 'Idempotency-Key': key },
        }).then((r) => r.status),
      ),
    );
    expect(
      statuses.every((s) => s === 201),
      statuses.join(),
    ).toBe(true);
    expect(await balanceOf(buyer)).toBe(800);
    expect((await balanceOf(author)) - before).toBe(180);
    expect(
      await db.select().from(postingPurchases).where(eq(postingPurchases.postingId, id)),
    ).toHaveLength(1);
    const open = await readJson<Envelope<{ access: string; content: string }>>(
      await api(`/postings/${id}`, { cookies }),
    );
    expect(open.body.data.access).toBe('full');
    // Buying again (another key) answers with the first purchase and charges nothing.
    const again = await readJson<Envelope<{ charged: number }>>(
      await api(`/postings/${id}/purchase`, { method: 'POST', cookies }),
    );
    expect(again.body.data.charged).toBe(0);
    expect(await balanceOf(buyer)).toBe(800);
  });

  it('parallel purchases with different keys still charge once', async () => {
    const id = await posting({
      allow_individual_purchase: true,
      individual_purchase_price_kng: 50,
    });
    const buyer = await makeCreator();
    await fund(buyer, 500);
    const cookies = await cookiesOf(buyer);
    await Promise.all(
      Array.from({ length: 8 }, () => api(`/postings/${id}/purchase`, { method: 'POST', cookies })),
    );
    expect(await balanceOf(buyer)).toBe(450);
  });

  it('refuses what is not for sale (409), what you cannot afford (402), what you cannot see (404)', async () => {
    const free = await posting({});
    const priced = await posting({
      allow_individual_purchase: true,
      individual_purchase_price_kng: 999,
    });
    const draft = await posting({
      status: 'DRAFT',
      allow_individual_purchase: true,
      individual_purchase_price_kng: 5,
    });
    const buyer = await makeCreator();
    const cookies = await cookiesOf(buyer);
    await expectError(
      await api(`/postings/${free}/purchase`, { method: 'POST', cookies }),
      409,
      'NOT_FOR_SALE',
    );
    await expectError(
      await api(`/postings/${priced}/purchase`, { method: 'POST', cookies }),
      402,
      'INSUFFICIENT_BALANCE',
    );
    await expectError(
      await api(`/postings/${draft}/purchase`, { method: 'POST', cookies }),
      404,
      'NOT_FOUND',
    );
    await expectError(
      await api(`/postings/${priced}/purchase`, { method: 'POST' }),
      401,
      'UNAUTHENTICATED',
    );
    expect(
      await db.select().from(postingPurchases).where(eq(postingPurchases.buyerId, buyer)),
    ).toEqual([]);
  });
});

describe('likes', () => {
  it('50 parallel likes from distinct users count 50', async () => {
    const id = await posting({});
    const fans = await Promise.all(Array.from({ length: 50 }, () => makeCreator()));
    const statuses = await Promise.all(
      fans.map(
        async (f) =>
          (await api(`/postings/${id}/like`, { method: 'POST', cookies: await cookiesOf(f) }))
            .status,
      ),
    );
    expect(statuses.every((s) => s === 201)).toBe(true);
    const [row] = await db
      .select({ n: postings.likeCount })
      .from(postings)
      .where(eq(postings.id, id));
    expect(row.n).toBe(50);
  });

  it('the same user 20 times in parallel counts 1; unliking twice counts 0; isLiked follows', async () => {
    const id = await posting({});
    const fan = await makeCreator();
    const cookies = await cookiesOf(fan);
    await Promise.all(
      Array.from({ length: 20 }, () => api(`/postings/${id}/like`, { method: 'POST', cookies })),
    );
    let [row] = await db
      .select({ n: postings.likeCount })
      .from(postings)
      .where(eq(postings.id, id));
    expect(row.n).toBe(1);
    const seen = await readJson<Envelope<{ isLiked: boolean; likeCount: number }>>(
      await api(`/postings/${id}`, { cookies }),
    );
    expect(seen.body.data).toMatchObject({ isLiked: true, likeCount: 1 });
    await Promise.all([
      api(`/postings/${id}/like`, { method: 'DELETE', cookies }),
      api(`/postings/${id}/like`, { method: 'DELETE', cookies }),
    ]);
    [row] = await db.select({ n: postings.likeCount }).from(postings).where(eq(postings.id, id));
    expect(row.n).toBe(0);
  });

  it('one user alternating 100 likes and unlikes in parallel: only 201/200, and the counter matches the rows', async () => {
    const id = await posting({});
    const fan = await makeCreator();
    const cookies = await cookiesOf(fan);
    const results = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const res = await api(`/postings/${id}/like`, {
          method: i % 2 === 0 ? 'POST' : 'DELETE',
          cookies,
        });
        return `${res.status}${res.status >= 400 ? ` ${await res.text()}` : ''}`;
      }),
    );
    const wrong = results.filter((r) => r !== '201' && r !== '200');
    expect(wrong, wrong.slice(0, 3).join('\n')).toEqual([]);
    const [row] = await db
      .select({ n: postings.likeCount })
      .from(postings)
      .where(eq(postings.id, id));
    const rows = await db.select().from(postingLikes).where(eq(postingLikes.postingId, id));
    expect(row.n).toBe(rows.length);
    expect(rows.length).toBeLessThanOrEqual(1);
  });

  it('liking what you cannot see is 404', async () => {
    const hidden = await posting({ is_public: false });
    const fan = await makeCreator();
    await expectError(
      await api(`/postings/${hidden}/like`, { method: 'POST', cookies: await cookiesOf(fan) }),
      404,
      'NOT_FOUND',
    );
    await expectError(
      await api(`/postings/${crypto.randomUUID()}/like`, {
        method: 'POST',
        cookies: await cookiesOf(fan),
      }),
      404,
      'NOT_FOUND',
    );
  });
});
