// GET /comments/posting/:postingId — a posting's comments, newest first, replies nested.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authOptional } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { listComments } from '../../domain/comments.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { okList } from '../../lib/envelope.ts';
import { errorResponses, jsonContent } from '../../lib/openapi.ts';
import { CommentThread } from './schema.ts';

export const listRoute = createRoute({
  method: 'get',
  path: '/posting/{postingId}',
  tags: ['comments'],
  summary: "A posting's comments (newest first, replies nested)",
  middleware: [authOptional] as const,
  request: {
    params: z.object({ postingId: z.uuid() }),
    query: z.object({
      cursor: z.string().max(200).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(50),
    }),
  },
  responses: {
    200: jsonContent(
      z.object({
        success: z.literal(true),
        data: z.array(CommentThread),
        pagination: z.object({ nextCursor: z.string().nullable(), hasMore: z.boolean() }),
      }),
      'Comments (data stays an array; paging beside it)',
    ),
    ...errorResponses(400, 403, 404),
  },
});

export const list = new OpenAPIHono<AppEnv>().openapi(listRoute, async (c) => {
  const { db, clock } = c.get('services');
  const { cursor, limit } = c.req.valid('query');
  c.header('Cache-Control', 'private, no-store');
  const page = await listComments(db, {
    viewerId: c.get('viewer')?.id ?? null,
    postingId: c.req.valid('param').postingId,
    now: clock.now(),
    after: decodeCursor(cursor),
    limit,
  });
  return okList(c, page.items, { nextCursor: page.nextCursor, hasMore: page.hasMore });
});
