// GET /media/image/{id} and /media/video/{id} — delivery through the gate: the URLs the web client
// puts in <img>/<video> (authorised by its cookies) redirect to a short-lived presigned GET.
// `?quality=` as the client sends it: high|medium|low|thumbnail|preview for images (`preview` is the
// blurred one, also for viewers who see the posting locked), 1080p|720p|480p for video MP4s,
// thumbnail-N for a video's frame captures.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authOptional } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { mediaForViewer, variantKey } from '../../domain/media-access.ts';
import { ApiError } from '../../lib/errors.ts';
import { errorResponses } from '../../lib/openapi.ts';
import { presignGet } from '../../lib/storage.ts';

export const deliverRoute = (kind: 'image' | 'video') =>
  createRoute({
    method: 'get',
    path: `/${kind}/{id}`,
    tags: ['media'],
    summary: `Fetch ${kind === 'image' ? 'an image' : 'a video'} the viewer may see (redirect to a short-lived signed URL)`,
    middleware: [authOptional] as const,
    request: {
      params: z.object({ id: z.uuid() }),
      query: z.object({
        quality: z
          .string()
          .regex(/^[\w-]{1,20}$/)
          .optional(),
      }),
    },
    responses: {
      302: { description: 'Redirect to a presigned GET' },
      ...errorResponses(400, 403, 404, 409),
    },
  });

export const deliverApp = new OpenAPIHono<AppEnv>();
for (const kind of ['image', 'video'] as const) {
  deliverApp.openapi(deliverRoute(kind), async (c) => {
    const { db, clock } = c.get('services');
    const quality = c.req.valid('query').quality;
    const preview = quality === 'preview';
    const media = await mediaForViewer(db, {
      viewerId: c.get('viewer')?.id ?? null,
      mediaId: c.req.valid('param').id,
      now: clock.now(),
      lockedPreview: preview,
    });
    // The blurred preview never falls back to the original.
    const key = preview ? media.variants?.preview : variantKey(media, quality);
    if (!key) throw new ApiError('MEDIA_NOT_READY', '미디어가 아직 처리 중입니다.');
    const url = await presignGet(c.get('env'), key);
    c.header('Cache-Control', 'private, no-store');
    return c.redirect(url, 302);
  });
}
