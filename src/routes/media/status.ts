// GET /media/{mediaId}/status — processing state and progress (%) of one of the viewer's media.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { ownMedia } from '../../domain/media.ts';
import { mediaView } from '../../domain/media-views.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { MediaIdParam, MediaStatusSchema } from './schema.ts';

export const statusRoute = createRoute({
  method: 'get',
  path: '/{mediaId}/status',
  tags: ['media'],
  summary: "Processing state and progress (%) of one of the viewer's media",
  middleware: [authRequired] as const,
  request: { params: MediaIdParam },
  responses: {
    200: jsonContent(
      envelope(
        z.object({
          mediaId: z.string(),
          status: MediaStatusSchema,
          progress: z.number().int(),
          errorMessage: z.string().nullable(),
          mediaUrl: z.string(),
        }),
      ),
      'State',
    ),
    ...errorResponses(401, 404),
  },
});

export const statusApp = new OpenAPIHono<AppEnv>().openapi(statusRoute, async (c) => {
  const media = await ownMedia(c.get('services').db, viewerId(c), c.req.valid('param').mediaId);
  const view = mediaView(media, c.get('env').API_BASE_URL);
  return ok(c, {
    mediaId: view.id,
    status: view.status,
    progress: view.progress,
    errorMessage: view.errorMessage,
    mediaUrl: view.mediaUrl,
  });
});
