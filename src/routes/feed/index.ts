// /feed: the personal feed (and its PRD alias /feed/personal) and the public feed, in the client's shape:
// `{ success, data: [FeedPost], pagination }`.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { authOptional } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { personalFeed, publicFeed } from '../../domain/feed.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { edgeCache } from '../../middleware/edge-cache.ts';
import { okList } from '../../lib/envelope.ts';
import { errorResponses, jsonContent } from '../../lib/openapi.ts';

export const feedRoutes = new OpenAPIHono<AppEnv>();

const Query = z.object({
  page: z.coerce.number().int().min(1).max(10_000).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});
const FeedBody = z.object({
  success: z.literal(true),
  data: z.array(z.record(z.string(), z.unknown())),
  pagination: z.object({
    page: z.number().nullable(),
    limit: z.number(),
    hasMore: z.boolean(),
    total: z.number().nullable(),
    nextCursor: z.string().nullable(),
    source: z.string(),
  }),
});

async function personal(
  c: Context<AppEnv>,
  q: z.infer<typeof Query> & { filter: 'all' | 'membership' | 'public' },
) {
  const { db, clock } = c.get('services');
  const feed = await personalFeed(db, {
    viewerId: c.get('viewer')?.id ?? null,
    filter: q.filter,
    page: q.page,
    after: decodeCursor(q.cursor),
    limit: q.limit,
    now: clock.now(),
    apiBase: c.get('env').API_BASE_URL,
  });
  c.header('Cache-Control', 'private, no-store');
  return okList(c, feed.posts, { ...feed.pagination, source: feed.source });
}

for (const path of ['/', '/personal']) {
  feedRoutes.openapi(
    createRoute({
      method: 'get',
      path,
      tags: ['feed'],
      summary:
        'Postings of creators I follow or subscribe to (discover feed when none), newest first',
      middleware: [authOptional],
      request: {
        query: Query.extend({ filter: z.enum(['all', 'membership', 'public']).default('all') }),
      },
      responses: { 200: jsonContent(FeedBody, 'A page of the feed'), ...errorResponses(400) },
    }),
    (c) => personal(c, c.req.valid('query')),
  );
}

feedRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/public',
    tags: ['feed'],
    summary: 'Public postings (not membership-only), newest or popular',
    middleware: [edgeCache, authOptional],
    request: { query: Query.extend({ sort: z.enum(['recent', 'popular']).default('recent') }) },
    responses: { 200: jsonContent(FeedBody, 'A page of the public feed'), ...errorResponses(400) },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const { db, clock } = c.get('services');
    const feed = await publicFeed(db, {
      viewerId: c.get('viewer')?.id ?? null,
      filter: 'public',
      sort: q.sort,
      page: q.page,
      after: decodeCursor(q.cursor),
      limit: q.limit,
      now: clock.now(),
      apiBase: c.get('env').API_BASE_URL,
    });
    return okList(c, feed.posts, { ...feed.pagination, source: feed.source });
  },
);
