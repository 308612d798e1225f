// Feeds: what each kind of viewer gets, previews for locked postings, stable cursors under inserts, page/limit,
// and a constant number of database round trips whatever the page size.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { postings, userFollows } from '../../src/db/schema/index.ts';
import { api, postJson, tokenFor } from './auth-helpers.ts';
import { db, fund, makeCreator, makeTier } from './economy-helpers.ts';

const as = async (userId: string) => ({ cookies: { access_token: await tokenFor(userId) } });
type Feed = {
  success: boolean;
  data: Array<{
    id: string;
    content: string;
    hasAccess: boolean;
    creator: { id: string };
    isMembershipOnly: boolean;
  }>;
  pagination: {
    hasMore: boolean;
    nextCursor: string | null;
    page: number | null;
    total: number | null;
    source: string;
  };
};

let followed: string;
let subscribed: string;
let unrelated: string;
let fan: string;
const made: Record<string, string[]> = {};

async function publish(author: string, body: Record<string, unknown> = {}): Promise<string> {
  const res = await postJson(
    '/postings',
    { title: 'feed', content: `feed-content-${crypto.randomUUID()}`, status: 'PUBLISHED', ...body },
    await as(author),
  );
  expect(res.status, await res.clone().text()).toBe(201);
  const id = ((await res.json()) as { data: { id: string } }).data.id;
  (made[author] ??= []).push(id);
  await new Promise((r) => setTimeout(r, 3));
  return id;
}

async function feed(
  path: string,
  userId: string | null,
): Promise<{ body: Feed; roundTrips: number }> {
  const res = await api(path, userId ? await as(userId) : {});
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return {
    body: JSON.parse(text) as Feed,
    roundTrips: Number(res.headers.get('x-db-round-trips')),
  };
}

beforeAll(async () => {
  [followed, subscribed, unrelated, fan] = [
    await makeCreator(),
    await makeCreator(),
    await makeCreator(),
    await makeCreator(),
  ];
  const tier = await makeTier(subscribed, { level: 2, price: 10 });
  for (let i = 0; i < 3; i++) await publish(followed);
  await publish(followed, { is_membership: true, membership_level: 1 });
  await publish(subscribed, { is_membership: true, membership_level: 2 });
  await publish(subscribed);
  await publish(unrelated);
  await db.insert(userFollows).values({ followerId: fan, followingId: followed });
  await fund(fan, 100);
  const sub = await api(`/subscription/membership/${tier.id}`, {
    method: 'POST',
    ...(await as(fan)),
  });
  expect(sub.status).toBe(201);
});

describe('GET /feed', () => {
  it('a follower and subscriber sees exactly their creators, locked ones as previews', async () => {
    const { body } = await feed('/feed?limit=50', fan);
    expect(body.pagination.source).toBe('personal');
    const ids = body.data.map((p) => p.id);
    expect(new Set(ids)).toEqual(new Set([...made[followed], ...made[subscribed]]));
    const locked = body.data.find((p) => p.id === made[followed][3]);
    expect(locked).toMatchObject({ hasAccess: false, content: '' });
    const paid = body.data.find((p) => p.id === made[subscribed][0]);
    expect(paid?.hasAccess).toBe(true);
    const members = await feed('/feed?limit=50&filter=membership', fan);
    expect(new Set(members.body.data.map((p) => p.id))).toEqual(
      new Set([made[followed][3], made[subscribed][0]]),
    );
    const open = await feed('/feed?limit=50&filter=public', fan);
    expect(open.body.data.every((p) => !p.isMembershipOnly)).toBe(true);
  });

  it('a viewer who follows no one, and an anonymous one, get the discover feed — never an empty page by accident', async () => {
    for (const viewer of [unrelated, null]) {
      const { body } = await feed('/feed?limit=20', viewer);
      expect(body.pagination.source).toBe('discover');
      expect(body.data.length).toBeGreaterThan(0);
      for (const p of body.data) if (!p.hasAccess) expect(p.content).toBe('');
    }
  });

  it('a viewer whose creators have nothing live yet gets discover on every page, while a real personal feed that runs out ends', async () => {
    const quiet = await makeCreator();
    const newcomer = await makeCreator();
    await db.insert(userFollows).values({ followerId: newcomer, followingId: quiet });
    const first = await feed('/feed?page=1&limit=2', newcomer);
    expect(first.body.pagination.source).toBe('discover');
    expect(first.body.data.length).toBe(2);
    const second = await feed('/feed?page=2&limit=2', newcomer);
    expect(second.body.pagination.source).toBe('discover');
    expect(second.body.data.map((p) => p.id)).not.toContain(first.body.data[0].id);
    // The fan's personal feed has postings: a page past its end is empty and stays personal.
    const past = await feed('/feed?page=50&limit=20', fan);
    expect(past.body.pagination.source).toBe('personal');
    expect(past.body.data).toEqual([]);
  });

  it('cursor pages stay stable when postings are published between pages (no duplicates, no gaps)', async () => {
    const first = await feed('/feed?limit=3', fan);
    const before = [...made[followed], ...made[subscribed]];
    await publish(followed);
    await publish(subscribed);
    const seen = first.body.data.map((p) => p.id);
    let cursor = first.body.pagination.nextCursor;
    while (cursor) {
      const next = await feed(`/feed?limit=3&cursor=${cursor}`, fan);
      seen.push(...next.body.data.map((p) => p.id));
      cursor = next.body.pagination.nextCursor;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(new Set(seen)).toEqual(new Set(before));
  });

  it('page/limit: page 2 and the last page, the same postings as the cursor walk', async () => {
    const byPage: string[] = [];
    let page = 1;
    for (; page < 50; page++) {
      const res = await feed(`/feed?page=${page}&limit=2`, fan);
      expect(res.body.pagination.page).toBe(page);
      byPage.push(...res.body.data.map((p) => p.id));
      if (page === 2) expect(res.body.pagination.hasMore).toBe(true);
      if (!res.body.pagination.hasMore) break;
    }
    const total = [...made[followed], ...made[subscribed]].length;
    expect(page).toBe(Math.ceil(total / 2));
    expect(new Set(byPage)).toEqual(new Set([...made[followed], ...made[subscribed]]));
    expect(byPage).toHaveLength(total);
  });

  it('costs the same number of database round trips for 5, 20 and 50 postings', async () => {
    const counts: number[] = [];
    for (const limit of [5, 20, 50])
      counts.push((await feed(`/feed/public?limit=${limit}`, fan)).roundTrips);
    for (const limit of [5, 20, 50])
      counts.push((await feed(`/feed?limit=${limit}`, fan)).roundTrips);
    expect(
      counts.slice(0, 3).every((n) => n === counts[0]),
      counts.join(),
    ).toBe(true);
    expect(
      counts.slice(3).every((n) => n === counts[3]),
      counts.join(),
    ).toBe(true);
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[3]).toBeLessThanOrEqual(12);
  });
});

describe('GET /feed/public', () => {
  it('has no membership postings; popular puts the liked posting first', async () => {
    const { body } = await feed('/feed/public?limit=50', null);
    expect(body.data.every((p) => !p.isMembershipOnly)).toBe(true);
    const star = await publish(unrelated);
    await db
      .update(postings)
      .set({ likeCount: 10_000, uniqueViewCount: 10_000 })
      .where(eq(postings.id, star));
    const popular = await feed('/feed/public?sort=popular&limit=5', null);
    expect(popular.body.data[0].id).toBe(star);
  });
});
