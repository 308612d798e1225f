// PUT /admin/board/:id — change a notice (the fields sent); a deleted one must be restored first.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { adminOnly, authRequired, viewerId } from '../../../auth/middleware.ts';
import type { AppEnv } from '../../../context.ts';
import { adminView, updateBoardPost } from '../../../domain/board.ts';
import { ok } from '../../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../../lib/openapi.ts';
import { BoardIdParam } from '../../board/schema.ts';
import { AdminBoardPost, UpdateBoardBody, toInput } from './schema.ts';

export const updateRoute = createRoute({
  method: 'put',
  path: '/{id}',
  tags: ['admin'],
  summary: 'Edit a notice',
  middleware: [authRequired, adminOnly] as const,
  request: { params: BoardIdParam, ...jsonBody(UpdateBoardBody) },
  responses: {
    200: jsonContent(envelope(AdminBoardPost), 'Updated'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export const update = new OpenAPIHono<AppEnv>().openapi(updateRoute, async (c) => {
  const { db, clock } = c.get('services');
  const post = await updateBoardPost(
    db,
    viewerId(c),
    c.req.valid('param').id,
    toInput(c.req.valid('json')),
    clock.now(),
  );
  return ok(c, adminView(post), { message: '게시글이 수정되었습니다.' });
});
