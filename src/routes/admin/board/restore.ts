// PUT /admin/board/:id/restore — undo a soft delete.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { adminOnly, authRequired, viewerId } from '../../../auth/middleware.ts';
import type { AppEnv } from '../../../context.ts';
import { adminView, restoreBoardPost } from '../../../domain/board.ts';
import { ok } from '../../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../../lib/openapi.ts';
import { BoardIdParam } from '../../board/schema.ts';
import { AdminBoardPost } from './schema.ts';

export const restoreRoute = createRoute({
  method: 'put',
  path: '/{id}/restore',
  tags: ['admin'],
  summary: 'Restore a deleted notice',
  middleware: [authRequired, adminOnly] as const,
  request: { params: BoardIdParam },
  responses: {
    200: jsonContent(envelope(AdminBoardPost), 'Restored'),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const restore = new OpenAPIHono<AppEnv>().openapi(restoreRoute, async (c) => {
  const { db, clock } = c.get('services');
  const post = await restoreBoardPost(db, viewerId(c), c.req.valid('param').id, clock.now());
  return ok(c, adminView(post), { message: '게시글이 복원되었습니다.' });
});
