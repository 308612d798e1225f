// PATCH /board/:id/views — counts a view, once per viewer per Korean day (the detail GET counts
// too, and the client calls both: the second is then a no-op).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { authOptional } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { recordBoardView } from '../../domain/board.ts';
import { viewerKey } from '../../domain/views.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { clientIp } from '../../lib/rate-limit.ts';
import { BoardIdParam } from './schema.ts';

/** The viewer's id when signed in, else a keyed hash of the client address (never the address). */
export function boardViewerKey(c: Context<AppEnv>): Promise<string> {
  return viewerKey(c.get('viewer')?.id ?? null, clientIp(c), c.get('env').VIEWER_HASH_SECRET);
}

export const viewsRoute = createRoute({
  method: 'patch',
  path: '/{id}/views',
  tags: ['board'],
  summary: 'Count a view of a notice (once per viewer and Korean day)',
  middleware: [authOptional] as const,
  request: { params: BoardIdParam },
  responses: {
    200: jsonContent(
      envelope(z.object({ views: z.number().int(), counted: z.boolean() })),
      'The view count',
    ),
    ...errorResponses(400, 401, 404),
  },
});

export const views = new OpenAPIHono<AppEnv>().openapi(viewsRoute, async (c) => {
  const { id } = c.req.valid('param');
  const { db, clock } = c.get('services');
  const { views: count, counted } = await recordBoardView(
    db,
    id,
    await boardViewerKey(c),
    clock.now(),
  );
  return ok(c, { views: count, counted });
});
