// POST /media/{mediaId}/retry — process a failed media again.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { retryMedia } from '../../domain/media.ts';
import { mediaView } from '../../domain/media-views.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { MediaIdParam, MediaViewSchema } from './schema.ts';

export const retryRoute = createRoute({
  method: 'post',
  path: '/{mediaId}/retry',
  tags: ['media'],
  summary: 'Process a failed media again',
  middleware: [authRequired] as const,
  request: { params: MediaIdParam },
  responses: {
    200: jsonContent(envelope(MediaViewSchema), 'Queued again'),
    ...errorResponses(401, 404, 409),
  },
});

export const retryApp = new OpenAPIHono<AppEnv>().openapi(retryRoute, async (c) => {
  const media = await retryMedia(
    c.get('services').db,
    c.get('env'),
    viewerId(c),
    c.req.valid('param').mediaId,
  );
  return ok(c, mediaView(media, c.get('env').API_BASE_URL));
});
