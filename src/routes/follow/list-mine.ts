// GET /follow/my-following and /follow/my-followers — whom I follow, who follows me.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { followList } from '../../domain/follows.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { ok } from '../../lib/envelope.ts';
import { errorResponses, jsonContent } from '../../lib/openapi.ts';
import { DIRECTIONS, FollowList, FollowPageQuery, type Direction } from './schema.ts';

export const myListRoute = (direction: Direction) =>
  createRoute({
    method: 'get',
    path: `/my-${direction}`,
    tags: ['follow'],
    summary: direction === 'following' ? 'Whom I follow' : 'Who follows me',
    middleware: [authRequired] as const,
    request: { query: FollowPageQuery },
    responses: { 200: jsonContent(FollowList, 'A page'), ...errorResponses(400, 401) },
  });

export const listMine = new OpenAPIHono<AppEnv>();
for (const direction of DIRECTIONS) {
  listMine.openapi(myListRoute(direction), async (c) => {
    const { page, cursor, limit } = c.req.valid('query');
    const me = viewerId(c);
    const list = await followList(c.get('services').db, {
      userId: me,
      direction,
      page,
      after: decodeCursor(cursor),
      limit,
      requesterId: me,
    });
    return ok(c, list);
  });
}
