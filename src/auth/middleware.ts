// Who is asking: required, optional, creator-only and admin-only. The token is verified locally (jose);
// then one primary-key read of the user's row (status, role, creator) on every request that carries a
// token, so a suspended or deleted account is refused at once (403 ACCOUNT_DISABLED) even on a live
// access token, and the creator/admin checks cost no further query.
import { and, eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv, Viewer } from '../context.ts';
import type { Database } from '../db/client.ts';
import { creators, users } from '../db/schema/index.ts';
import { cognitoSettings } from '../env.ts';
import { ApiError } from '../lib/errors.ts';
import { readAccessToken } from './cookies.ts';
import { InvalidTokenError, verifyAccessToken } from './jwt.ts';

const DISABLED = new Set(['suspended', 'deleted']);

/** The user's current status, role and creator flag in one read (null: no local mirror). */
async function loadAccount(
  db: Database,
  userId: string,
): Promise<NonNullable<Viewer['account']> | null> {
  const [row] = await db
    .select({ status: users.status, role: users.role, creatorId: creators.id })
    .from(users)
    .leftJoin(creators, and(eq(creators.userId, users.id), eq(creators.isActive, true)))
    .where(eq(users.id, userId))
    .limit(1);
  return row ? { status: row.status, role: row.role, isCreator: row.creatorId !== null } : null;
}

async function resolveViewer(c: Context<AppEnv>): Promise<Viewer | null> {
  const token = readAccessToken(c);
  if (!token) return null;
  const settings = cognitoSettings(c.get('env'));
  let viewer: Viewer;
  try {
    const claims = await verifyAccessToken(token, {
      issuer: settings.issuer,
      jwksUrl: settings.jwksUrl,
      allowedClientIds: settings.allowedClientIds,
    });
    viewer = {
      id: claims.sub,
      username: claims.username ?? claims.sub,
      accessToken: token,
      expiresAt: new Date((claims.exp ?? 0) * 1000),
    };
  } catch (err) {
    if (err instanceof InvalidTokenError) {
      c.get('services').logger.info('auth: token rejected', { reason: err.message });
      throw new ApiError('UNAUTHENTICATED', '로그인이 필요합니다.');
    }
    c.get('services').logger.error('auth: token verification unavailable', { error: err });
    throw new ApiError('SERVICE_UNAVAILABLE', '인증 서버에 연결할 수 없습니다.');
  }
  viewer.account = await loadAccount(c.get('services').db, viewer.id);
  if (viewer.account && DISABLED.has(viewer.account.status)) {
    c.get('services').logger.info('auth: account disabled', {
      userId: viewer.id,
      status: viewer.account.status,
    });
    throw new ApiError('ACCOUNT_DISABLED', '이용이 제한된 계정입니다.');
  }
  return viewer;
}

/** The signed-in viewer, for handlers behind authRequired (401 if there is none). */
export function requireViewer(c: Context<AppEnv>): Viewer {
  const viewer = c.get('viewer');
  if (!viewer) throw new ApiError('UNAUTHENTICATED', '로그인이 필요합니다.');
  return viewer;
}

/** The signed-in viewer's id, for handlers behind authRequired (401 if there is none). */
export function viewerId(c: Context<AppEnv>): string {
  return requireViewer(c).id;
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
  if (!viewer.account?.isCreator)
    throw new ApiError('FORBIDDEN', '크리에이터만 이용할 수 있습니다.');
  await next();
});

export const adminOnly = createMiddleware<AppEnv>(async (c, next) => {
  const viewer = c.get('viewer');
  if (!viewer) throw new ApiError('UNAUTHENTICATED', '로그인이 필요합니다.');
  if (viewer.account?.role !== 'admin')
    throw new ApiError('FORBIDDEN', '관리자만 이용할 수 있습니다.');
  await next();
});
