// PUT /user/profile — the viewer's bio.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { users } from '../../db/schema/index.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';

export const updateProfileRoute = createRoute({
  method: 'put',
  path: '/profile',
  tags: ['user'],
  summary: 'Update the bio',
  middleware: [authRequired] as const,
  request: jsonBody(z.object({ bio: z.string().max(500) })),
  responses: {
    200: jsonContent(envelope(z.object({ userId: z.string(), bio: z.string() })), 'Updated'),
    ...errorResponses(400, 401),
  },
});

export const updateProfile = new OpenAPIHono<AppEnv>().openapi(updateProfileRoute, async (c) => {
  const id = viewerId(c);
  const { bio } = c.req.valid('json');
  await c.get('services').db.update(users).set({ bio }).where(eq(users.id, id));
  return ok(c, { userId: id, bio }, { message: '프로필이 수정되었습니다.' });
});
