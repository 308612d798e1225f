// GET /media/{mediaId} — one of the viewer's own media.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { ownMedia } from '../../domain/media.ts';
import { mediaView } from '../../domain/media-views.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { MediaIdParam, MediaViewSchema } from './schema.ts';

export const getRoute = createRoute({
  method: 'get',
  path: '/{mediaId}',
  tags: ['media'],
  summary: "One of the viewer's own media",
  middleware: [authRequired] as const,
  request: { params: MediaIdParam },
  responses: {
    200: jsonContent(envelope(MediaViewSchema), 'Media'),
    ...errorResponses(401, 404),
  },
});

export const getApp = new OpenAPIHono<AppEnv>().openapi(getRoute, async (c) => {
  const media = await ownMedia(c.get('services').db, viewerId(c), c.req.valid('param').mediaId);
  return ok(c, mediaView(media, c.get('env').API_BASE_URL));
});
