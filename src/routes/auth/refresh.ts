// POST /auth/refresh — new access and id tokens from the refresh_token cookie; a failed refresh
// clears the cookies.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { cognitoFor } from '../../auth/client.ts';
import { COOKIE, clearAuthCookies, setAuthCookies } from '../../auth/cookies.ts';
import type { AppEnv } from '../../context.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { cognitoCall } from './cognito.ts';
import { Empty } from './schema.ts';

export const refreshRoute = createRoute({
  method: 'post',
  path: '/refresh',
  tags: ['auth'],
  summary:
    'New access and id tokens from the refresh_token cookie (works after the id_token cookie expired)',
  responses: { 201: jsonContent(envelope(Empty), 'Refreshed'), ...errorResponses(401) },
});

export const refresh = new OpenAPIHono<AppEnv>().openapi(refreshRoute, async (c) => {
  const env = c.get('env');
  const refreshToken = getCookie(c, COOKIE.refresh);
  const username = getCookie(c, COOKIE.user);
  if (!refreshToken || !username) {
    clearAuthCookies(c, env);
    throw new ApiError('SESSION_EXPIRED', '세션이 만료되었습니다. 다시 로그인해 주세요.');
  }
  try {
    const tokens = await cognitoCall(cognitoFor(c).refresh(refreshToken, username), 'refresh');
    setAuthCookies(c, env, tokens, username);
  } catch (err) {
    clearAuthCookies(c, env);
    throw err;
  }
  return ok(c, {}, { status: 201, message: '토큰이 갱신되었습니다.' });
});
