// GET /feed/public — public postings (not membership-only), newest or popular; edge-cached.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authOptional } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { publicFeed } from '../../domain/feed.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { okList } from '../../lib/envelope.ts';
import { errorResponses, jsonContent } from '../../lib/openapi.ts';
import { edgeCache } from '../../middleware/edge-cache.ts';
import { FeedBody, FeedQuery } from './schema.ts';

export const publicRoute = createRoute({
  method: 'get',
  path: '/public',
  tags: ['feed'],
  summary: 'Public postings (not membership-only), newest or popular',
  middleware: [edgeCache, authOptional] as const,
  request: { query: FeedQuery.extend({ sort: z.enum(['recent', 'popular']).default('recent') }) },
  responses: { 200: jsonContent(FeedBody, 'A page of the public feed'), ...errorResponses(400) },
});

export const publicList = new OpenAPIHono<AppEnv>().openapi(publicRoute, async (c) => {
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
});
