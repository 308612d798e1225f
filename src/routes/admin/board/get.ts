// GET /admin/board/:id — one notice, deleted or unpublished included.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { adminOnly, authRequired } from '../../../auth/middleware.ts';
import type { AppEnv } from '../../../context.ts';
import { adminPost, adminView } from '../../../domain/board.ts';
import { ok } from '../../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../../lib/openapi.ts';
import { BoardIdParam } from '../../board/schema.ts';
import { AdminBoardPost } from './schema.ts';

export const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['admin'],
  summary: 'A notice for the admin',
  middleware: [authRequired, adminOnly] as const,
  request: { params: BoardIdParam },
  responses: {
    200: jsonContent(envelope(AdminBoardPost), 'The notice'),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const get = new OpenAPIHono<AppEnv>().openapi(getRoute, async (c) => {
  return ok(c, adminView(await adminPost(c.get('services').db, c.req.valid('param').id)));
});
