// DELETE /media/{mediaId} — delete one of the viewer's media (and its stored files).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { deleteMedia } from '../../domain/media.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { MediaIdParam } from './schema.ts';

export const deleteRoute = createRoute({
  method: 'delete',
  path: '/{mediaId}',
  tags: ['media'],
  summary: "Delete one of the viewer's media (and its stored files)",
  middleware: [authRequired] as const,
  request: { params: MediaIdParam },
  responses: { 200: jsonContent(envelope(z.null()), 'Deleted'), ...errorResponses(401, 404) },
});

export const deleteApp = new OpenAPIHono<AppEnv>().openapi(deleteRoute, async (c) => {
  const { db, clock } = c.get('services');
  await deleteMedia(db, c.get('env'), {
    ownerId: viewerId(c),
    mediaId: c.req.valid('param').mediaId,
    now: clock.now(),
  });
  return ok(c, null);
});
