// GET /board/:id — one published notice with its content; counts a view like PATCH
// /board/:id/views.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { authOptional } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { publicDetail, recordBoardView } from '../../domain/board.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { BoardDetail, BoardIdParam } from './schema.ts';
import { boardViewerKey } from './views.ts';

export const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['board'],
  summary: 'A published notice (counts a view, once per viewer and Korean day)',
  middleware: [authOptional] as const,
  request: { params: BoardIdParam },
  responses: {
    200: jsonContent(envelope(BoardDetail), 'The notice'),
    ...errorResponses(400, 401, 404),
  },
});

export const get = new OpenAPIHono<AppEnv>().openapi(getRoute, async (c) => {
  const { id } = c.req.valid('param');
  const { db, clock } = c.get('services');
  const { post } = await recordBoardView(db, id, await boardViewerKey(c), clock.now());
  return ok(c, publicDetail(post));
});
