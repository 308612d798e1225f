// The web client's cookie contract (shared/reference/original-crefans.md §0): access_token (HttpOnly, 1 h),
// id_token (readable by the page, 1 h), refresh_token (HttpOnly, 30 d); Path=/, SameSite=Lax; Secure and
// Domain from config in production. `auth_user` (HttpOnly, 30 d) keeps the Cognito username so that a
// refresh still works after the 1-hour id_token cookie has expired (SECRET_HASH needs it).
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import type { Env } from '../env.ts';
import type { AuthTokens } from './cognito.ts';

export const COOKIE = {
  access: 'access_token',
  id: 'id_token',
  refresh: 'refresh_token',
  user: 'auth_user',
} as const;

const THIRTY_DAYS = 30 * 24 * 60 * 60;

function base(env: Env): CookieOptions {
  const secure = env.COOKIE_SECURE ?? env.APP_ENV === 'production';
  return {
    path: '/',
    sameSite: 'Lax',
    secure,
    ...(env.COOKIE_DOMAIN ? { domain: env.COOKIE_DOMAIN } : {}),
  };
}

export function setAuthCookies(c: Context, env: Env, tokens: AuthTokens, username: string): void {
  const opts = base(env);
  // The client's contract is a 1-hour session cookie pair, refreshed through /auth/refresh.
  const ttl = Math.min(tokens.expiresIn > 0 ? tokens.expiresIn : 3600, 3600);
  setCookie(c, COOKIE.access, tokens.accessToken, { ...opts, httpOnly: true, maxAge: ttl });
  setCookie(c, COOKIE.id, tokens.idToken, { ...opts, httpOnly: false, maxAge: ttl });
  if (tokens.refreshToken)
    setCookie(c, COOKIE.refresh, tokens.refreshToken, {
      ...opts,
      httpOnly: true,
      maxAge: THIRTY_DAYS,
    });
  setCookie(c, COOKIE.user, username, { ...opts, httpOnly: true, maxAge: THIRTY_DAYS });
}

export function clearAuthCookies(c: Context, env: Env): void {
  const opts = base(env);
  for (const name of Object.values(COOKIE)) deleteCookie(c, name, opts);
}

export function readAccessToken(c: Context): string | undefined {
  const cookie = getCookie(c, COOKIE.access);
  if (cookie) return cookie;
  const header = c.req.header('authorization');
  if (header && /^Bearer\s+/i.test(header))
    return header.replace(/^Bearer\s+/i, '').trim() || undefined;
  return undefined;
}
