// POST /auth/signout — revokes the refresh token, signs out globally (both best effort) and clears
// the cookies.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { cognitoFor } from '../../auth/client.ts';
import { COOKIE, clearAuthCookies, readAccessToken } from '../../auth/cookies.ts';
import type { AppEnv } from '../../context.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, jsonContent } from '../../lib/openapi.ts';
import { Empty } from './schema.ts';

export const signOutRoute = createRoute({
  method: 'post',
  path: '/signout',
  tags: ['auth'],
  summary: 'Sign out everywhere: revokes the refresh token, signs out globally, clears the cookies',
  responses: { 201: jsonContent(envelope(Empty), 'Signed out') },
});

export const signOut = new OpenAPIHono<AppEnv>().openapi(signOutRoute, async (c) => {
  const { logger } = c.get('services');
  const cognito = cognitoFor(c);
  const refreshToken = getCookie(c, COOKIE.refresh);
  const accessToken = readAccessToken(c);
  if (refreshToken) {
    await cognito
      .revokeRefreshToken(refreshToken)
      .catch((err: unknown) => logger.warn('signout: revoke failed', { error: err }));
  }
  if (accessToken) {
    await cognito
      .globalSignOut(accessToken)
      .catch((err: unknown) => logger.info('signout: global sign-out not applied', { error: err }));
  }
  clearAuthCookies(c, c.get('env'));
  return ok(c, {}, { status: 201, message: '로그아웃되었습니다.' });
});
