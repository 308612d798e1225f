// Explore: categories, new creators and creators by category, with counts from two grouped queries.
import { eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { CREATOR_CATEGORIES } from '../../src/db/reference-data.ts';
import { creators, userFollows } from '../../src/db/schema/index.ts';
import { api, postJson, tokenFor } from './auth-helpers.ts';
import { db, makeCreator } from './economy-helpers.ts';
import { expectError } from './helpers.ts';

type CreatorsBody = {
  data: {
    creators: Array<{
      id: string;
      followerCount: number;
      postCount: number;
      isNew: boolean;
      category: { id: string } | null;
    }>;
    nextCursor: string | null;
    hasMore: boolean;
    category?: { id: string };
  };
};

describe('explore', () => {
  it('lists the active categories', async () => {
    const res = await api('/explore/categories');
    const body = (await res.json()) as { data: Array<{ name: string; is_active: boolean }> };
    expect(body.data.map((c) => c.name)).toEqual(CREATOR_CATEGORIES.map((c) => c.name));
  });

  it('pages the creators of a category by cursor with follower and post counts, at a constant cost', async () => {
    const category = CREATOR_CATEGORIES[5].id;
    const ids = [await makeCreator(), await makeCreator(), await makeCreator()];
    await db.update(creators).set({ categoryId: category }).where(inArray(creators.userId, ids));
    await db.insert(userFollows).values([
      { followerId: ids[1], followingId: ids[0] },
      { followerId: ids[2], followingId: ids[0] },
    ]);
    await postJson(
      '/postings',
      { title: 'x', content: 'y', status: 'PUBLISHED' },
      { cookies: { access_token: await tokenFor(ids[0]) } },
    );
    const seen: CreatorsBody['data']['creators'] = [];
    let cursor: string | null = null;
    const trips: number[] = [];
    do {
      const res = await api(
        `/explore/creators/by-category/${category}?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      trips.push(Number(res.headers.get('x-db-round-trips')));
      const body = (await res.json()) as CreatorsBody;
      expect(body.data.category?.id).toBe(category);
      seen.push(...body.data.creators);
      cursor = body.data.nextCursor;
    } while (cursor && seen.length < 50);
    const mine = seen.filter((c) => ids.includes(c.id));
    expect(mine.map((c) => c.id)).toEqual([...ids].reverse());
    expect(mine.find((c) => c.id === ids[0])).toMatchObject({
      followerCount: 2,
      postCount: 1,
      isNew: true,
      category: { id: category },
    });
    const wide = await api(`/explore/creators/by-category/${category}?limit=50`);
    expect(Number(wide.headers.get('x-db-round-trips'))).toBe(trips[0]);
  });

  it('new creators are the last 30 days only; unknown categories are 404', async () => {
    const fresh = await makeCreator();
    const old = await makeCreator();
    await db
      .update(creators)
      .set({ createdAt: new Date(Date.now() - 40 * 86_400_000) })
      .where(eq(creators.userId, old));
    const res = await api('/explore/creators/new?limit=50');
    const body = (await res.json()) as CreatorsBody;
    expect(body.data.creators.every((c) => c.isNew)).toBe(true);
    expect(body.data.creators.map((c) => c.id)).toContain(fresh);
    expect(body.data.creators.map((c) => c.id)).not.toContain(old);
    await expectError(
      await api(`/explore/creators/by-category/${crypto.randomUUID()}`),
      404,
      'NOT_FOUND',
    );
    await expectError(await api('/explore/creators/new?limit=0'), 400, 'VALIDATION_FAILED');
  });
});
