// POST /media/{mediaId}/abort-upload — abandon an unfinished upload (aborts a multipart upload).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { abortUpload } from '../../domain/media.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { MediaIdParam } from './schema.ts';

export const abortUploadRoute = createRoute({
  method: 'post',
  path: '/{mediaId}/abort-upload',
  tags: ['media'],
  summary: 'Abandon an unfinished upload (aborts a multipart upload in storage)',
  middleware: [authRequired] as const,
  request: { params: MediaIdParam },
  responses: {
    200: jsonContent(envelope(z.null()), 'Aborted'),
    ...errorResponses(401, 404, 409),
  },
});

export const abortUploadApp = new OpenAPIHono<AppEnv>().openapi(abortUploadRoute, async (c) => {
  const { db, clock } = c.get('services');
  await abortUpload(db, c.get('env'), {
    ownerId: viewerId(c),
    mediaId: c.req.valid('param').mediaId,
    now: clock.now(),
  });
  return ok(c, null);
});
