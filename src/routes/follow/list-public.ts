// GET /follow/public/user/:userId/following and …/followers — anyone's follow lists.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { authOptional } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { followList } from '../../domain/follows.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { ok } from '../../lib/envelope.ts';
import { errorResponses, jsonContent } from '../../lib/openapi.ts';
import { DIRECTIONS, FollowList, FollowPageQuery, UserParam, type Direction } from './schema.ts';

export const publicListRoute = (direction: Direction) =>
  createRoute({
    method: 'get',
    path: `/public/user/{userId}/${direction}`,
    tags: ['follow'],
    summary: direction === 'following' ? 'Whom a user follows' : 'Who follows a user',
    middleware: [authOptional] as const,
    request: { params: UserParam, query: FollowPageQuery },
    responses: { 200: jsonContent(FollowList, 'A page'), ...errorResponses(400, 404) },
  });

export const listPublic = new OpenAPIHono<AppEnv>();
for (const direction of DIRECTIONS) {
  listPublic.openapi(publicListRoute(direction), async (c) => {
    const { page, cursor, limit } = c.req.valid('query');
    const list = await followList(c.get('services').db, {
      userId: c.req.valid('param').userId,
      direction,
      page,
      after: decodeCursor(cursor),
      limit,
      requesterId: c.get('viewer')?.id ?? null,
    });
    return ok(c, list);
  });
}
