// GET /admin/board?category=&page=&limit=&includeDeleted= — every notice, newest first.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { adminOnly, authRequired } from '../../../auth/middleware.ts';
import type { AppEnv } from '../../../context.ts';
import { listAdminPosts } from '../../../domain/board.ts';
import { ok } from '../../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../../lib/openapi.ts';
import { BoardCategoryParam, PageParams, Pagination } from '../../board/schema.ts';
import { AdminBoardPost } from './schema.ts';

export const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['admin'],
  summary: 'All notices (deleted ones on request), newest first',
  middleware: [authRequired, adminOnly] as const,
  request: {
    query: z.object({
      category: BoardCategoryParam.optional(),
      ...PageParams,
      limit: z.coerce.number().int().min(1).max(100).default(20),
      includeDeleted: z
        .enum(['true', 'false'])
        .default('false')
        .transform((v) => v === 'true'),
    }),
  },
  responses: {
    200: jsonContent(
      envelope(z.object({ posts: z.array(AdminBoardPost), pagination: Pagination })),
      'A page of notices',
    ),
    ...errorResponses(400, 401, 403),
  },
});

export const list = new OpenAPIHono<AppEnv>().openapi(listRoute, async (c) => {
  const q = c.req.valid('query');
  return ok(c, await listAdminPosts(c.get('services').db, q));
});
