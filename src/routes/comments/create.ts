// POST /comments — comment on (or reply in) a posting the viewer can read in full.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { createComment } from '../../domain/comments.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { CreateCommentBody, CreatedComment } from './schema.ts';

export const createCommentRoute = createRoute({
  method: 'post',
  path: '/',
  tags: ['comments'],
  summary: 'Comment on (or reply in) a posting you can read in full',
  middleware: [authRequired] as const,
  request: jsonBody(CreateCommentBody),
  responses: {
    201: jsonContent(envelope(CreatedComment), 'Created'),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const create = new OpenAPIHono<AppEnv>().openapi(createCommentRoute, async (c) => {
  const b = c.req.valid('json');
  const { db, clock } = c.get('services');
  const row = await createComment(db, {
    authorId: viewerId(c),
    postingId: b.posting_id,
    content: b.content,
    parentId: b.parent_id,
    taggedUserId: b.tagged_user_id,
    now: clock.now(),
  });
  const created = {
    id: row.id,
    posting_id: row.postingId,
    author_id: row.authorId,
    parent_id: row.parentId,
    tagged_user_id: row.taggedUserId,
    content: row.content,
    is_deleted: false as const,
    created_at: row.createdAt.toISOString(),
    children: [],
  };
  return ok(c, created, { status: 201, message: '댓글이 작성되었습니다.' });
});
