// POST /media/complete-upload — storage must hold the declared size; processing is queued.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { completeUpload } from '../../domain/media.ts';
import { mediaView } from '../../domain/media-views.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { MediaViewSchema } from './schema.ts';

export const completeUploadRoute = createRoute({
  method: 'post',
  path: '/complete-upload',
  tags: ['media'],
  summary: 'Finish an upload: storage must hold the declared size; processing is queued',
  middleware: [authRequired] as const,
  request: jsonBody(
    z.object({
      mediaId: z.uuid(),
      s3Key: z.string().max(512).optional(),
      parts: z
        .array(
          z.object({
            partNumber: z.number().int().min(1).max(10_000),
            etag: z.string().min(1).max(200),
          }),
        )
        .max(10_000)
        .optional(),
    }),
  ),
  responses: {
    201: jsonContent(envelope(MediaViewSchema), 'The media, now uploaded (processing queued)'),
    ...errorResponses(400, 401, 404, 409, 503),
  },
});

export const completeUploadApp = new OpenAPIHono<AppEnv>().openapi(
  completeUploadRoute,
  async (c) => {
    const { db } = c.get('services');
    const media = await completeUpload(db, c.get('env'), viewerId(c), c.req.valid('json'));
    return ok(c, mediaView(media, c.get('env').API_BASE_URL), { status: 201 });
  },
);
