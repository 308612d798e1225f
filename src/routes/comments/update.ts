// PUT /comments/:id — edit my comment (its content and tagged user).
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { editComment } from '../../domain/comments.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { CommentIdParam, EditCommentBody, EditedComment } from './schema.ts';

export const updateRoute = createRoute({
  method: 'put',
  path: '/{id}',
  tags: ['comments'],
  summary: 'Edit my comment',
  middleware: [authRequired] as const,
  request: { params: CommentIdParam, ...jsonBody(EditCommentBody) },
  responses: {
    200: jsonContent(envelope(EditedComment), 'Edited'),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const update = new OpenAPIHono<AppEnv>().openapi(updateRoute, async (c) => {
  const { db, clock } = c.get('services');
  const b = c.req.valid('json');
  const row = await editComment(db, {
    userId: viewerId(c),
    commentId: c.req.valid('param').id,
    content: b.content,
    taggedUserId: b.tagged_user_id,
    now: clock.now(),
  });
  return ok(
    c,
    { id: row.id, content: row.content, updated_at: row.updatedAt.toISOString() },
    { message: '댓글이 수정되었습니다.' },
  );
});
