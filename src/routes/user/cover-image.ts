// PUT /user/cover-image: the viewer's cover image — a media they own, uploaded with purpose=cover and processed
// (or null to remove it). Shown as `bannerImage` wherever the profile appears.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { setProfileImage } from '../../domain/profile-images.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';

export function registerCoverImage(routes: OpenAPIHono<AppEnv>): void {
  routes.openapi(
    createRoute({
      method: 'put',
      path: '/cover-image',
      tags: ['user'],
      summary:
        "Set or remove the viewer's cover image (a processed image of theirs uploaded with purpose cover)",
      middleware: [authRequired] as const,
      request: jsonBody(z.object({ mediaId: z.uuid().nullable() })),
      responses: {
        200: jsonContent(
          envelope(
            z.object({ mediaId: z.string().nullable(), bannerImage: z.string().nullable() }),
          ),
          'Saved',
        ),
        ...errorResponses(400, 401, 404, 409),
      },
    }),
    async (c) => {
      const { mediaId } = c.req.valid('json');
      const url = await setProfileImage(
        c.get('services').db,
        c.get('env').API_BASE_URL,
        viewerId(c),
        'cover',
        mediaId,
      );
      return ok(c, { mediaId, bannerImage: url });
    },
  );
}
