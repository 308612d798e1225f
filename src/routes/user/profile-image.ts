// PUT /user/profile-image: the viewer's profile picture — a media they own, uploaded with
// purpose=avatar and processed (or null to remove it). Shown as `avatar` wherever the profile
// appears.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { setProfileImage } from '../../domain/profile-images.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { ImageBody } from './schema.ts';

export const profileImageRoute = createRoute({
  method: 'put',
  path: '/profile-image',
  tags: ['user'],
  summary:
    "Set or remove the viewer's profile picture (a processed image of theirs uploaded with purpose avatar)",
  middleware: [authRequired] as const,
  request: jsonBody(ImageBody),
  responses: {
    200: jsonContent(
      envelope(z.object({ mediaId: z.string().nullable(), avatar: z.string().nullable() })),
      'Saved',
    ),
    ...errorResponses(400, 401, 404, 409),
  },
});

export const profileImage = new OpenAPIHono<AppEnv>().openapi(profileImageRoute, async (c) => {
  const { mediaId } = c.req.valid('json');
  const url = await setProfileImage(c.get('services').db, {
    apiBase: c.get('env').API_BASE_URL,
    userId: viewerId(c),
    kind: 'avatar',
    mediaId,
  });
  return ok(c, { mediaId, avatar: url });
});
