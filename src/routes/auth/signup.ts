// POST /auth/signup — a Cognito account plus a pending local user; Cognito e-mails the code.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { cognitoFor } from '../../auth/client.ts';
import type { AppEnv } from '../../context.ts';
import {
  createPendingUser,
  generateHandle,
  isNicknameTaken,
  requireKrMobile,
  requireValidNickname,
} from '../../domain/identity.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { limitAuth } from '../../lib/rate-limit.ts';
import { cognitoCall } from './cognito.ts';
import { SignUpBody, SignedUp } from './schema.ts';

export const signUpRoute = createRoute({
  method: 'post',
  path: '/signup',
  tags: ['auth'],
  summary: 'Sign up with e-mail and password (a confirmation code is e-mailed)',
  request: jsonBody(SignUpBody),
  responses: {
    201: jsonContent(envelope(SignedUp), 'Signed up; confirm the e-mail next'),
    ...errorResponses(400, 409, 429),
  },
});

export const signUp = new OpenAPIHono<AppEnv>().openapi(signUpRoute, async (c) => {
  const body = c.req.valid('json');
  await limitAuth(c, 'signup', body.email);
  requireValidNickname(body.nickname);
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
});
