// The notices board: the web client's list and detail shapes, pinned first, only published and live
// notices for the public, views once per viewer and Korean day (parallel requests count once), and
// the admin client's CRUD with soft delete and restore, admin only.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedNotices } from '../../dev/seed/notices.ts';
import { boardPosts, boardViews, users } from '../../src/db/schema/index.ts';
import { kstDay, recordBoardView } from '../../src/domain/board.ts';
import { api, freshIp, postJson, putJson, tokenFor } from './auth-helpers.ts';
import { db } from './economy-helpers.ts';
import { expectError, readJson, type Envelope } from './helpers.ts';

interface ListItem {
  id: string;
  title: string;
  category: string;
  categoryName: string;
  created_at: string;
  published_at: string | null;
  views: number;
  is_important: boolean;
  excerpt: string;
  author: string;
}
interface Pagination {
  page: number;
  limit: number;
  total: number;
  totalPages: number;
}
interface AdminPost extends Omit<ListItem, 'category' | 'categoryName' | 'excerpt'> {
  content: string;
  excerpt: string | null;
  category: { code: string; name: string };
  is_published: boolean;
  is_deleted: boolean;
  deleted_at: string | null;
  created_by: string;
  updated_by: string | null;
  deleted_by: string | null;
  restored_by: string | null;
}

async function makeUser(
  role: 'user' | 'admin',
): Promise<{ id: string; cookies: Record<string, string> }> {
  const id = crypto.randomUUID();
  await db.insert(users).values({
    id,
    email: `${id}@board.test.crefans.local`,
    handle: `b${id.replace(/-/g, '').slice(0, 12)}`,
    nickname: `b${id.slice(0, 8)}`,
    name: 'board tester',
    status: 'active',
    role,
    confirmedAt: new Date(),
  });
  return { id, cookies: { access_token: await tokenFor(id) } };
}

let admin: { id: string; cookies: Record<string, string> };
let member: { id: string; cookies: Record<string, string> };

const create = async (body: Record<string, unknown>) => {
  const res = await readJson<Envelope<AdminPost>>(
    await postJson('/admin/board', body, { cookies: admin.cookies }),
  );
  expect(res.status, res.text).toBe(201);
  return res.body.data;
};

const list = async (query: string) => {
  const res = await readJson<Envelope<{ posts: ListItem[]; pagination: Pagination }>>(
    await api(`/board?${query}`),
  );
  expect(res.status, res.text).toBe(200);
  return res.body.data;
};

beforeAll(async () => {
  // The board is one global list: start this file from an empty one (the test stack's own
  // database).
  await db.delete(boardViews);
  await db.delete(boardPosts);
  admin = await makeUser('admin');
  member = await makeUser('user');
});

// …and leave it with the demo notices the stack seeded.
afterAll(async () => {
  await db.delete(boardViews);
  await db.delete(boardPosts);
  await seedNotices(db);
});

describe('public board', () => {
  it('lists by category and page, important first; hides drafts and deleted', async () => {
    const plain: AdminPost[] = [];
    for (let i = 0; i < 5; i++)
      plain.push(
        await create({ title: `공지 ${i}`, content: `내용 ${i} `.repeat(40), category: 'NOTICE' }),
      );
    const pinned = await create({
      title: '중요 공지',
      content: '꼭 읽어 주세요',
      category: 'NOTICE',
      is_important: true,
      excerpt: '요약',
    });
    const event = await create({ title: '이벤트', content: '이벤트 내용', category: 'EVENT' });
    const draft = await create({
      title: '초안',
      content: '아직',
      category: 'NOTICE',
      publishNow: false,
    });
    const gone = await create({ title: '삭제될 글', content: '곧 삭제', category: 'NOTICE' });
    const del = await api(`/admin/board/${gone.id}`, { method: 'DELETE', cookies: admin.cookies });
    expect(del.status, await del.clone().text()).toBe(200);

    const page1 = await list('category=NOTICE&page=1&limit=4');
    expect(page1.pagination).toEqual({ page: 1, limit: 4, total: 6, totalPages: 2 });
    expect(page1.posts.map((p) => p.id)).toEqual([
      pinned.id,
      plain[4].id,
      plain[3].id,
      plain[2].id,
    ]);
    expect(page1.posts[0]).toEqual({
      id: pinned.id,
      title: '중요 공지',
      category: 'notice',
      categoryName: '공지사항',
      created_at: expect.any(String),
      published_at: expect.any(String),
      views: 0,
      is_important: true,
      excerpt: '요약',
      author: '크리팬스 관리자',
    });
    // No stored excerpt: the start of the content, shortened.
    expect(page1.posts[1].excerpt.startsWith('내용 4 내용 4')).toBe(true);
    expect(page1.posts[1].excerpt.length).toBeLessThanOrEqual(121);

    const page2 = await list('category=NOTICE&page=2&limit=4');
    expect(page2.posts.map((p) => p.id)).toEqual([plain[1].id, plain[0].id]);
    const events = await list('category=event');
    expect(events.posts.map((p) => p.id)).toEqual([event.id]);
    expect(events.pagination).toEqual({ page: 1, limit: 10, total: 1, totalPages: 1 });
    const all = await list('limit=50');
    expect(all.posts.map((p) => p.id)).not.toContain(draft.id);
    expect(all.posts.map((p) => p.id)).not.toContain(gone.id);
    expect(all.posts).toHaveLength(7);

    for (const hidden of [draft, gone]) {
      await expectError(await api(`/board/${hidden.id}`), 404, 'NOT_FOUND');
      await expectError(
        await api(`/board/${hidden.id}/views`, { method: 'PATCH' }),
        404,
        'NOT_FOUND',
      );
    }
  });

  it('detail has the page fields and counts a view; the PATCH after it does not', async () => {
    const post = await create({ title: '상세', content: '상세 내용', category: 'EVENT' });
    const ip = freshIp();
    const res = await readJson<Envelope<Record<string, unknown>>>(
      await api(`/board/${post.id}`, { ip }),
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body.data).toMatchObject({
      id: post.id,
      title: '상세',
      content: '상세 내용',
      category: 'event',
      views: 1,
      is_important: false,
      author: '크리팬스 관리자',
      created_at: expect.any(String),
      updated_at: expect.any(String),
      published_at: expect.any(String),
    });
    // The client calls PATCH right after the GET: same viewer, same day → not counted twice.
    const patch = await readJson<Envelope<{ views: number; counted: boolean }>>(
      await api(`/board/${post.id}/views`, { method: 'PATCH', ip }),
    );
    expect(patch.body.data, patch.text).toEqual({ views: 1, counted: false });
  });

  it('parallel views count once per address, per signed-in user, per viewer', async () => {
    const post = await create({ title: '조회수', content: '동시 요청', category: 'NOTICE' });
    const ip = freshIp();
    const sameIp = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2
          ? api(`/board/${post.id}`, { ip })
          : api(`/board/${post.id}/views`, { method: 'PATCH', ip }),
      ),
    );
    expect(sameIp.map((r) => r.status)).toEqual(Array(20).fill(200));
    const signedIn = await Promise.all(
      Array.from({ length: 20 }, () =>
        api(`/board/${post.id}/views`, { method: 'PATCH', cookies: member.cookies }),
      ),
    );
    expect(signedIn.map((r) => r.status)).toEqual(Array(20).fill(200));
    const distinct = await Promise.all(
      Array.from({ length: 15 }, () => api(`/board/${post.id}/views`, { method: 'PATCH' })),
    );
    expect(distinct.map((r) => r.status)).toEqual(Array(15).fill(200));
    const [row] = await db
      .select({ views: boardPosts.views })
      .from(boardPosts)
      .where(eq(boardPosts.id, post.id));
    expect(row.views).toBe(1 + 1 + 15);
    const keys = await db.select().from(boardViews).where(eq(boardViews.boardPostId, post.id));
    expect(keys).toHaveLength(17);
    // No address is stored: anonymous viewers are keyed by a hash.
    expect(
      keys.filter((k) => k.viewerKey.startsWith('ip:')).every((k) => !k.viewerKey.includes('.')),
    ).toBe(true);
    expect(keys.filter((k) => k.viewerKey === `u:${member.id}`)).toHaveLength(1);
  });

  it('a day is a Korean day: the viewer counts again after midnight KST (15:00 UTC)', async () => {
    const post = await create({ title: '하루', content: '하루 한 번', category: 'NOTICE' });
    const before = new Date(Date.now() + 86_400_000);
    before.setUTCHours(14, 59, 0, 0);
    const after = new Date(before.getTime() + 60_000);
    expect(kstDay(before)).not.toBe(kstDay(after));
    expect(kstDay(new Date('2026-03-01T14:59:59Z'))).toBe('2026-03-01');
    expect(kstDay(new Date('2026-03-01T15:00:00Z'))).toBe('2026-03-02');
    expect((await recordBoardView(db, post.id, 'u:day-tester', before)).counted).toBe(true);
    expect(
      (await recordBoardView(db, post.id, 'u:day-tester', new Date(before.getTime() + 1000)))
        .counted,
    ).toBe(false);
    expect((await recordBoardView(db, post.id, 'u:day-tester', after)).counted).toBe(true);
  });

  describe.each([
    ['unknown category', '/board?category=NEWS'],
    ['page 0', '/board?page=0'],
    ['limit too large', '/board?limit=500'],
    ['non-numeric page', '/board?page=abc'],
    ['detail id not a uuid', '/board/not-an-id'],
  ])('bad input: %s', (_name, path) => {
    it('is a 400 with a code', async () => {
      await expectError(await api(path), 400, 'VALIDATION_FAILED');
    });
  });

  it('an unknown notice is a 404', async () => {
    await expectError(await api(`/board/${crypto.randomUUID()}`), 404, 'NOT_FOUND');
  });
});

describe('admin board', () => {
  it('create, read, update, soft delete, restore — each names the admin', async () => {
    const created = await create({
      title: '원래 제목',
      content: '원래 내용',
      category: 'NOTICE',
      excerpt: '메모',
      author: '운영팀',
      publishNow: false,
    });
    expect(created).toMatchObject({
      title: '원래 제목',
      category: { code: 'NOTICE', name: '공지사항' },
      is_published: false,
      published_at: null,
      is_deleted: false,
      author: '운영팀',
      excerpt: '메모',
      created_by: admin.id,
    });
    const got = await readJson<Envelope<AdminPost>>(
      await api(`/admin/board/${created.id}`, { cookies: admin.cookies }),
    );
    expect(got.body.data, got.text).toMatchObject({ id: created.id, content: '원래 내용' });

    const updated = await readJson<Envelope<AdminPost>>(
      await putJson(
        `/admin/board/${created.id}`,
        { title: '새 제목', category: 'EVENT', is_important: true, publishNow: true },
        { cookies: admin.cookies },
      ),
    );
    expect(updated.status, updated.text).toBe(200);
    expect(updated.body.data).toMatchObject({
      title: '새 제목',
      content: '원래 내용',
      category: { code: 'EVENT' },
      is_important: true,
      is_published: true,
      updated_by: admin.id,
    });
    expect(updated.body.data.published_at).not.toBeNull();
    expect((await api(`/board/${created.id}`)).status).toBe(200);

    const deleted = await readJson<Envelope<AdminPost>>(
      await api(`/admin/board/${created.id}`, { method: 'DELETE', cookies: admin.cookies }),
    );
    expect(deleted.body.data, deleted.text).toMatchObject({
      is_deleted: true,
      deleted_by: admin.id,
    });
    expect(deleted.body.data.deleted_at).not.toBeNull();
    await expectError(await api(`/board/${created.id}`), 404, 'NOT_FOUND');
    // Editing a deleted notice is refused; deleting again changes nothing.
    await expectError(
      await putJson(`/admin/board/${created.id}`, { title: 'x' }, { cookies: admin.cookies }),
      409,
      'INVALID_STATE',
    );
    expect(
      (await api(`/admin/board/${created.id}`, { method: 'DELETE', cookies: admin.cookies }))
        .status,
    ).toBe(200);

    const live = await readJson<Envelope<{ posts: AdminPost[]; pagination: Pagination }>>(
      await api('/admin/board?category=EVENT&page=1&limit=100', { cookies: admin.cookies }),
    );
    expect(live.body.data.posts.map((p) => p.id)).not.toContain(created.id);
    const withDeleted = await readJson<Envelope<{ posts: AdminPost[]; pagination: Pagination }>>(
      await api('/admin/board?category=EVENT&page=1&limit=100&includeDeleted=true', {
        cookies: admin.cookies,
      }),
    );
    expect(withDeleted.body.data.posts.map((p) => p.id)).toContain(created.id);
    expect(withDeleted.body.data.pagination.total).toBe(live.body.data.pagination.total + 1);

    const restored = await readJson<Envelope<AdminPost>>(
      await api(`/admin/board/${created.id}/restore`, { method: 'PUT', cookies: admin.cookies }),
    );
    expect(restored.body.data, restored.text).toMatchObject({
      is_deleted: false,
      deleted_at: null,
      restored_by: admin.id,
      title: '새 제목',
    });
    expect((await api(`/board/${created.id}`)).status).toBe(200);
  });

  const routes: Array<[string, string, (id: string) => string, unknown?]> = [
    ['GET', 'list', () => '/admin/board'],
    ['GET', 'detail', (id) => `/admin/board/${id}`],
    ['POST', 'create', () => '/admin/board', { title: 't', content: 'c', category: 'NOTICE' }],
    ['PUT', 'update', (id) => `/admin/board/${id}`, { title: 't' }],
    ['DELETE', 'delete', (id) => `/admin/board/${id}`],
    ['PUT', 'restore', (id) => `/admin/board/${id}/restore`],
  ];

  describe.each(routes)('%s %s', (method, _name, path, body) => {
    it('anonymous → 401, a signed-in non-admin → 403, and nothing changes', async () => {
      const post = await create({ title: '권한', content: '권한 테스트', category: 'NOTICE' });
      const init = { method, ...(body ? { body: JSON.stringify(body) } : {}) };
      await expectError(await api(path(post.id), init), 401, 'UNAUTHENTICATED');
      await expectError(
        await api(path(post.id), { ...init, cookies: member.cookies }),
        403,
        'FORBIDDEN',
      );
      const [row] = await db.select().from(boardPosts).where(eq(boardPosts.id, post.id));
      expect(row).toMatchObject({ title: '권한', deletedAt: null });
    });
  });

  describe.each([
    ['missing title', { content: 'c', category: 'NOTICE' }],
    ['empty content', { title: 't', content: '   ', category: 'NOTICE' }],
    ['unknown category', { title: 't', content: 'c', category: 'NEWS' }],
    [
      'is_important not a boolean',
      { title: 't', content: 'c', category: 'NOTICE', is_important: 'yes' },
    ],
    ['title too long', { title: 'x'.repeat(201), content: 'c', category: 'NOTICE' }],
  ])('create with bad input: %s', (_name, body) => {
    it('is a 400 with a code', async () => {
      await expectError(
        await postJson('/admin/board', body, { cookies: admin.cookies }),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  it('a body-less create is a 400; an unknown id is a 404', async () => {
    await expectError(
      await api('/admin/board', {
        method: 'POST',
        cookies: admin.cookies,
        headers: { 'content-type': 'application/json' },
      }),
      400,
      'BAD_REQUEST',
    );
    await expectError(
      await api(`/admin/board/${crypto.randomUUID()}`, { cookies: admin.cookies }),
      404,
      'NOT_FOUND',
    );
    await expectError(
      await api(`/admin/board/${crypto.randomUUID()}/restore`, {
        method: 'PUT',
        cookies: admin.cookies,
      }),
      404,
      'NOT_FOUND',
    );
  });
});
