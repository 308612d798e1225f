// POST /follow/:userId — follow a user (201; 409 for oneself or when already following).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { follow } from '../../domain/follows.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { UserParam } from './schema.ts';

export const followRoute = createRoute({
  method: 'post',
  path: '/{userId}',
  tags: ['follow'],
  summary: 'Follow a user',
  middleware: [authRequired] as const,
  request: { params: UserParam },
  responses: {
    201: jsonContent(
      envelope(z.object({ followId: z.string(), followedAt: z.string() })),
      'Following',
    ),
    ...errorResponses(400, 401, 404, 409),
  },
});

export const create = new OpenAPIHono<AppEnv>().openapi(followRoute, async (c) => {
  const edge = { followerId: viewerId(c), followingId: c.req.valid('param').userId };
  return ok(c, await follow(c.get('services').db, edge), {
    status: 201,
    message: '팔로우했습니다.',
  });
});
