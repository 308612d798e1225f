// /auth: sign-up, confirmation, sign-in with cookies, refresh, sign-out, me, and handle/nickname changes.
// Paths, bodies, cookies and response fields follow the web client (shared/reference/original-crefans.md).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { getCookie } from 'hono/cookie';
import { decodeJwt } from 'jose';
import { cognitoFor } from '../../auth/client.ts';
import { fromCognito } from '../../auth/cognito-errors.ts';
import { COOKIE, clearAuthCookies, readAccessToken, setAuthCookies } from '../../auth/cookies.ts';
import { assertSignInAllowed, signInAttempt } from '../../auth/lockout.ts';
import { authRequired } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import {
  activateUser,
  changeHandle,
  changeNickname,
  createPendingUser,
  generateHandle,
  getUser,
  isEmailRegistered,
  isNicknameTaken,
  nicknameProblem,
  requireKrMobile,
} from '../../domain/identity.ts';
import { viewerSummary } from '../../domain/profiles.ts';
import { cancelDeletionOnSignIn } from '../../domain/account-deletion.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { limitAuth } from '../../lib/rate-limit.ts';
import {
  ConfirmBody,
  ConfirmQuery,
  EmailBody,
  EmailQuery,
  HandleBody,
  Me,
  NicknameBody,
  SignInBody,
  SignUpBody,
  UserEmail,
} from './schema.ts';

const Empty = z.object({});
const SignedIn = UserEmail.extend({ accountDeletionCanceled: z.literal(true).optional() });

async function cognitoCall<T>(
  promise: Promise<T>,
  context: Parameters<typeof fromCognito>[1],
): Promise<T> {
  try {
    return await promise;
  } catch (err) {
    throw fromCognito(err, context);
  }
}

/** After confirmation: activate the mirror and ask for the wallet (the sweeper repairs a lost message). */
async function afterConfirmation(c: Context<AppEnv>, email: string): Promise<void> {
  const { db, logger, clock } = c.get('services');
  const userId = await activateUser(db, email, clock.now());
  if (!userId) {
    logger.error('confirmation: no local user for a confirmed Cognito account');
    return;
  }
  try {
    await c.get('env').WALLET_QUEUE.send({ userId });
  } catch (err) {
    logger.error('confirmation: wallet message not enqueued; the sweeper will repair', {
      userId,
      error: err,
    });
  }
}

export const auth = new OpenAPIHono<AppEnv>();

auth.openapi(
  createRoute({
    method: 'post',
    path: '/signup',
    tags: ['auth'],
    summary: 'Sign up with e-mail and password (a confirmation code is e-mailed)',
    request: jsonBody(SignUpBody),
    responses: {
      201: jsonContent(
        envelope(z.object({ user: z.object({ email: z.string(), userSub: z.string() }) })),
        'Signed up; confirm the e-mail next',
      ),
      ...errorResponses(400, 409, 429),
    },
  }),
  async (c) => {
    const body = c.req.valid('json');
    await limitAuth(c, 'signup', body.email);
    const problem = nicknameProblem(body.nickname);
    if (problem)
      throw new ApiError('VALIDATION_FAILED', problem, {
        details: [{ path: 'nickname', message: problem }],
      });
    const phoneNumber = requireKrMobile(body.phoneNumber);
    const { db } = c.get('services');
    if (await isNicknameTaken(db, body.nickname))
      throw new ApiError('NICKNAME_TAKEN', '이미 사용 중인 닉네임입니다.');
    const handle = generateHandle();
    const { userSub } = await cognitoCall(
      cognitoFor(c).signUp({
        email: body.email,
        password: body.password,
        attributes: {
          name: body.name,
          nickname: body.nickname,
          phone_number: phoneNumber,
          preferred_username: handle,
        },
      }),
      'signup',
    );
    await createPendingUser(db, {
      id: userSub,
      email: body.email,
      handle,
      nickname: body.nickname,
      name: body.name,
      phoneNumber,
      isEarlybird: body.isEarlybird ?? false,
    });
    return ok(
      c,
      { user: { email: body.email, userSub } },
      { status: 201, message: '회원가입이 완료되었습니다. 이메일 인증을 진행해 주세요.' },
    );
  },
);

auth.openapi(
  createRoute({
    method: 'post',
    path: '/confirm-signup',
    tags: ['auth'],
    summary: 'Confirm the e-mail with the code',
    request: jsonBody(ConfirmBody),
    responses: {
      201: jsonContent(envelope(UserEmail), 'Confirmed'),
      ...errorResponses(400, 409, 429),
    },
  }),
  async (c) => {
    const { email, confirmationCode } = c.req.valid('json');
    await limitAuth(c, 'confirm', email);
    await cognitoCall(cognitoFor(c).confirmSignUp(email, confirmationCode), 'confirm');
    await afterConfirmation(c, email);
    return ok(c, { user: { email } }, { status: 201, message: '이메일 인증이 완료되었습니다.' });
  },
);

auth.openapi(
  createRoute({
    method: 'get',
    path: '/confirm-email-verification',
    tags: ['auth'],
    summary: 'Confirm the e-mail from the link in the verification mail',
    request: { query: ConfirmQuery },
    responses: {
      200: jsonContent(envelope(UserEmail), 'Confirmed'),
      ...errorResponses(400, 409, 429),
    },
  }),
  async (c) => {
    const { email, code } = c.req.valid('query');
    await limitAuth(c, 'confirm', email);
    await cognitoCall(cognitoFor(c).confirmSignUp(email, code), 'confirm');
    await afterConfirmation(c, email);
    return ok(c, { user: { email } }, { message: '이메일 인증이 완료되었습니다.' });
  },
);

auth.openapi(
  createRoute({
    method: 'post',
    path: '/resend-confirmation-code',
    tags: ['auth'],
    summary: 'Send the confirmation code again',
    request: jsonBody(EmailBody),
    responses: { 201: jsonContent(envelope(Empty), 'Sent'), ...errorResponses(400, 409, 429) },
  }),
  async (c) => {
    const { email } = c.req.valid('json');
    await limitAuth(c, 'resend', email);
    await cognitoCall(cognitoFor(c).resendConfirmationCode(email), 'resend');
    return ok(c, {}, { status: 201, message: '인증 코드를 다시 보냈습니다.' });
  },
);

auth.openapi(
  createRoute({
    method: 'post',
    path: '/signin',
    tags: ['auth'],
    summary: 'Sign in; sets the access_token, id_token and refresh_token cookies',
    request: jsonBody(SignInBody),
    responses: {
      201: jsonContent(envelope(SignedIn), 'Signed in'),
      ...errorResponses(400, 401, 403, 429),
    },
  }),
  async (c) => {
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
    // Signing in within the grace period cancels a pending account deletion (and says so).
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
  },
);

auth.openapi(
  createRoute({
    method: 'post',
    path: '/refresh',
    tags: ['auth'],
    summary:
      'New access and id tokens from the refresh_token cookie (works after the id_token cookie expired)',
    responses: { 201: jsonContent(envelope(Empty), 'Refreshed'), ...errorResponses(401) },
  }),
  async (c) => {
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
  },
);

auth.openapi(
  createRoute({
    method: 'post',
    path: '/signout',
    tags: ['auth'],
    summary:
      'Sign out everywhere: revokes the refresh token, signs out globally, clears the cookies',
    responses: { 201: jsonContent(envelope(Empty), 'Signed out') },
  }),
  async (c) => {
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
        .catch((err: unknown) =>
          logger.info('signout: global sign-out not applied', { error: err }),
        );
    }
    clearAuthCookies(c, c.get('env'));
    return ok(c, {}, { status: 201, message: '로그아웃되었습니다.' });
  },
);

auth.openapi(
  createRoute({
    method: 'get',
    path: '/me',
    tags: ['auth'],
    summary: 'The signed-in user',
    middleware: [authRequired] as const,
    responses: { 200: jsonContent(envelope(Me), 'The viewer'), ...errorResponses(401, 404) },
  }),
  async (c) => {
    const viewer = c.get('viewer');
    if (!viewer) throw new ApiError('UNAUTHENTICATED', '로그인이 필요합니다.');
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
  },
);

auth.openapi(
  createRoute({
    method: 'get',
    path: '/session',
    tags: ['auth'],
    summary: 'The verified session behind the cookie: user id and expiry (no database read)',
    middleware: [authRequired] as const,
    responses: {
      200: jsonContent(
        envelope(z.object({ sub: z.string(), expiresAt: z.string() })),
        'The session',
      ),
      ...errorResponses(401),
    },
  }),
  (c) => {
    const viewer = c.get('viewer');
    if (!viewer) throw new ApiError('UNAUTHENTICATED', '로그인이 필요합니다.');
    return ok(c, { sub: viewer.id, expiresAt: viewer.expiresAt.toISOString() });
  },
);

auth.openapi(
  createRoute({
    method: 'get',
    path: '/check-email',
    tags: ['auth'],
    summary: 'Whether an e-mail is already registered (rate-limited)',
    request: { query: EmailQuery },
    responses: {
      200: jsonContent(envelope(z.object({ exists: z.boolean() })), 'Answer'),
      ...errorResponses(400, 429),
    },
  }),
  async (c) => {
    const { email } = c.req.valid('query');
    await limitAuth(c, 'check-email', email);
    const exists = await isEmailRegistered(c.get('services').db, email);
    return ok(
      c,
      { exists },
      { message: exists ? '이미 가입된 이메일입니다.' : '사용 가능한 이메일입니다.' },
    );
  },
);

auth.openapi(
  createRoute({
    method: 'put',
    path: '/nickname',
    tags: ['auth'],
    summary: 'Change the nickname (also in Cognito, where the id token reads it)',
    middleware: [authRequired] as const,
    request: jsonBody(NicknameBody),
    responses: { 200: jsonContent(envelope(Empty), 'Changed'), ...errorResponses(400, 401, 409) },
  }),
  async (c) => {
    const viewer = c.get('viewer');
    if (!viewer) throw new ApiError('UNAUTHENTICATED', '로그인이 필요합니다.');
    const { nickname } = c.req.valid('json');
    await changeNickname(c.get('services').db, viewer.id, nickname);
    await syncAttributes(c, viewer.accessToken, { nickname });
    return ok(c, {}, { message: '닉네임이 변경되었습니다.' });
  },
);

auth.openapi(
  createRoute({
    method: 'put',
    path: '/handle',
    tags: ['auth'],
    summary: 'Change the handle (unique; also in Cognito as preferred_username)',
    middleware: [authRequired] as const,
    request: jsonBody(HandleBody),
    responses: { 200: jsonContent(envelope(Empty), 'Changed'), ...errorResponses(400, 401, 409) },
  }),
  async (c) => {
    const viewer = c.get('viewer');
    if (!viewer) throw new ApiError('UNAUTHENTICATED', '로그인이 필요합니다.');
    const { preferredUsername } = c.req.valid('json');
    await changeHandle(c.get('services').db, viewer.id, preferredUsername);
    await syncAttributes(c, viewer.accessToken, { preferred_username: preferredUsername });
    return ok(c, {}, { message: '핸들이 변경되었습니다.' });
  },
);

/** The database is the source of truth; Cognito gets a copy for the id token, logged when it fails. */
async function syncAttributes(
  c: Context<AppEnv>,
  accessToken: string,
  attributes: Record<string, string>,
): Promise<void> {
  try {
    await cognitoFor(c).updateAttributes(accessToken, attributes);
  } catch (err) {
    c.get('services').logger.warn('cognito attribute sync failed', {
      attributes: Object.keys(attributes),
      error: err,
    });
  }
}
