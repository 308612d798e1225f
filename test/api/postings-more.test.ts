// Posting lists (cursor and page/limit, both ways), scheduled publishing with a controlled clock, view
// counting and reports.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { postings } from '../../src/db/schema/index.ts';
import { getPostingView } from '../../src/domain/postings.ts';
import { api, postJson, tokenFor } from './auth-helpers.ts';
import { db, makeCreator } from './economy-helpers.ts';
import { code, expectError, readJson, type Envelope } from './helpers.ts';

const as = async (userId: string) => ({ cookies: { access_token: await tokenFor(userId) } });
type ListBody = Envelope<{
  postings: Array<{ id: string; title: string }>;
  nextCursor: string | null;
  hasMore: boolean;
  page?: number;
  total?: number;
  totalPages?: number;
}>;

let author: string;
const ids: string[] = [];

beforeAll(async () => {
  author = await makeCreator();
  for (let i = 0; i < 5; i++) {
    const res = await postJson(
      '/postings',
      { title: `list ${i}`, content: `c${i}`, status: 'PUBLISHED' },
      await as(author),
    );
    ids.push(((await res.json()) as { data: { id: string } }).data.id);
    await new Promise((r) => setTimeout(r, 5));
  }
  await postJson(
    '/postings',
    { title: 'list draft', content: 'd', status: 'DRAFT' },
    await as(author),
  );
});

describe('lists: page/limit and cursor give the same pages', () => {
  it.each([
    ['GET /postings?user_sub=', (q: string) => `/postings?user_sub=${author}&${q}`, false],
    ['GET /postings/my/list', (q: string) => `/postings/my/list?${q}`, true],
  ])('%s', async (_name, url, own) => {
    const cookies = await as(author);
    const expected = own ? 6 : 5;
    const byPage: string[] = [];
    for (let page = 1; page <= 3; page++) {
      const res = await readJson<ListBody>(await api(url(`page=${page}&limit=2`), cookies));
      expect(res.status, res.text).toBe(200);
      expect(res.body.data).toMatchObject({
        page,
        total: expected,
        totalPages: 3,
        hasMore: page < 3,
      });
      byPage.push(...res.body.data.postings.map((p) => p.id));
    }
    expect(byPage).toHaveLength(expected);
    const byCursor: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res: { body: ListBody } = await readJson<ListBody>(
        await api(url(`limit=2${cursor ? `&cursor=${cursor}` : ''}`), cookies),
      );
      byCursor.push(...res.body.data.postings.map((p) => p.id));
      cursor = res.body.data.nextCursor;
      if (!cursor) break;
    }
    expect(byCursor).toEqual(byPage);
    expect(new Set(byPage).size).toBe(expected);
    if (!own) expect(byPage).toEqual([...ids].reverse());
  });

  it('search and bounded limits', async () => {
    const found = await readJson<ListBody>(
      await api(`/postings?user_sub=${author}&search=${encodeURIComponent('list 3')}`),
    );
    expect(found.body.data.postings.map((p) => p.id)).toEqual([ids[3]]);
    const wild = await readJson<ListBody>(
      await api(`/postings?user_sub=${author}&search=${encodeURIComponent('%')}`),
    );
    expect(wild.body.data.postings).toEqual([]);
    await expectError(await api('/postings?limit=51'), 400, 'VALIDATION_FAILED');
    await expectError(await api('/postings?page=0'), 400, 'VALIDATION_FAILED');
    await expectError(await api('/postings?cursor=garbage'), 400, 'VALIDATION_FAILED');
  });
});

describe('scheduled publishing', () => {
  it('a posting scheduled for T is invisible one millisecond before T and visible at T', async () => {
    const at = new Date(Date.now() + 3_600_000);
    const res = await postJson(
      '/postings',
      { title: 'soon', content: 'later', status: 'PUBLISHED', publish_start_at: at.toISOString() },
      await as(author),
    );
    const id = ((await res.json()) as { data: { id: string } }).data.id;
    const stranger = await makeCreator();
    expect(
      await code(getPostingView(db, stranger, id, new Date(at.getTime() - 1), 'http://api.test')),
    ).toBe('NOT_FOUND');
    const seen = await getPostingView(db, stranger, id, at, 'http://api.test');
    expect(seen).toMatchObject({ content: 'later', publishedAt: at.toISOString() });
    await expectError(await api(`/postings/${id}`, await as(stranger)), 404, 'NOT_FOUND');
  });
});

describe('views', () => {
  it('count every view, and each viewer once a day; the author does not count', async () => {
    const id = ids[0];
    const a = await makeCreator();
    const b = await makeCreator();
    await api(`/postings/${id}`, await as(a));
    await api(`/postings/${id}`, await as(a));
    await api(`/postings/${id}`, await as(b));
    await api(`/postings/${id}`, { ip: '198.51.100.7' });
    await api(`/postings/${id}`, { ip: '198.51.100.7' });
    await api(`/postings/${id}`, { ip: '198.51.100.8' });
    await api(`/postings/${id}`, await as(author));
    let row = { total: 0, unique: 0 };
    for (let i = 0; i < 50; i++) {
      const [p] = await db
        .select({ total: postings.totalViewCount, unique: postings.uniqueViewCount })
        .from(postings)
        .where(eq(postings.id, id));
      row = p;
      if (row.total >= 6) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(row).toEqual({ total: 6, unique: 4 });
  });
});

describe('reports', () => {
  it('one open report per reporter and target; only what the reporter can see; clear codes', async () => {
    const reporter = await makeCreator();
    const cookies = await as(reporter);
    const first = await postJson(
      '/reports',
      { target_type: 'POSTING', target_id: ids[1], reason: 'SPAM', description: '광고' },
      cookies,
    );
    expect(first.status, await first.clone().text()).toBe(201);
    await expectError(
      await postJson(
        '/reports',
        { target_type: 'posting', target_id: ids[1], reason: 'other' },
        cookies,
      ),
      409,
      'ALREADY_REPORTED',
    );
    const draft = await postJson(
      '/postings',
      { title: 'x', content: 'y', status: 'DRAFT' },
      await as(author),
    );
    const draftId = ((await draft.json()) as { data: { id: string } }).data.id;
    await expectError(
      await postJson(
        '/reports',
        { target_type: 'posting', target_id: draftId, reason: 'spam' },
        cookies,
      ),
      404,
      'NOT_FOUND',
    );
    expect(
      (
        await postJson(
          '/reports',
          { target_type: 'user', target_id: author, reason: 'harassment' },
          cookies,
        )
      ).status,
    ).toBe(201);
    await expectError(
      await postJson(
        '/reports',
        { target_type: 'user', target_id: reporter, reason: 'spam' },
        cookies,
      ),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      await postJson(
        '/reports',
        { target_type: 'user', target_id: crypto.randomUUID(), reason: 'spam' },
        cookies,
      ),
      404,
      'NOT_FOUND',
    );
    await expectError(
      await postJson(
        '/reports',
        { target_type: 'planet', target_id: author, reason: 'spam' },
        cookies,
      ),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      await postJson(
        '/reports',
        { target_type: 'user', target_id: author, reason: 'boring' },
        cookies,
      ),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      await postJson('/reports', { target_type: 'user', target_id: author, reason: 'spam' }),
      401,
      'UNAUTHENTICATED',
    );
  });
});
