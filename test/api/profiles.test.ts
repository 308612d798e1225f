// Profiles by handle, bio, categories and becoming a creator.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { adminOnly, authRequired } from '../../src/auth/middleware.ts';
import { createDb } from '../../src/db/client.ts';
import { CREATOR_CATEGORIES } from '../../src/db/reference-data.ts';
import { userFollows, users } from '../../src/db/schema/index.ts';
import type { ProfileView } from '../../src/domain/profiles.ts';
import { api, createUser, postJson, putJson, type TestUser } from './auth-helpers.ts';
import { expectError, readJson, type Envelope } from './helpers.ts';

const db = createDb(env.DATABASE_URL);
let creator: TestUser;
let fan: TestUser;
let creatorHandle: string;

type Profile = ProfileView;

beforeAll(async () => {
  creator = await createUser('creator');
  fan = await createUser('fan');
  const [row] = await db
    .select({ handle: users.handle })
    .from(users)
    .where(eq(users.id, creator.sub));
  creatorHandle = row.handle;
});

describe('becoming a creator', () => {
  it('lists the active categories in order', async () => {
    const { body } = await readJson<
      Envelope<Array<{ id: string; name: string; sort_order: number }>>
    >(await api('/user/creator-categories'));
    expect(body.data.map((c) => c.name)).toEqual(CREATOR_CATEGORIES.map((c) => c.name));
  });

  it('refuses an unknown category (404), a malformed one (400), and anonymous callers (401)', async () => {
    await expectError(
      await postJson(
        '/user/become-creator',
        { category_id: crypto.randomUUID() },
        { cookies: creator.cookies },
      ),
      404,
      'NOT_FOUND',
    );
    await expectError(
      await postJson(
        '/user/become-creator',
        { category_id: 'games' },
        { cookies: creator.cookies },
      ),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      await postJson('/user/become-creator', { category_id: CREATOR_CATEGORIES[0].id }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('makes the user a creator once; the second time is 409 (also through the PRD alias)', async () => {
    const status = async () =>
      (
        await readJson<Envelope<{ isCreator: boolean }>>(
          await api('/user/creator-status', { cookies: creator.cookies }),
        )
      ).body.data.isCreator;
    expect(await status()).toBe(false);
    const res = await postJson(
      '/user/become-creator',
      { category_id: CREATOR_CATEGORIES[1].id },
      { cookies: creator.cookies },
    );
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await status()).toBe(true);
    await expectError(
      await postJson(
        '/user/creator',
        { category_id: CREATOR_CATEGORIES[1].id },
        { cookies: creator.cookies },
      ),
      409,
      'ALREADY_CREATOR',
    );
    const me = await readJson<Envelope<{ user: { isCreator: boolean } }>>(
      await api('/auth/me', { cookies: creator.cookies }),
    );
    expect(me.body.data.user.isCreator).toBe(true);
  });
});

describe('role middleware', () => {
  it('admin-only routes: 401 anonymous, 403 for a user, 200 once the user is an admin', async () => {
    const probe = createApp();
    probe.get('/__probe/admin', authRequired, adminOnly, (c) => c.json({ ok: true }));
    const call = (cookies?: Record<string, string>) =>
      probe.request(
        '/__probe/admin',
        {
          headers: cookies
            ? {
                Cookie: Object.entries(cookies)
                  .map(([k, v]) => `${k}=${v}`)
                  .join('; '),
              }
            : {},
        },
        env,
      );
    await expectError(await call(), 401, 'UNAUTHENTICATED');
    await expectError(await call(fan.cookies), 403, 'FORBIDDEN');
    await db.update(users).set({ role: 'admin' }).where(eq(users.id, fan.sub));
    expect((await call(fan.cookies)).status).toBe(200);
    await db.update(users).set({ role: 'user' }).where(eq(users.id, fan.sub));
  });
});

describe('GET /user/profile/:handle', () => {
  it('returns the fields the client reads, with counts from the database', async () => {
    await db.insert(userFollows).values({ followerId: fan.sub, followingId: creator.sub });
    const anon = await readJson<Envelope<Profile>>(
      await api(`/user/profile/${encodeURIComponent(creatorHandle)}`),
    );
    expect(anon.status, anon.text).toBe(200);
    expect(anon.body.data).toMatchObject({
      id: creator.sub,
      userSub: creator.sub,
      handle: creatorHandle,
      name: creator.nickname,
      bio: '소개글을 준비중입니다',
      isCreator: true,
      isVerified: false,
      followersCount: 1,
      followingCount: 0,
      postsCount: 0,
      mediaCount: 0,
      isFollowing: false,
      category: { id: CREATOR_CATEGORIES[1].id, name: CREATOR_CATEGORIES[1].name },
      membershipItems: [],
      hasSubscription: false,
      subscribedMembershipIds: [],
    });
    const asFan = await readJson<Envelope<Profile>>(
      await api(`/user/profile/${encodeURIComponent(creatorHandle)}`, { cookies: fan.cookies }),
    );
    expect(asFan.body.data.isFollowing).toBe(true);
  });

  it('is 404 for an unknown handle', async () => {
    await expectError(await api('/user/profile/no_such_handle_x'), 404, 'NOT_FOUND');
  });

  it('PUT /user/profile updates the bio (and validates it)', async () => {
    const res = await putJson(
      '/user/profile',
      { bio: '안녕하세요, 크리에이터입니다.' },
      { cookies: creator.cookies },
    );
    expect(res.status, await res.clone().text()).toBe(200);
    const profile = await readJson<Envelope<Profile>>(
      await api(`/user/profile/${encodeURIComponent(creatorHandle)}`),
    );
    expect(profile.body.data.bio).toBe('안녕하세요, 크리에이터입니다.');
    await expectError(
      await putJson('/user/profile', { bio: 'x'.repeat(501) }, { cookies: creator.cookies }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(await putJson('/user/profile', { bio: 'hi' }), 401, 'UNAUTHENTICATED');
  });
});
