// DELETE /follow/:userId — unfollow a user (404 when not following).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { unfollow } from '../../domain/follows.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { UserParam } from './schema.ts';

export const unfollowRoute = createRoute({
  method: 'delete',
  path: '/{userId}',
  tags: ['follow'],
  summary: 'Unfollow a user',
  middleware: [authRequired] as const,
  request: { params: UserParam },
  responses: { 200: jsonContent(envelope(z.null()), 'Unfollowed'), ...errorResponses(401, 404) },
});

export const remove = new OpenAPIHono<AppEnv>().openapi(unfollowRoute, async (c) => {
  const edge = { followerId: viewerId(c), followingId: c.req.valid('param').userId };
  await unfollow(c.get('services').db, edge);
  return ok(c, null, { message: '언팔로우했습니다.' });
});
