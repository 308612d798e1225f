// GET /media/my-media?limit=&offset=&type= — the viewer's own media, newest first.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { MEDIA_TYPES } from '../../db/schema/index.ts';
import { myMedia } from '../../domain/media.ts';
import { mediaView } from '../../domain/media-views.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent, upperEnum } from '../../lib/openapi.ts';
import { MediaViewSchema } from './schema.ts';

export const myMediaRoute = createRoute({
  method: 'get',
  path: '/my-media',
  tags: ['media'],
  summary: "The viewer's own media, newest first",
  middleware: [authRequired] as const,
  request: {
    query: z.object({
      limit: z.coerce.number().int().min(1).max(100).default(20),
      offset: z.coerce.number().int().min(0).max(100_000).default(0),
      type: upperEnum(MEDIA_TYPES).optional(),
    }),
  },
  responses: {
    200: jsonContent(envelope(z.array(MediaViewSchema)), 'Media'),
    ...errorResponses(400, 401),
  },
});

export const myMediaApp = new OpenAPIHono<AppEnv>().openapi(myMediaRoute, async (c) => {
  const { db } = c.get('services');
  const q = c.req.valid('query');
  const rows = await myMedia(db, viewerId(c), {
    limit: q.limit,
    offset: q.offset,
    type: q.type?.toLowerCase() as (typeof MEDIA_TYPES)[number] | undefined,
  });
  return ok(
    c,
    rows.map((m) => mediaView(m, c.get('env').API_BASE_URL)),
  );
});
