// GET /auth/me — the signed-in user as the web client reads it (Cognito-style attributes).
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { authRequired, requireViewer } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { viewerSummary } from '../../domain/profiles.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { Me } from './schema.ts';

export const meRoute = createRoute({
  method: 'get',
  path: '/me',
  tags: ['auth'],
  summary: 'The signed-in user',
  middleware: [authRequired] as const,
  responses: { 200: jsonContent(envelope(Me), 'The viewer'), ...errorResponses(401, 404) },
});

export const me = new OpenAPIHono<AppEnv>().openapi(meRoute, async (c) => {
  const viewer = requireViewer(c);
  const summary = await viewerSummary(c.get('services').db, viewer.id);
  if (!summary) throw new ApiError('NOT_FOUND', '사용자를 찾을 수 없습니다.');
  const { user, isCreator, points } = summary;
  return ok(c, {
    user: {
      username: viewer.username,
      attributes: {
        email: user.email,
        email_verified: user.status !== 'pending',
        preferred_username: user.handle,
        name: user.name,
        sub: user.id,
        picture: user.avatarUrl,
        nickname: user.nickname,
        phone_number: user.phoneNumber,
      },
      points,
      isCreator,
      profile: user.bio === null ? null : { bio: user.bio },
    },
  });
});
