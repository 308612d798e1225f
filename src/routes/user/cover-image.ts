// PUT /user/cover-image: the viewer's cover image — a media they own, uploaded with purpose=cover
// and processed (or null to remove it). Shown as `bannerImage` wherever the profile appears.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { setProfileImage } from '../../domain/profile-images.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { ImageBody } from './schema.ts';

export const coverImageRoute = createRoute({
  method: 'put',
  path: '/cover-image',
  tags: ['user'],
  summary:
    "Set or remove the viewer's cover image (a processed image of theirs uploaded with purpose cover)",
  middleware: [authRequired] as const,
  request: jsonBody(ImageBody),
  responses: {
    200: jsonContent(
      envelope(z.object({ mediaId: z.string().nullable(), bannerImage: z.string().nullable() })),
      'Saved',
    ),
    ...errorResponses(400, 401, 404, 409),
  },
});

export const coverImage = new OpenAPIHono<AppEnv>().openapi(coverImageRoute, async (c) => {
  const { mediaId } = c.req.valid('json');
  const url = await setProfileImage(c.get('services').db, {
    apiBase: c.get('env').API_BASE_URL,
    userId: viewerId(c),
    kind: 'cover',
    mediaId,
  });
  return ok(c, { mediaId, bannerImage: url });
});
