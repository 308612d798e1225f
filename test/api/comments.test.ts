// Comments: replies one level deep, placeholders for deleted comments with replies, exact counts, who may
// edit or delete, and the posting's comment setting.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { commentLikes, comments, postings } from '../../src/db/schema/index.ts';
import { api, postJson, putJson, tokenFor } from './auth-helpers.ts';
import { db, makeCreator } from './economy-helpers.ts';
import { expectError, readJson, type Envelope } from './helpers.ts';

const as = async (userId: string) => ({ cookies: { access_token: await tokenFor(userId) } });
let author: string;
let fan: string;
let other: string;

async function posting(body: Record<string, unknown> = {}): Promise<string> {
  const res = await postJson(
    '/postings',
    { title: 't', content: 'c', status: 'PUBLISHED', ...body },
    await as(author),
  );
  return ((await res.json()) as { data: { id: string } }).data.id;
}
async function comment(
  userId: string,
  postingId: string,
  content: string,
  parentId?: string,
): Promise<string> {
  const res = await postJson(
    '/comments',
    { posting_id: postingId, content, ...(parentId ? { parent_id: parentId } : {}) },
    await as(userId),
  );
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { data: { id: string } }).data.id;
}
const count = async (id: string) =>
  (await db.select({ n: postings.commentCount }).from(postings).where(eq(postings.id, id)))[0].n;

type Listed = {
  id: string;
  content: string | null;
  is_deleted: boolean;
  author: { userId: string } | null;
  children: Array<{ id: string; content: string }>;
  likeCount: number;
  isLiked: boolean;
};

beforeAll(async () => {
  [author, fan, other] = [await makeCreator(), await makeCreator(), await makeCreator()];
});

describe('comments', () => {
  it('nests replies one level, keeps a deleted parent as a placeholder while it has replies, and counts exactly', async () => {
    const p = await posting();
    const top = await comment(fan, p, 'first');
    const reply = await comment(other, p, 'reply', top);
    await comment(fan, p, 'second');
    expect(await count(p)).toBe(3);
    await expectError(
      await postJson(
        '/comments',
        { posting_id: p, content: 'deep', parent_id: reply },
        await as(fan),
      ),
      400,
      'VALIDATION_FAILED',
    );
    expect((await api(`/comments/${top}`, { method: 'DELETE', ...(await as(fan)) })).status).toBe(
      200,
    );
    expect((await api(`/comments/${top}`, { method: 'DELETE', ...(await as(fan)) })).status).toBe(
      200,
    );
    expect(await count(p)).toBe(2);
    const list = await readJson<Envelope<Listed[]>>(
      await api(`/comments/posting/${p}`, await as(fan)),
    );
    expect(list.body.data.map((c) => c.content)).toEqual(['second', null]);
    expect(list.body.data[1]).toMatchObject({
      is_deleted: true,
      author: null,
      children: [{ id: reply, content: 'reply' }],
    });
    expect(
      (await api(`/comments/${reply}`, { method: 'DELETE', ...(await as(other)) })).status,
    ).toBe(200);
    const after = await readJson<Envelope<Listed[]>>(await api(`/comments/posting/${p}`));
    expect(after.body.data.map((c) => c.content)).toEqual(['second']);
    expect(await count(p)).toBe(1);
  });

  it("only the comment's author edits it (403 for others); the posting's author may delete it", async () => {
    const p = await posting();
    const id = await comment(fan, p, 'mine');
    await expectError(
      await putJson(`/comments/${id}`, { content: 'hijack' }, await as(other)),
      403,
      'FORBIDDEN',
    );
    await expectError(
      await api(`/comments/${id}`, { method: 'DELETE', ...(await as(other)) }),
      403,
      'FORBIDDEN',
    );
    const edited = await putJson(`/comments/${id}`, { content: 'edited' }, await as(fan));
    expect(edited.status).toBe(200);
    expect((await db.select().from(comments).where(eq(comments.id, id)))[0].content).toBe('edited');
    expect((await api(`/comments/${id}`, { method: 'DELETE', ...(await as(author)) })).status).toBe(
      200,
    );
    await expectError(
      await putJson(`/comments/${crypto.randomUUID()}`, { content: 'x' }, await as(fan)),
      404,
      'NOT_FOUND',
    );
  });

  it('respects allow_comments and validates input', async () => {
    const closed = await posting({ allow_comments: false });
    await expectError(
      await postJson('/comments', { posting_id: closed, content: 'hi' }, await as(fan)),
      403,
      'COMMENTS_DISABLED',
    );
    const p = await posting();
    await expectError(
      await postJson('/comments', { posting_id: p, content: '' }, await as(fan)),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      await postJson('/comments', { posting_id: p, content: 'x'.repeat(1001) }, await as(fan)),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      await postJson('/comments', { posting_id: 'nope', content: 'x' }, await as(fan)),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      await postJson(
        '/comments',
        { posting_id: p, content: 'x', tagged_user_id: crypto.randomUUID() },
        await as(fan),
      ),
      404,
      'NOT_FOUND',
    );
  });

  it('pages top-level comments by cursor while data stays an array', async () => {
    const p = await posting();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push(await comment(fan, p, `c${i}`));
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await api(`/comments/posting/${p}?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      const body = (await res.json()) as {
        data: Listed[];
        pagination: { nextCursor: string | null; hasMore: boolean };
      };
      expect(Array.isArray(body.data)).toBe(true);
      seen.push(...body.data.map((c) => c.id));
      cursor = body.pagination.nextCursor;
      expect(body.pagination.hasMore).toBe(cursor !== null);
      if (!cursor) break;
    }
    expect(seen).toEqual([...made].reverse());
  });

  it('one user alternating 100 comment likes and unlikes in parallel: only 200, and the counter matches the rows', async () => {
    const p = await posting();
    const id = await comment(fan, p, 'contested');
    const cookies = await as(other);
    const results = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const res = await api(`/comments/${id}/like`, {
          method: i % 2 === 0 ? 'POST' : 'DELETE',
          ...cookies,
        });
        return `${res.status}${res.status >= 400 ? ` ${await res.text()}` : ''}`;
      }),
    );
    const wrong = results.filter((r) => !/^20[01]$/.test(r));
    expect(wrong, wrong.slice(0, 3).join('\n')).toEqual([]);
    const rows = await db.select().from(commentLikes).where(eq(commentLikes.commentId, id));
    expect(
      (await db.select({ n: comments.likeCount }).from(comments).where(eq(comments.id, id)))[0].n,
    ).toBe(rows.length);
    expect(rows.length).toBeLessThanOrEqual(1);
  });

  it('comment likes are idempotent and exact under concurrency', async () => {
    const p = await posting();
    const id = await comment(fan, p, 'likeable');
    const cookies = await as(other);
    await Promise.all(
      Array.from({ length: 10 }, () => api(`/comments/${id}/like`, { method: 'POST', ...cookies })),
    );
    const list = await readJson<Envelope<Listed[]>>(await api(`/comments/posting/${p}`, cookies));
    expect(list.body.data[0]).toMatchObject({ likeCount: 1, isLiked: true });
    await Promise.all([
      api(`/comments/${id}/like`, { method: 'DELETE', ...cookies }),
      api(`/comments/${id}/like`, { method: 'DELETE', ...cookies }),
    ]);
    expect(
      (await db.select({ n: comments.likeCount }).from(comments).where(eq(comments.id, id)))[0].n,
    ).toBe(0);
  });
});
