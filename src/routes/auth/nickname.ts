// PUT /auth/nickname — a new nickname (the database, then a copy in Cognito for the id token).
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { authRequired, requireViewer } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { changeNickname } from '../../domain/identity.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { syncAttributes } from './cognito.ts';
import { Empty, NicknameBody } from './schema.ts';

export const nicknameRoute = createRoute({
  method: 'put',
  path: '/nickname',
  tags: ['auth'],
  summary: 'Change the nickname (also in Cognito, where the id token reads it)',
  middleware: [authRequired] as const,
  request: jsonBody(NicknameBody),
  responses: { 200: jsonContent(envelope(Empty), 'Changed'), ...errorResponses(400, 401, 409) },
});

export const nickname = new OpenAPIHono<AppEnv>().openapi(nicknameRoute, async (c) => {
  const viewer = requireViewer(c);
  const { nickname: value } = c.req.valid('json');
  await changeNickname(c.get('services').db, viewer.id, value);
  await syncAttributes(c, viewer.accessToken, { nickname: value });
  return ok(c, {}, { message: '닉네임이 변경되었습니다.' });
});
