// POST /comments/:id/like — like a comment (idempotent: a second like changes nothing).
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { likeComment } from '../../domain/comments.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { CommentIdParam, LikeResult } from './schema.ts';

export const likeRoute = createRoute({
  method: 'post',
  path: '/{id}/like',
  tags: ['comments'],
  summary: 'Like a comment',
  middleware: [authRequired] as const,
  request: { params: CommentIdParam },
  responses: {
    201: jsonContent(envelope(LikeResult), 'Liked'),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const like = new OpenAPIHono<AppEnv>().openapi(likeRoute, async (c) => {
  const { db, clock } = c.get('services');
  const result = await likeComment(db, {
    userId: viewerId(c),
    commentId: c.req.valid('param').id,
    on: true,
    now: clock.now(),
  });
  return ok(c, result, { status: 201 });
});
