// GET /feed and its PRD alias /feed/personal — postings of the creators I follow or subscribe to
// (the discover feed when none), newest first.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authOptional } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { personalFeed } from '../../domain/feed.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { okList } from '../../lib/envelope.ts';
import { errorResponses, jsonContent } from '../../lib/openapi.ts';
import { FeedBody, FeedQuery } from './schema.ts';

export const personalRoute = (path: '/' | '/personal') =>
  createRoute({
    method: 'get',
    path,
    tags: ['feed'],
    summary:
      'Postings of creators I follow or subscribe to (discover feed when none), newest first',
    middleware: [authOptional] as const,
    request: {
      query: FeedQuery.extend({ filter: z.enum(['all', 'membership', 'public']).default('all') }),
    },
    responses: { 200: jsonContent(FeedBody, 'A page of the feed'), ...errorResponses(400) },
  });

export const personal = new OpenAPIHono<AppEnv>();
for (const path of ['/', '/personal'] as const) {
  personal.openapi(personalRoute(path), async (c) => {
    const q = c.req.valid('query');
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
  });
}
