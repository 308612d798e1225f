// DELETE /comments/:id — soft delete by its author, the posting's author or an admin.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { deleteComment } from '../../domain/comments.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { CommentIdParam } from './schema.ts';

export const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  tags: ['comments'],
  summary: "Delete a comment (its author, the posting's author or an admin)",
  middleware: [authRequired] as const,
  request: { params: CommentIdParam },
  responses: {
    200: jsonContent(envelope(z.null()), 'Deleted'),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const remove = new OpenAPIHono<AppEnv>().openapi(deleteRoute, async (c) => {
  const { db, clock } = c.get('services');
  await deleteComment(db, {
    userId: viewerId(c),
    commentId: c.req.valid('param').id,
    now: clock.now(),
  });
  return ok(c, null, { message: '댓글이 삭제되었습니다.' });
});
