// /media: delivery through the gate. `GET /media/image/:id` and `/media/video/:id` (the URLs the web client
// puts in <img>/<video>, authorised by its cookies) answer with a redirect to a short-lived presigned GET,
// never a public URL, and `Cache-Control: private, no-store`.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authOptional } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { mediaForViewer, variantKey } from '../../domain/media-access.ts';
import { errorResponses } from '../../lib/openapi.ts';
import { presignGet } from '../../lib/storage.ts';

export const mediaRoutes = new OpenAPIHono<AppEnv>();

for (const kind of ['image', 'video'] as const) {
  mediaRoutes.openapi(
    createRoute({
      method: 'get',
      path: `/${kind}/{id}`,
      tags: ['media'],
      summary: `Fetch ${kind === 'image' ? 'an image' : 'a video'} the viewer may see (redirect to a short-lived signed URL)`,
      middleware: [authOptional],
      request: { params: z.object({ id: z.uuid() }), query: z.object({ quality: z.string().regex(/^[\w-]{1,20}$/).optional() }) },
      responses: { 302: { description: 'Redirect to a presigned GET' }, ...errorResponses(400, 403, 404) },
    }),
    async (c) => {
      const { db, clock } = c.get('services');
      const media = await mediaForViewer(db, c.get('viewer')?.id ?? null, c.req.valid('param').id, clock.now());
      const url = await presignGet(c.get('env'), variantKey(media, c.req.valid('query').quality));
      c.header('Cache-Control', 'private, no-store');
      return c.redirect(url, 302);
    },
  );
}
