// Leak matrix for the posting channels built so far (detail, a user's posts, my list): nine viewers ×
// eight kinds of posting, every cell asserted, and no locked text anywhere in any response body.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { CREATOR_CATEGORIES } from '../../src/db/reference-data.ts';
import {
  medias,
  postingPurchases,
  subscriptions,
  userFollows,
  users,
} from '../../src/db/schema/index.ts';
import { api, createUser, postJson, type TestUser } from './auth-helpers.ts';
import { db, fund } from './economy-helpers.ts';
import { expectError, readJson, type Envelope } from './helpers.ts';

const KINDS = [
  'public',
  'members3',
  'purchaseOnly',
  'draft',
  'scheduled',
  'archived',
  'hidden',
  'deleted',
] as const;
const VIEWERS = [
  'anonymous',
  'stranger',
  'follower',
  'belowLevel',
  'atLevel',
  'lapsed',
  'purchaser',
  'author',
  'admin',
] as const;
type Kind = (typeof KINDS)[number];
type ViewerKey = (typeof VIEWERS)[number];
type Cell = 'full' | 'preview' | 'none';

// prettier-ignore
const DETAIL: Record<Kind, Partial<Record<ViewerKey, Cell>> & { rest: Cell }> = {
  public:       { rest: 'full' },
  members3:     { rest: 'preview', atLevel: 'full', purchaser: 'full', author: 'full', admin: 'full' },
  purchaseOnly: { rest: 'preview', purchaser: 'full', author: 'full', admin: 'full' },
  draft:        { rest: 'none', author: 'full', admin: 'full' },
  scheduled:    { rest: 'none', author: 'full', admin: 'full' },
  archived:     { rest: 'none', author: 'full', admin: 'full' },
  hidden:       { rest: 'none', author: 'full', admin: 'full' },
  deleted:      { rest: 'none' },
};
const expected = (kind: Kind, viewer: ViewerKey): Cell => DETAIL[kind][viewer] ?? DETAIL[kind].rest;

let author: TestUser;
let authorHandle: string;
const people = {} as Record<Exclude<ViewerKey, 'anonymous'>, TestUser>;
const postingIds = {} as Record<Kind, string>;
const secrets = {} as Record<Kind, string>;
const commentSecrets = {} as Record<Kind, string>;
const freeMedia = {} as Record<Kind, string>;
const lockedMedia = {} as Record<Kind, string>;

const as = (viewer: ViewerKey) =>
  viewer === 'anonymous'
    ? {}
    : { cookies: people[viewer as Exclude<ViewerKey, 'anonymous'>].cookies };

beforeAll(async () => {
  author = await createUser('leak-author');
  expect(
    (
      await postJson(
        '/user/become-creator',
        { category_id: CREATOR_CATEGORIES[2].id },
        { cookies: author.cookies },
      )
    ).status,
  ).toBe(201);
  const tier = (level: number, price: number) =>
    postJson(
      '/membership',
      { name: `L${level}`, benefits: 'x', level, price, billing_unit: 'MONTH', billing_period: 1 },
      { cookies: author.cookies },
    ).then(async (r) => ((await r.json()) as { data: { id: string } }).data.id);
  const tier1 = await tier(1, 10);
  const tier3 = await tier(3, 30);
  const create = async (kind: Kind, body: Record<string, unknown>) => {
    secrets[kind] = `SECRET-${kind}-${crypto.randomUUID()}`;
    const [free, locked] = [crypto.randomUUID(), crypto.randomUUID()];
    freeMedia[kind] = free;
    lockedMedia[kind] = locked;
    for (const id of [free, locked]) {
      await db.insert(medias).values({
        id,
        ownerId: author.sub,
        type: 'image',
        originalName: `${id}.jpg`,
        mimeType: 'image/jpeg',
        fileSize: 1,
        storageKey: `test/${id}`,
        status: 'ready',
      });
    }
    const res = await postJson(
      '/postings',
      {
        title: `title ${kind}`,
        content: secrets[kind],
        status: 'PUBLISHED',
        media_ids: [free, locked],
        free_preview_media_ids: [free],
        ...body,
      },
      { cookies: author.cookies },
    );
    expect(res.status, await res.clone().text()).toBe(201);
    postingIds[kind] = ((await res.json()) as { data: { id: string } }).data.id;
  };
  await create('public', {});
  await create('members3', {
    is_membership: true,
    membership_level: 3,
    allow_individual_purchase: true,
    individual_purchase_price_kng: 25,
  });
  await create('purchaseOnly', {
    allow_individual_purchase: true,
    individual_purchase_price_kng: 15,
  });
  await create('draft', { status: 'DRAFT' });
  await create('scheduled', { publish_start_at: new Date(Date.now() + 86_400_000).toISOString() });
  await create('archived', { status: 'ARCHIVED' });
  await create('hidden', { is_public: false });
  await create('deleted', {});
  for (const kind of KINDS) {
    commentSecrets[kind] = `COMMENT-${kind}-${crypto.randomUUID()}`;
    const res = await postJson(
      '/comments',
      { posting_id: postingIds[kind], content: commentSecrets[kind] },
      { cookies: author.cookies },
    );
    expect(res.status, await res.clone().text()).toBe(201);
  }
  expect(
    (await api(`/postings/${postingIds.deleted}`, { method: 'DELETE', cookies: author.cookies }))
      .status,
  ).toBe(200);
  const [row] = await db
    .select({ handle: users.handle })
    .from(users)
    .where(eq(users.id, author.sub));
  authorHandle = row.handle;

  for (const key of VIEWERS) {
    if (key === 'anonymous') continue;
    people[key] = key === 'author' ? author : await createUser(`leak-${key}`);
  }
  await db.insert(userFollows).values({ followerId: people.follower.sub, followingId: author.sub });
  for (const [key, tierId] of [
    ['belowLevel', tier1],
    ['atLevel', tier3],
    ['lapsed', tier3],
  ] as const) {
    await fund(people[key].sub, 100);
    const res = await api(`/subscription/membership/${tierId}`, {
      method: 'POST',
      cookies: people[key].cookies,
    });
    expect(res.status, await res.clone().text()).toBe(201);
  }
  await db
    .update(subscriptions)
    .set({ status: 'expired', currentPeriodEnd: new Date(Date.now() - 1000), endedAt: new Date() })
    .where(eq(subscriptions.subscriberId, people.lapsed.sub));
  for (const kind of KINDS) {
    await db.insert(postingPurchases).values({
      postingId: postingIds[kind],
      buyerId: people.purchaser.sub,
      price: 1,
      transferId: crypto.randomUUID(),
    });
  }
  await db.update(users).set({ role: 'admin' }).where(eq(users.id, people.admin.sub));
});

function assertNoLockedText(body: string, viewer: ViewerKey, shown: Partial<Record<Kind, Cell>>) {
  for (const kind of KINDS) {
    if (shown[kind] !== 'full') {
      expect(body.includes(secrets[kind]), `${viewer} must not see ${kind}'s content`).toBe(false);
      expect(body.includes(commentSecrets[kind]), `${viewer} must not see ${kind}'s comments`).toBe(
        false,
      );
      expect(
        body.includes(lockedMedia[kind]),
        `${viewer} must not see ${kind}'s locked media`,
      ).toBe(false);
    }
    if (shown[kind] === undefined)
      expect(body.includes(freeMedia[kind]), `${viewer} must not see ${kind}'s media at all`).toBe(
        false,
      );
  }
}

type View = {
  id: string;
  content: string;
  access: string;
  medias: Array<{ id: string; mediaUrl: string }>;
  media: Array<{ id: string }>;
  hasAccess: boolean;
  offer: {
    unlockPrice: number | null;
    requiredLevel: number | null;
    cheapestTier: { level: number } | null;
  } | null;
};

describe('detail: GET /postings/:id', () => {
  const cells = KINDS.flatMap((kind) =>
    VIEWERS.map((viewer) => [kind, viewer, expected(kind, viewer)] as const),
  );
  it.each(cells)('%s seen by %s → %s', async (kind, viewer, cell) => {
    const res = await api(`/postings/${postingIds[kind]}`, as(viewer));
    const text = await res.clone().text();
    if (cell === 'none') {
      await expectError(res, 404, 'NOT_FOUND');
    } else {
      const { status, body } = await readJson<Envelope<View>>(res);
      expect(status, text).toBe(200);
      expect(body.data.access).toBe(cell);
      expect(body.data.content).toBe(cell === 'full' ? secrets[kind] : '');
      const mediaIds = body.data.medias.map((m) => m.id);
      expect(mediaIds).toEqual(
        cell === 'full' ? [freeMedia[kind], lockedMedia[kind]] : [freeMedia[kind]],
      );
      // The FeedPost spelling of the same facts.
      expect(body.data).toMatchObject({
        isMembershipOnly: kind === 'members3',
        creator: { id: author.sub },
        textLength: cell === 'full' ? secrets[kind].length : 0,
        imageCount: mediaIds.length,
        lockedMediaCount: 2 - mediaIds.length,
      });
      expect(body.data.media.map((m) => m.id)).toEqual(mediaIds);
      if (cell === 'preview') expect(body.data.offer).not.toBeNull();
      expect(res.headers.get('cache-control')).toContain('private');
    }
    assertNoLockedText(text, viewer, { [kind]: cell });
  });

  it('a locked members posting offers the level-3 tier and the unlock price', async () => {
    const { body } = await readJson<Envelope<View>>(
      await api(`/postings/${postingIds.members3}`, as('belowLevel')),
    );
    // 25 KNG, shown as 2,750원 (the tier's price the same way: KRW with its KNG beside it).
    expect(body.data.offer).toMatchObject({
      unlockPrice: 2750,
      unlockPriceKng: 25,
      requiredLevel: 3,
      cheapestTier: { level: 3 },
    });
  });
});

describe('comments: GET /comments/posting/:id and POST /comments', () => {
  const cells = KINDS.flatMap((kind) =>
    VIEWERS.map((viewer) => [kind, viewer, expected(kind, viewer)] as const),
  );
  it.each(cells)('%s by %s (%s)', async (kind, viewer, cell) => {
    const list = await api(`/comments/posting/${postingIds[kind]}`, as(viewer));
    const text = await list.clone().text();
    if (cell === 'none') await expectError(list, 404, 'NOT_FOUND');
    else if (cell === 'preview') await expectError(list, 403, 'CONTENT_LOCKED');
    else {
      expect(list.status, text).toBe(200);
      expect(text).toContain(commentSecrets[kind]);
    }
    assertNoLockedText(text, viewer, { [kind]: cell });
    const write = await postJson(
      '/comments',
      { posting_id: postingIds[kind], content: `from ${viewer}` },
      as(viewer),
    );
    if (viewer === 'anonymous') await expectError(write, 401, 'UNAUTHENTICATED');
    else if (cell === 'none') await expectError(write, 404, 'NOT_FOUND');
    else if (cell === 'preview') await expectError(write, 403, 'CONTENT_LOCKED');
    else expect(write.status, await write.clone().text()).toBe(201);
  });
});

describe('media URLs: GET /media/image/:id', () => {
  const cells = KINDS.flatMap((kind) =>
    VIEWERS.map((viewer) => [kind, viewer, expected(kind, viewer)] as const),
  );
  it.each(cells)('%s media for %s (%s)', async (kind, viewer, cell) => {
    // The owner may always fetch their own files; for everyone else the posting's gate decides.
    const free = viewer === 'author' ? 302 : cell === 'none' ? 404 : 302;
    const locked =
      viewer === 'author' ? 302 : cell === 'full' ? 302 : cell === 'preview' ? 403 : 404;
    for (const [mediaId, status] of [
      [freeMedia[kind], free],
      [lockedMedia[kind], locked],
    ] as const) {
      const res = await api(`/media/image/${mediaId}`, { ...as(viewer), redirect: 'manual' });
      const text = await res.clone().text();
      expect(res.status, `${mediaId}: ${text}`).toBe(status);
      if (status === 302) {
        const location = new URL(res.headers.get('location') ?? '');
        expect(location.pathname).toBe(`/crefans-media/test/${mediaId}`);
        expect(location.searchParams.get('X-Amz-Expires')).toBe('300');
        expect(location.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
        expect(res.headers.get('cache-control')).toBe('private, no-store');
      } else {
        expect(res.headers.get('location')).toBeNull();
        expect(text).not.toContain('X-Amz-Signature');
      }
    }
  });
});

describe("a user's posts: GET /user/posts/:handle", () => {
  it.each(VIEWERS)(
    'as %s: only live postings, each at the access the gate gives',
    async (viewer) => {
      const res = await api(`/user/posts/${encodeURIComponent(authorHandle)}?limit=50`, as(viewer));
      const text = await res.clone().text();
      const { status, body } = await readJson<Envelope<{ posts: View[] }>>(res);
      expect(status, text).toBe(200);
      const byId = new Map(body.data.posts.map((p) => [p.id, p]));
      const shown: Partial<Record<Kind, Cell>> = {};
      for (const kind of KINDS) {
        const live = kind === 'public' || kind === 'members3' || kind === 'purchaseOnly';
        const post = byId.get(postingIds[kind]);
        if (!live) {
          expect(post, `${kind} must not be listed for ${viewer}`).toBeUndefined();
          continue;
        }
        const cell = expected(kind, viewer);
        expect(post?.access, `${kind} for ${viewer}`).toBe(cell);
        shown[kind] = cell;
      }
      assertNoLockedText(text, viewer, shown);
    },
  );
});

describe('the posting list: GET /postings', () => {
  it.each(VIEWERS)(
    'as %s: only live postings, at the access the gate gives, by cursor and by page',
    async (viewer) => {
      for (const query of [
        `user_sub=${author.sub}&limit=50`,
        `user_sub=${author.sub}&page=1&limit=50`,
      ]) {
        const res = await api(`/postings?${query}`, as(viewer));
        const text = await res.clone().text();
        const { body } = await readJson<Envelope<{ postings: View[] }>>(res);
        const shown: Partial<Record<Kind, Cell>> = {};
        for (const kind of KINDS) {
          const post = body.data.postings.find((p) => p.id === postingIds[kind]);
          const live = kind === 'public' || kind === 'members3' || kind === 'purchaseOnly';
          if (!live) {
            expect(post, `${kind} listed for ${viewer}`).toBeUndefined();
            continue;
          }
          shown[kind] = expected(kind, viewer);
          expect(post?.access).toBe(shown[kind]);
        }
        assertNoLockedText(text, viewer, shown);
      }
    },
  );
});

describe('my list: GET /postings/my/list', () => {
  it('shows the author every posting but the deleted one, in full', async () => {
    const { body, text } = await readJson<Envelope<{ postings: View[] }>>(
      await api('/postings/my/list?limit=50', { cookies: author.cookies }),
    );
    const ids = body.data.postings.map((p) => p.id);
    for (const kind of KINDS) expect(ids.includes(postingIds[kind]), kind).toBe(kind !== 'deleted');
    expect(body.data.postings.every((p) => p.access === 'full')).toBe(true);
    expect(text).not.toContain(secrets.deleted);
  });

  it.each(VIEWERS.filter((v) => v !== 'author' && v !== 'anonymous'))(
    "%s's own list holds none of the author's postings",
    async (viewer) => {
      const res = await api('/postings/my/list', as(viewer));
      const text = await res.clone().text();
      expect(res.status).toBe(200);
      assertNoLockedText(text, viewer, {});
      for (const kind of KINDS) expect(text).not.toContain(postingIds[kind]);
    },
  );

  it('anonymous → 401', async () => {
    await expectError(await api('/postings/my/list'), 401, 'UNAUTHENTICATED');
  });
});

describe('writing postings', () => {
  it("editing or deleting another user's posting is 404; a fan cannot make paid postings (403)", async () => {
    const fan = people.stranger;
    await expectError(
      await api(`/postings/${postingIds.public}`, {
        method: 'PATCH',
        cookies: fan.cookies,
        body: JSON.stringify({ title: 'mine now' }),
      }),
      404,
      'NOT_FOUND',
    );
    await expectError(
      await api(`/postings/${postingIds.public}`, { method: 'DELETE', cookies: fan.cookies }),
      404,
      'NOT_FOUND',
    );
    await expectError(
      await postJson(
        '/postings',
        { title: 't', content: 'c', is_membership: true, membership_level: 2 },
        { cookies: fan.cookies },
      ),
      403,
      'FORBIDDEN',
    );
    const free = await postJson(
      '/postings',
      { title: 'fan post', content: 'hello', status: 'PUBLISHED' },
      { cookies: fan.cookies },
    );
    expect(free.status).toBe(201);
  });

  it('attaching media that is not yours is 404, and bad input is 400', async () => {
    await expectError(
      await postJson(
        '/postings',
        { title: 't', content: 'c', media_ids: [crypto.randomUUID()] },
        { cookies: author.cookies },
      ),
      404,
      'NOT_FOUND',
    );
    // Someone else's real media.
    await expectError(
      await postJson(
        '/postings',
        { title: 't', content: 'c', media_ids: [lockedMedia.public] },
        { cookies: people.stranger.cookies },
      ),
      404,
      'NOT_FOUND',
    );
    await expectError(
      await postJson('/postings', { title: '', content: 'c' }, { cookies: author.cookies }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      await postJson(
        '/postings',
        { title: 't', content: 'c', status: 'LIVE' },
        { cookies: author.cookies },
      ),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      await postJson(
        '/postings',
        { title: 't', content: 'c', allow_individual_purchase: true },
        { cookies: author.cookies },
      ),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      await postJson(
        '/postings',
        {
          title: 't',
          content: 'c',
          publish_start_at: '2031-01-02T00:00:00Z',
          publish_end_at: '2031-01-01T00:00:00Z',
        },
        { cookies: author.cookies },
      ),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(await api('/postings/not-a-uuid'), 400, 'VALIDATION_FAILED');
  });

  it('the author edits a draft into a published posting that others then see', async () => {
    const created = await postJson(
      '/postings',
      { title: 'later', content: 'draft text', status: 'DRAFT' },
      { cookies: author.cookies },
    );
    const id = ((await created.json()) as { data: { id: string } }).data.id;
    await expectError(await api(`/postings/${id}`, as('stranger')), 404, 'NOT_FOUND');
    const edit = await api(`/postings/${id}`, {
      method: 'PATCH',
      cookies: author.cookies,
      body: JSON.stringify({ status: 'PUBLISHED', content: 'now public' }),
    });
    expect(edit.status, await edit.clone().text()).toBe(200);
    const seen = await readJson<Envelope<View>>(await api(`/postings/${id}`, as('stranger')));
    expect(seen.body.data).toMatchObject({ content: 'now public', access: 'full' });
  });
});
