// PUT /auth/handle — a new handle (unique; copied to Cognito as preferred_username).
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { authRequired, requireViewer } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { changeHandle } from '../../domain/identity.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { syncAttributes } from './cognito.ts';
import { Empty, HandleBody } from './schema.ts';

export const handleRoute = createRoute({
  method: 'put',
  path: '/handle',
  tags: ['auth'],
  summary: 'Change the handle (unique; also in Cognito as preferred_username)',
  middleware: [authRequired] as const,
  request: jsonBody(HandleBody),
  responses: { 200: jsonContent(envelope(Empty), 'Changed'), ...errorResponses(400, 401, 409) },
});

export const handle = new OpenAPIHono<AppEnv>().openapi(handleRoute, async (c) => {
  const viewer = requireViewer(c);
  const { preferredUsername } = c.req.valid('json');
  await changeHandle(c.get('services').db, viewer.id, preferredUsername);
  await syncAttributes(c, viewer.accessToken, { preferred_username: preferredUsername });
  return ok(c, {}, { message: '핸들이 변경되었습니다.' });
});
