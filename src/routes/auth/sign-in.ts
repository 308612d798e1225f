// POST /auth/signin — e-mail and password; sets the token cookies. Signing in within the grace
// period cancels a pending account deletion (and says so).
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { decodeJwt } from 'jose';
import { cognitoFor } from '../../auth/client.ts';
import { setAuthCookies } from '../../auth/cookies.ts';
import { assertSignInAllowed, signInAttempt } from '../../auth/lockout.ts';
import type { AppEnv } from '../../context.ts';
import { cancelDeletionOnSignIn } from '../../domain/account-deletion.ts';
import { getUser } from '../../domain/identity.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { limitAuth } from '../../lib/rate-limit.ts';
import { afterConfirmation, cognitoCall } from './cognito.ts';
import { SignInBody, SignedIn } from './schema.ts';

export const signInRoute = createRoute({
  method: 'post',
  path: '/signin',
  tags: ['auth'],
  summary: 'Sign in; sets the access_token, id_token and refresh_token cookies',
  request: jsonBody(SignInBody),
  responses: {
    201: jsonContent(envelope(SignedIn), 'Signed in'),
    ...errorResponses(400, 401, 403, 429),
  },
});

export const signIn = new OpenAPIHono<AppEnv>().openapi(signInRoute, async (c) => {
  const { email, password } = c.req.valid('json');
  await assertSignInAllowed(c, email);
  await limitAuth(c, 'signin', email);
  const tokens = await signInAttempt(c, email, () =>
    cognitoCall(cognitoFor(c).signIn(email, password), 'signin'),
  );
  const sub = String(decodeJwt(tokens.accessToken).sub);
  const { db, clock } = c.get('services');
  const user = await getUser(db, sub);
  if (user && (user.status === 'suspended' || user.status === 'deleted')) {
    throw new ApiError('ACCOUNT_DISABLED', '이용이 제한된 계정입니다.');
  }
  const deletion = await cancelDeletionOnSignIn(db, sub, clock.now());
  if (deletion.state === 'processing')
    throw new ApiError('FORBIDDEN', '탈퇴 처리 중인 계정입니다.');
  if (user?.status === 'pending') await afterConfirmation(c, email);
  setAuthCookies(c, c.get('env'), tokens, sub);
  if (deletion.state === 'canceled') {
    const message = '로그인되었습니다. 탈퇴 요청이 취소되었습니다.';
    return ok(c, { user: { email }, accountDeletionCanceled: true }, { status: 201, message });
  }
  return ok(c, { user: { email } }, { status: 201, message: '로그인되었습니다.' });
});
