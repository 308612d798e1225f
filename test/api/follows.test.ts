// Follows: both directions, the client's pagination object (page 2 and the last page), and bad input.
import { describe, expect, it } from 'vitest';
import { api, tokenFor } from './auth-helpers.ts';
import { makeCreator } from './economy-helpers.ts';
import { expectError, readJson, type Envelope } from './helpers.ts';

type FollowPage = {
  items: Array<{ userId: string; isFollowedByRequester: boolean }>;
  pagination: {
    page: number;
    limit: number;
    totalCount: number;
    totalPages: number;
    hasNext: boolean;
    hasPrev: boolean;
  };
};
const as = async (userId: string) => ({ cookies: { access_token: await tokenFor(userId) } });

describe('follows', () => {
  it('follow, list both ways with page/limit, and unfollow', async () => {
    const star = await makeCreator();
    const fans = await Promise.all(Array.from({ length: 5 }, () => makeCreator()));
    for (const f of fans) {
      const res = await api(`/follow/${star}`, { method: 'POST', ...(await as(f)) });
      expect(res.status, await res.clone().text()).toBe(201);
    }
    // The star follows back one fan: that fan is "followed by requester" in the star's list.
    expect((await api(`/follow/${fans[0]}`, { method: 'POST', ...(await as(star)) })).status).toBe(
      201,
    );

    const page1 = await readJson<Envelope<FollowPage>>(
      await api('/follow/my-followers?page=1&limit=2', await as(star)),
    );
    expect(page1.body.data.pagination).toEqual({
      page: 1,
      limit: 2,
      totalCount: 5,
      totalPages: 3,
      hasNext: true,
      hasPrev: false,
    });
    const page2 = await readJson<Envelope<FollowPage>>(
      await api('/follow/my-followers?page=2&limit=2', await as(star)),
    );
    expect(page2.body.data.pagination).toMatchObject({ page: 2, hasNext: true, hasPrev: true });
    const last = await readJson<Envelope<FollowPage>>(
      await api(`/follow/public/user/${star}/followers?page=3&limit=2`),
    );
    expect(last.body.data.pagination).toMatchObject({ page: 3, hasNext: false, hasPrev: true });
    expect(last.body.data.items).toHaveLength(1);
    const all = [...page1.body.data.items, ...page2.body.data.items, ...last.body.data.items].map(
      (i) => i.userId,
    );
    expect(new Set(all)).toEqual(new Set(fans));
    const flagged = [...page1.body.data.items, ...page2.body.data.items].concat(
      (
        await readJson<Envelope<FollowPage>>(
          await api('/follow/my-followers?page=3&limit=2', await as(star)),
        )
      ).body.data.items,
    );
    expect(flagged.filter((i) => i.isFollowedByRequester).map((i) => i.userId)).toEqual([fans[0]]);

    const byCursor: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res: { body: Envelope<FollowPage & { nextCursor: string | null }> } = await readJson(
        await api(
          `/follow/public/user/${star}/followers?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        ),
      );
      byCursor.push(...res.body.data.items.map((it) => it.userId));
      cursor = res.body.data.nextCursor;
      if (!cursor) break;
    }
    expect(byCursor).toEqual(all);

    const following = await readJson<Envelope<FollowPage>>(
      await api(`/follow/public/user/${fans[1]}/following`),
    );
    expect(following.body.data.items.map((i) => i.userId)).toEqual([star]);

    expect(
      (await api(`/follow/${star}`, { method: 'DELETE', ...(await as(fans[1])) })).status,
    ).toBe(200);
    const after = await readJson<Envelope<FollowPage>>(
      await api(`/follow/public/user/${star}/followers`),
    );
    expect(after.body.data.pagination.totalCount).toBe(4);
  });

  it('refuses self-follow (400), double follow (409), unknown users (404), and anonymous callers (401)', async () => {
    const a = await makeCreator();
    const b = await makeCreator();
    await expectError(
      await api(`/follow/${a}`, { method: 'POST', ...(await as(a)) }),
      400,
      'CANNOT_FOLLOW_SELF',
    );
    expect((await api(`/follow/${b}`, { method: 'POST', ...(await as(a)) })).status).toBe(201);
    await expectError(
      await api(`/follow/${b}`, { method: 'POST', ...(await as(a)) }),
      409,
      'ALREADY_FOLLOWING',
    );
    await expectError(
      await api(`/follow/${crypto.randomUUID()}`, { method: 'POST', ...(await as(a)) }),
      404,
      'NOT_FOUND',
    );
    await expectError(
      await api(`/follow/${crypto.randomUUID()}`, { method: 'DELETE', ...(await as(a)) }),
      404,
      'NOT_FOUND',
    );
    await expectError(
      await api(`/follow/public/user/${crypto.randomUUID()}/followers`),
      404,
      'NOT_FOUND',
    );
    await expectError(await api(`/follow/${b}`, { method: 'POST' }), 401, 'UNAUTHENTICATED');
    await expectError(
      await api('/follow/my-following?limit=101', await as(a)),
      400,
      'VALIDATION_FAILED',
    );
  });
});
