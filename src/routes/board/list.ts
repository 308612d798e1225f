// GET /board?category=&page=&limit= — published notices, pinned first, newest first.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { listPublicPosts } from '../../domain/board.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { BoardCategoryParam, BoardListItem, PageParams, Pagination } from './schema.ts';

export const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['board'],
  summary: 'Published notices of a category, important ones first, newest first (page/limit)',
  request: { query: z.object({ category: BoardCategoryParam.optional(), ...PageParams }) },
  responses: {
    200: jsonContent(
      envelope(z.object({ posts: z.array(BoardListItem), pagination: Pagination })),
      'A page of notices',
    ),
    ...errorResponses(400),
  },
});

export const list = new OpenAPIHono<AppEnv>().openapi(listRoute, async (c) => {
  const { category, page, limit } = c.req.valid('query');
  const { db, clock } = c.get('services');
  return ok(c, await listPublicPosts(db, { category, page, limit, now: clock.now() }));
});
