// GET /user/profile/:handle — a public profile by handle (follow state for a signed-in viewer).
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { authOptional } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { getProfile } from '../../domain/profiles.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { HandleParam, Profile } from './schema.ts';

export const profileRoute = createRoute({
  method: 'get',
  path: '/profile/{handle}',
  tags: ['user'],
  summary: 'A profile by handle',
  middleware: [authOptional] as const,
  request: { params: HandleParam },
  responses: {
    200: jsonContent(envelope(Profile), 'The profile'),
    ...errorResponses(404),
  },
});

export const profile = new OpenAPIHono<AppEnv>().openapi(profileRoute, async (c) => {
  const { handle } = c.req.valid('param');
  const { db, clock } = c.get('services');
  const view = await getProfile(db, handle, c.get('viewer')?.id ?? null, clock.now());
  if (!view) throw new ApiError('NOT_FOUND', '사용자를 찾을 수 없습니다.');
  return ok(c, view);
});
