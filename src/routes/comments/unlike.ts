// DELETE /comments/:id/like — remove my like from a comment.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { likeComment } from '../../domain/comments.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { CommentIdParam, LikeResult } from './schema.ts';

export const unlikeRoute = createRoute({
  method: 'delete',
  path: '/{id}/like',
  tags: ['comments'],
  summary: 'Remove my like from a comment',
  middleware: [authRequired] as const,
  request: { params: CommentIdParam },
  responses: {
    200: jsonContent(envelope(LikeResult), 'Unliked'),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const unlike = new OpenAPIHono<AppEnv>().openapi(unlikeRoute, async (c) => {
  const { db, clock } = c.get('services');
  const result = await likeComment(db, {
    userId: viewerId(c),
    commentId: c.req.valid('param').id,
    on: false,
    now: clock.now(),
  });
  return ok(c, result);
});
