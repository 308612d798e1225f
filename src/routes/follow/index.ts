// /follow: follow and unfollow, and the follow lists in the client's pagination shape.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authOptional, authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { follow, followList, unfollow } from '../../domain/follows.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';

export const followRoutes = new OpenAPIHono<AppEnv>();

const UserParam = z.object({ userId: z.string().min(1).max(36) });
const PageQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
const ListSchema = envelope(
  z.object({
    items: z.array(z.record(z.string(), z.unknown())),
    pagination: z.record(z.string(), z.unknown()),
  }),
);

followRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/{userId}',
    tags: ['follow'],
    summary: 'Follow a user',
    middleware: [authRequired],
    request: { params: UserParam },
    responses: {
      201: jsonContent(
        envelope(z.object({ followId: z.string(), followedAt: z.string() })),
        'Following',
      ),
      ...errorResponses(400, 401, 404, 409),
    },
  }),
  async (c) =>
    ok(c, await follow(c.get('services').db, viewerId(c), c.req.valid('param').userId), {
      status: 201,
      message: '팔로우했습니다.',
    }),
);

followRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/{userId}',
    tags: ['follow'],
    summary: 'Unfollow a user',
    middleware: [authRequired],
    request: { params: UserParam },
    responses: { 200: jsonContent(envelope(z.null()), 'Unfollowed'), ...errorResponses(401, 404) },
  }),
  async (c) => {
    await unfollow(c.get('services').db, viewerId(c), c.req.valid('param').userId);
    return ok(c, null, { message: '언팔로우했습니다.' });
  },
);

for (const [path, direction] of [
  ['/my-following', 'following'],
  ['/my-followers', 'followers'],
] as const) {
  followRoutes.openapi(
    createRoute({
      method: 'get',
      path,
      tags: ['follow'],
      summary: direction === 'following' ? 'Whom I follow' : 'Who follows me',
      middleware: [authRequired],
      request: { query: PageQuery },
      responses: { 200: jsonContent(ListSchema, 'A page'), ...errorResponses(400, 401) },
    }),
    async (c) => {
      const { page, cursor, limit } = c.req.valid('query');
      const me = viewerId(c);
      return ok(
        c,
        await followList(
          c.get('services').db,
          me,
          direction,
          { page, after: decodeCursor(cursor) },
          limit,
          me,
        ),
      );
    },
  );
}

for (const direction of ['following', 'followers'] as const) {
  followRoutes.openapi(
    createRoute({
      method: 'get',
      path: `/public/user/{userId}/${direction}`,
      tags: ['follow'],
      summary: direction === 'following' ? 'Whom a user follows' : 'Who follows a user',
      middleware: [authOptional],
      request: { params: UserParam, query: PageQuery },
      responses: { 200: jsonContent(ListSchema, 'A page'), ...errorResponses(400, 404) },
    }),
    async (c) => {
      const { page, cursor, limit } = c.req.valid('query');
      return ok(
        c,
        await followList(
          c.get('services').db,
          c.req.valid('param').userId,
          direction,
          { page, after: decodeCursor(cursor) },
          limit,
          c.get('viewer')?.id ?? null,
        ),
      );
    },
  );
}
