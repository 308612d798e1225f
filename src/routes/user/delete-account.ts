// DELETE /user/account — the settings page's delete-account modal. The modal checks the typed "삭제"
// itself and sends no body, so re-authentication is a recent sign-in: the session's auth_time must
// be at most ACCOUNT_DELETION_REAUTH_MINUTES old (else 401 REAUTH_REQUIRED). The request then waits
// out the grace period (signing in again cancels it); every session is signed out now.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { getCookie } from 'hono/cookie';
import { decodeJwt } from 'jose';
import { cognitoFor } from '../../auth/client.ts';
import { COOKIE, clearAuthCookies } from '../../auth/cookies.ts';
import { authRequired, requireViewer } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { assertFreshSignIn, requestDeletion } from '../../domain/account-deletion.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';

const DeletionRequested = z
  .object({
    status: z.literal('pending'),
    requestedAt: z.string(),
    scheduledAt: z.string(),
    graceDays: z.number().int(),
    stoppedSubscriptions: z.number().int(),
  })
  .openapi('AccountDeletionRequested');

export const deleteAccountRoute = createRoute({
  method: 'delete',
  path: '/account',
  tags: ['user'],
  summary:
    'Ask to delete the account: anonymised after the grace period unless the user signs in again',
  middleware: [authRequired] as const,
  responses: {
    200: jsonContent(
      envelope(DeletionRequested),
      'Deletion scheduled; the sessions are signed out',
    ),
    ...errorResponses(401),
  },
});

export const deleteAccount = new OpenAPIHono<AppEnv>().openapi(deleteAccountRoute, async (c) => {
  const viewer = requireViewer(c);
  const env = c.get('env');
  const { db, clock, logger } = c.get('services');
  const now = clock.now();
  assertFreshSignIn(
    decodeJwt(viewer.accessToken).auth_time,
    now,
    env.ACCOUNT_DELETION_REAUTH_MINUTES,
  );
  const { deletion } = await requestDeletion(db, viewer.id, now, env.ACCOUNT_DELETION_GRACE_DAYS);

  const cognito = cognitoFor(c);
  const refreshToken = getCookie(c, COOKIE.refresh);
  if (refreshToken)
    await cognito
      .revokeRefreshToken(refreshToken)
      .catch((err: unknown) =>
        logger.info('account deletion: refresh token not revoked', { error: err }),
      );
  await cognito
    .globalSignOut(viewer.accessToken)
    .catch((err: unknown) =>
      logger.info('account deletion: global sign-out not applied', { error: err }),
    );
  clearAuthCookies(c, env);

  const days = env.ACCOUNT_DELETION_GRACE_DAYS;
  return ok(
    c,
    {
      status: 'pending' as const,
      requestedAt: deletion.requestedAt.toISOString(),
      scheduledAt: deletion.scheduledAt.toISOString(),
      graceDays: days,
      stoppedSubscriptions: deletion.stoppedSubscriptions?.length ?? 0,
    },
    { message: `탈퇴가 요청되었습니다. ${days}일 안에 다시 로그인하면 탈퇴가 취소됩니다.` },
  );
});
