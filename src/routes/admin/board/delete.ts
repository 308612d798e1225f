// DELETE /admin/board/:id — soft delete (restorable; repeating it changes nothing).
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { adminOnly, authRequired, viewerId } from '../../../auth/middleware.ts';
import type { AppEnv } from '../../../context.ts';
import { adminView, deleteBoardPost } from '../../../domain/board.ts';
import { ok } from '../../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../../lib/openapi.ts';
import { BoardIdParam } from '../../board/schema.ts';
import { AdminBoardPost } from './schema.ts';

export const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  tags: ['admin'],
  summary: 'Delete a notice (soft; restorable)',
  middleware: [authRequired, adminOnly] as const,
  request: { params: BoardIdParam },
  responses: {
    200: jsonContent(envelope(AdminBoardPost), 'Deleted'),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const remove = new OpenAPIHono<AppEnv>().openapi(deleteRoute, async (c) => {
  const { db, clock } = c.get('services');
  const post = await deleteBoardPost(db, viewerId(c), c.req.valid('param').id, clock.now());
  return ok(c, adminView(post), { message: '게시글이 삭제되었습니다.' });
});
