// GET /user/posts/:handle?cursor=&limit= — a user's live postings as the viewer may see them,
// newest first (keyset cursor). Drafts are in /postings/my/list, even for their author.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { and, eq } from 'drizzle-orm';
import { authOptional } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { users } from '../../db/schema/index.ts';
import { listPostings } from '../../domain/postings.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { HandleParam, Posting } from './schema.ts';

export const postsRoute = createRoute({
  method: 'get',
  path: '/posts/{handle}',
  tags: ['user', 'postings'],
  summary: "A user's postings as the viewer may see them, newest first (keyset cursor)",
  middleware: [authOptional] as const,
  request: {
    params: HandleParam,
    query: z.object({
      cursor: z.string().max(200).optional(),
      limit: z.coerce.number().int().min(1).max(50).default(20),
    }),
  },
  responses: {
    200: jsonContent(
      envelope(
        z.object({
          posts: z.array(Posting),
          nextCursor: z.string().nullable(),
          hasMore: z.boolean(),
        }),
      ),
      'Postings',
    ),
    ...errorResponses(400, 404),
  },
});

export const posts = new OpenAPIHono<AppEnv>().openapi(postsRoute, async (c) => {
  const { db, clock } = c.get('services');
  const [owner] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.handle, c.req.valid('param').handle), eq(users.status, 'active')))
    .limit(1);
  if (!owner) throw new ApiError('NOT_FOUND', '사용자를 찾을 수 없습니다.');
  const { cursor, limit } = c.req.valid('query');
  const page = await listPostings(db, {
    viewerId: c.get('viewer')?.id ?? null,
    authorId: owner.id,
    after: decodeCursor(cursor),
    limit,
    now: clock.now(),
    apiBase: c.get('env').API_BASE_URL,
  });
  c.header('Cache-Control', 'private, no-store');
  return ok(c, { posts: page.postings, nextCursor: page.nextCursor, hasMore: page.hasMore });
});
