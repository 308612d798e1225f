// Who is asking: required, optional, creator-only and admin-only. The token is verified locally (jose);
// only creator/admin checks read the database.
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv, Viewer } from '../context.ts';
import { users } from '../db/schema/index.ts';
import { isActiveCreator } from '../domain/identity.ts';
import { cognitoSettings } from '../env.ts';
import { ApiError } from '../lib/errors.ts';
import { readAccessToken } from './cookies.ts';
import { InvalidTokenError, verifyAccessToken } from './jwt.ts';

async function resolveViewer(c: Context<AppEnv>): Promise<Viewer | null> {
  const token = readAccessToken(c);
  if (!token) return null;
  const settings = cognitoSettings(c.get('env'));
  try {
    const claims = await verifyAccessToken(token, {
      issuer: settings.issuer,
      jwksUrl: settings.jwksUrl,
      allowedClientIds: settings.allowedClientIds,
    });
    return { id: claims.sub, username: claims.username ?? claims.sub, accessToken: token, expiresAt: new Date((claims.exp ?? 0) * 1000) };
  } catch (err) {
    if (err instanceof InvalidTokenError) {
      c.get('services').logger.info('auth: token rejected', { reason: err.message });
      throw new ApiError('UNAUTHENTICATED', '로그인이 필요합니다.');
    }
    c.get('services').logger.error('auth: token verification unavailable', { error: err });
    throw new ApiError('SERVICE_UNAVAILABLE', '인증 서버에 연결할 수 없습니다.');
  }
}

/** The signed-in viewer's id, for handlers behind authRequired (401 if there is none). */
export function viewerId(c: Context<AppEnv>): string {
  const viewer = c.get('viewer');
  if (!viewer) throw new ApiError('UNAUTHENTICATED', '로그인이 필요합니다.');
  return viewer.id;
}

/** Sets the viewer when a valid token is present; a missing token is fine, an invalid one is 401. */
export const authOptional = createMiddleware<AppEnv>(async (c, next) => {
  c.set('viewer', await resolveViewer(c));
  await next();
});

export const authRequired = createMiddleware<AppEnv>(async (c, next) => {
  const viewer = await resolveViewer(c);
  if (!viewer) throw new ApiError('UNAUTHENTICATED', '로그인이 필요합니다.');
  c.set('viewer', viewer);
  await next();
});

export const creatorOnly = createMiddleware<AppEnv>(async (c, next) => {
  const viewer = c.get('viewer');
  if (!viewer) throw new ApiError('UNAUTHENTICATED', '로그인이 필요합니다.');
  if (!(await isActiveCreator(c.get('services').db, viewer.id))) throw new ApiError('FORBIDDEN', '크리에이터만 이용할 수 있습니다.');
  await next();
});

export const adminOnly = createMiddleware<AppEnv>(async (c, next) => {
  const viewer = c.get('viewer');
  if (!viewer) throw new ApiError('UNAUTHENTICATED', '로그인이 필요합니다.');
  const [row] = await c.get('services').db.select({ role: users.role }).from(users).where(eq(users.id, viewer.id)).limit(1);
  if (row?.role !== 'admin') throw new ApiError('FORBIDDEN', '관리자만 이용할 수 있습니다.');
  await next();
});
