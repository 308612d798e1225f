// The web client's pages (shared/reference/original-crefans.md §5), one test each: the page's exact
// requests, and every field the page reads in the type it reads it (it calls .toLocaleString() on numbers,
// new Date() on date strings, .map() on arrays). Board, account deletion and media uploads have their own files.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { creators, users } from '../../src/db/schema/index.ts';
import { CREATOR_CATEGORIES } from '../../src/db/reference-data.ts';
import { api, postJson, putJson, tokenFor } from './auth-helpers.ts';
import { db, fund, makeCreator } from './economy-helpers.ts';
import { readJson } from './helpers.ts';

type Kind =
  | 'string'
  | 'number'
  | 'boolean'
  | 'array'
  | 'object'
  | 'string?'
  | 'number?'
  | 'object?'
  | 'null|string'
  | 'any';
type Json = Record<string, unknown>;

/** Asserts each dotted path exists with its kind (`?`: may also be null). */
function expectShape(value: unknown, shape: Record<string, Kind>, where: string) {
  for (const [path, kind] of Object.entries(shape)) {
    const v = path
      .split('.')
      .reduce<unknown>(
        (o, k) => (o === null || o === undefined ? undefined : (o as Json)[k]),
        value,
      );
    const ctx = `${where}: ${path} in ${JSON.stringify(value).slice(0, 1500)}`;
    expect(v, ctx).not.toBeUndefined();
    if (kind === 'any') continue;
    const base = kind.replace('?', '').replace('null|', '');
    if (v === null) {
      expect(kind.includes('?') || kind.startsWith('null|'), ctx).toBe(true);
      continue;
    }
    if (base === 'array') expect(Array.isArray(v), ctx).toBe(true);
    else expect(typeof v, ctx).toBe(base);
  }
}

async function get(path: string, userId?: string) {
  const res = await readJson<{
    success: boolean;
    message?: string;
    data: unknown;
    pagination?: unknown;
  }>(await api(path, userId ? { cookies: { access_token: await tokenFor(userId) } } : {}));
  expect(res.status, `${path}: ${res.text}`).toBe(200);
  expect(res.body.success).toBe(true);
  return res.body;
}
const post = async (path: string, body: unknown, userId: string) => {
  const res = await postJson(path, body, { cookies: { access_token: await tokenFor(userId) } });
  expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
  return (await res.json()) as { data: Json };
};

const FEED_POST: Record<string, Kind> = {
  id: 'string',
  title: 'string',
  content: 'string',
  createdAt: 'string',
  isMembershipOnly: 'boolean',
  isGotMembership: 'boolean',
  allowComments: 'boolean',
  membershipLevel: 'number?',
  allowIndividualPurchase: 'boolean',
  images: 'array',
  media: 'array',
  textLength: 'number',
  imageCount: 'number',
  videoCount: 'number',
  commentCount: 'number',
  likeCount: 'number',
  isLiked: 'boolean',
  hasAccess: 'boolean',
  'creator.id': 'string',
  'creator.handle': 'string',
  'creator.name': 'string',
  'creator.avatar': 'string?',
};

let creator: string;
let handle: string;
let fan: string;
let freePost: string;
let lockedPost: string;
let tierId: string;

beforeAll(async () => {
  creator = await makeCreator();
  fan = await makeCreator();
  await db
    .update(creators)
    .set({ categoryId: CREATOR_CATEGORIES[0].id })
    .where(eq(creators.userId, creator));
  await db.update(users).set({ bio: '소개' }).where(eq(users.id, creator));
  [{ handle }] = await db.select({ handle: users.handle }).from(users).where(eq(users.id, creator));
  tierId = String(
    (
      await post(
        '/membership',
        {
          name: '기본',
          level: 1,
          price: 3300,
          billing_unit: 'MONTH',
          billing_period: 1,
          benefits: '혜택',
        },
        creator,
      )
    ).data.id,
  );
  freePost = String(
    (
      await post(
        '/postings',
        { title: '공개', content: '공개 본문', status: 'PUBLISHED', is_public: true },
        creator,
      )
    ).data.id,
  );
  lockedPost = String(
    (
      await post(
        '/postings',
        {
          title: '멤버',
          content: '멤버 본문',
          status: 'PUBLISHED',
          is_membership: true,
          membership_level: 1,
          is_public: true,
        },
        creator,
      )
    ).data.id,
  );
  await post(`/postings/${freePost}/like`, {}, fan);
  await post(`/follow/${creator}`, {}, fan);
  const top = await post('/comments', { posting_id: freePost, content: '첫 댓글' }, fan);
  await post(
    '/comments',
    { posting_id: freePost, content: '답글', parent_id: top.data.id, tagged_user_id: fan },
    creator,
  );
  await get(`/postings/${freePost}`, fan); // a view
});

describe('web client pages', () => {
  it('AuthContext / LoginModal: GET /auth/me', async () => {
    const { data } = await get('/auth/me', fan);
    expectShape(
      data,
      {
        'user.username': 'string',
        'user.points': 'number',
        'user.isCreator': 'boolean',
        'user.profile': 'object?',
        'user.attributes.email': 'string',
        'user.attributes.email_verified': 'boolean',
        'user.attributes.preferred_username': 'string',
        'user.attributes.name': 'string',
        'user.attributes.sub': 'string',
        'user.attributes.picture': 'string?',
        'user.attributes.nickname': 'string',
        'user.attributes.phone_number': 'string?',
      },
      '/auth/me',
    );
  });

  it('SignUpModal: GET /auth/check-email', async () => {
    expectShape(
      (await get('/auth/check-email?email=nobody%40example.com')).data,
      { exists: 'boolean' },
      'check-email',
    );
  });

  it('Profile: profile, posts, memberships, follower count', async () => {
    const profile = (await get(`/user/profile/${handle}`, fan)).data as Json;
    expectShape(
      profile,
      {
        userSub: 'string',
        name: 'string',
        handle: 'string',
        avatar: 'string?',
        bio: 'string',
        isCreator: 'boolean',
        isVerified: 'boolean',
        category: 'object?',
        followersCount: 'number',
        followingCount: 'number',
        postsCount: 'number',
        mediaCount: 'number',
        isFollowing: 'boolean',
        membershipItems: 'array',
        subscribedMembershipIds: 'array',
        'category.id': 'string',
        'category.name': 'string',
      },
      'profile',
    );
    expect(profile.isFollowing).toBe(true);
    expectShape(
      (profile.membershipItems as Json[])[0],
      {
        id: 'string',
        name: 'string',
        level: 'number',
        price: 'number',
        benefits: 'string',
        billing_unit: 'string',
        billing_period: 'number',
        trial_unit: 'string',
        trial_period: 'number',
      },
      'membershipItems[0]',
    );
    const posts = (await get(`/user/posts/${handle}?limit=20`, fan)).data as Json;
    expectShape(
      posts,
      { posts: 'array', nextCursor: 'null|string', hasMore: 'boolean' },
      'user/posts',
    );
    for (const p of posts.posts as Json[]) expectShape(p, FEED_POST, 'user/posts[]');
    const followers = (await get(`/follow/public/user/${creator}/followers`, fan)).data;
    expectShape(followers, { items: 'array', 'pagination.totalCount': 'number' }, 'followers');
    const following = (await get(`/follow/public/user/${fan}/following`)).data as { items: Json[] };
    expectShape(
      following.items[0],
      { userId: 'string', nickname: 'string', handle: 'string', avatar: 'string?' },
      'following[0]',
    );
    expectShape(
      (await get(`/membership/creator/${creator}`)).data,
      { memberships: 'array' },
      'membership/creator',
    );
  });

  it('post/[id]: GET /postings/:id (free and locked)', async () => {
    for (const id of [freePost, lockedPost]) {
      const data = (await get(`/postings/${id}`, fan)).data;
      expectShape(
        data,
        {
          id: 'string',
          'user.id': 'string',
          'user.handle': 'string',
          'user.name': 'string',
          'user.avatar': 'string?',
          title: 'string',
          content: 'string',
          isMembership: 'boolean',
          isGotMembership: 'boolean',
          hasAccess: 'boolean',
          createdAt: 'string',
          medias: 'array',
          commentCount: 'number',
          likeCount: 'number',
          isLiked: 'boolean',
          membershipLevel: 'number?',
          allowIndividualPurchase: 'boolean',
          individualPurchasePrice: 'number?',
          allowComments: 'boolean',
          isSensitive: 'boolean',
        },
        `/postings/${id}`,
      );
    }
  });

  it('Feed: GET /feed and /feed/public', async () => {
    for (const path of ['/feed?page=1&limit=10&filter=all', '/feed/public?page=1&limit=10']) {
      const body = await get(path, fan);
      expect(Array.isArray(body.data), path).toBe(true);
      expectShape(body, { 'pagination.hasMore': 'boolean' }, path);
      for (const p of body.data as Json[]) expectShape(p, FEED_POST, path);
    }
  });

  it('creator-center: GET /postings/my/list reads total_view_count, like_count, created_at', async () => {
    const data = (await get('/postings/my/list?page=1&limit=10', creator)).data as {
      postings: Json[];
    };
    expectShape(
      data,
      { postings: 'array', total: 'number', page: 'number', limit: 'number' },
      'my/list',
    );
    expect(data.postings.length).toBe(2);
    for (const p of data.postings) {
      expectShape(
        p,
        {
          id: 'string',
          title: 'string',
          isMembership: 'boolean',
          status: 'string',
          total_view_count: 'number',
          like_count: 'number',
          created_at: 'string',
        },
        'my/list[]',
      );
      expect(['DRAFT', 'PUBLISHED', 'ARCHIVED']).toContain(p.status);
      expect(Number.isNaN(new Date(String(p.created_at)).getTime())).toBe(false);
    }
    const liked = data.postings.find((p) => p.id === freePost);
    expect(liked).toMatchObject({
      like_count: 1,
      total_view_count: liked?.totalViewCount,
      created_at: liked?.createdAt,
    });
    expect(Number(liked?.total_view_count)).toBeGreaterThan(0);
  });

  it('creator-center/become-creator: GET /user/creator-categories', async () => {
    const { data } = await get('/user/creator-categories');
    for (const c of data as Json[])
      expectShape(c, { id: 'string', name: 'string', icon: 'string?' }, 'creator-categories[]');
  });

  it('CommentList: GET /comments/posting/:id', async () => {
    const { data } = await get(`/comments/posting/${freePost}`, fan);
    const [top] = data as Json[];
    const shape: Record<string, Kind> = {
      id: 'string',
      author_id: 'string',
      'author.name': 'string',
      'author.handle': 'string',
      'author.avatar': 'string?',
      content: 'string',
      created_at: 'string',
      is_deleted: 'boolean',
      likeCount: 'number',
      isLiked: 'boolean',
    };
    expectShape(top, { ...shape, children: 'array' }, 'comment');
    expectShape((top.children as Json[])[0], { ...shape, 'taggedUser.handle': 'string' }, 'reply');
  });

  it('MainLayout: my-following, billing/my (an array), wallet', async () => {
    const following = (await get('/follow/my-following', fan)).data as { items: Json[] };
    expectShape(
      following.items[0],
      { userId: 'string', nickname: 'string', handle: 'string', avatar: 'string?' },
      'my-following[0]',
    );
    expect(Array.isArray((await get('/subscription/billing/my', fan)).data)).toBe(true);
    await fund(fan, 10);
    const wallet = (await get('/wallet', fan)).data as { wallets: Json[] };
    expectShape(wallet, { wallets: 'array', totalValue: 'number' }, 'wallet');
    expectShape(wallet.wallets[0], { 'tokenType.symbol': 'string', amount: 'number' }, 'wallet[0]');
  });

  it('Explore: categories, new creators, creators by category', async () => {
    for (const c of (await get('/explore/categories')).data as Json[])
      expectShape(
        c,
        { id: 'string', name: 'string', color_code: 'string', icon: 'string?' },
        'explore category',
      );
    for (const path of [
      '/explore/creators/new?limit=50',
      `/explore/creators/by-category/${CREATOR_CATEGORIES[0].id}?limit=50`,
    ]) {
      const data = (await get(path)).data as { creators: Json[] };
      expectShape(data, { creators: 'array', hasMore: 'boolean' }, path);
      expect(data.creators.length, path).toBeGreaterThan(0);
      for (const c of data.creators)
        expectShape(
          c,
          {
            nickname: 'string',
            handle: 'string',
            avatar: 'string?',
            bio: 'string?',
            followerCount: 'number',
            postCount: 'number',
            bannerImage: 'string?',
          },
          path,
        );
    }
    const byCat = (await get(`/explore/creators/by-category/${CREATOR_CATEGORIES[0].id}?limit=50`))
      .data as { creators: Json[] };
    expect(
      byCat.creators.find((c) => c.handle === handle),
      'the creator is listed in its category',
    ).toBeTruthy();
  });

  it('write page: GET /membership (data.memberships) and GET /postings/:id for editing', async () => {
    const mine = (await get('/membership', creator)).data as { memberships: Json[] };
    expect(mine.memberships.map((m) => m.id)).toContain(tierId);
    expectShape(
      mine.memberships[0],
      { id: 'string', name: 'string', level: 'number', price: 'number', description: 'string?' },
      'membership',
    );
    const data = (await get(`/postings/${lockedPost}`, creator)).data;
    expectShape(
      data,
      {
        title: 'string',
        content: 'string',
        isMembership: 'boolean',
        membershipLevel: 'number',
        allowIndividualPurchase: 'boolean',
        individualPurchasePrice: 'number?',
        isSensitive: 'boolean',
        allowComments: 'boolean',
        medias: 'array',
      },
      'edit',
    );
  });

  it('profile/edit, ChargeModal, FollowButton, subscription/manage: the writes the pages make answer success and message', async () => {
    const withCookie = async (userId: string) => ({
      cookies: { access_token: await tokenFor(userId) },
    });
    const bio = await readJson<{ success: boolean }>(
      await putJson('/user/profile', { bio: '새 소개' }, await withCookie(fan)),
    );
    expect(bio.status, bio.text).toBe(200);
    expect(bio.body.success).toBe(true);
    const prepared = await readJson<{ data: Json }>(
      await postJson(
        '/payment/prepare',
        { amount: 3300, orderName: '콩 30개 충전', customerName: '팬' },
        await withCookie(fan),
      ),
    );
    expect(prepared.status, prepared.text).toBeLessThan(300);
    expectShape(prepared.body.data, { orderId: 'string' }, 'payment/prepare');
    const other = await makeCreator();
    for (const method of ['POST', 'DELETE']) {
      const res = await readJson<{ success: boolean; message: string }>(
        await api(`/follow/${other}`, { method, ...(await withCookie(fan)) }),
      );
      expect(res.status, res.text).toBeLessThan(300);
      expectShape(res.body, { success: 'boolean', message: 'string' }, `${method} /follow`);
    }
  });

  it('creator-center: the quick button becomes a creator with "default-category-id"; deleting a posting answers success', async () => {
    const u = await makeCreator();
    await db.delete(creators).where(eq(creators.userId, u));
    const res = await readJson<{ success: boolean; data: { categoryId: string } }>(
      await postJson(
        '/user/become-creator',
        { category_id: 'default-category-id' },
        { cookies: { access_token: await tokenFor(u) } },
      ),
    );
    expect(res.status, res.text).toBe(201);
    expect(res.body.data.categoryId).toBe(CREATOR_CATEGORIES[0].id);
    expect(
      ((await get('/auth/me', u)).data as { user: { isCreator: boolean } }).user.isCreator,
    ).toBe(true);
    const id = String(
      (await post('/postings', { title: '지울 글', content: '본문', status: 'PUBLISHED' }, u)).data
        .id,
    );
    const del = await readJson<{ success: boolean }>(
      await api(`/postings/${id}`, {
        method: 'DELETE',
        cookies: { access_token: await tokenFor(u) },
      }),
    );
    expect(del.status, del.text).toBe(200);
    expect(del.body.success).toBe(true);
    const left = (await get('/postings/my/list?page=1&limit=10', u)).data as {
      postings: Json[];
      total: number;
    };
    expect(left).toMatchObject({ postings: [], total: 0 });
  });
});
