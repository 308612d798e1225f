// POST /admin/board — a new notice (published now unless publishNow is false).
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { adminOnly, authRequired, viewerId } from '../../../auth/middleware.ts';
import type { AppEnv } from '../../../context.ts';
import { adminView, createBoardPost } from '../../../domain/board.ts';
import { ok } from '../../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../../lib/openapi.ts';
import { AdminBoardPost, CreateBoardBody, toInput } from './schema.ts';

export const createBoardRoute = createRoute({
  method: 'post',
  path: '/',
  tags: ['admin'],
  summary: 'Write a notice',
  middleware: [authRequired, adminOnly] as const,
  request: jsonBody(CreateBoardBody),
  responses: {
    201: jsonContent(envelope(AdminBoardPost), 'Created'),
    ...errorResponses(400, 401, 403),
  },
});

export const create = new OpenAPIHono<AppEnv>().openapi(createBoardRoute, async (c) => {
  const { db, clock } = c.get('services');
  const post = await createBoardPost(db, viewerId(c), toInput(c.req.valid('json')), clock.now());
  return ok(c, adminView(post), { status: 201, message: '게시글이 생성되었습니다.' });
});
