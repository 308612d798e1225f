// POST /auth/confirm-signup — the e-mailed code confirms the account.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { cognitoFor } from '../../auth/client.ts';
import type { AppEnv } from '../../context.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { limitAuth } from '../../lib/rate-limit.ts';
import { afterConfirmation, cognitoCall } from './cognito.ts';
import { ConfirmBody, UserEmail } from './schema.ts';

export const confirmSignUpRoute = createRoute({
  method: 'post',
  path: '/confirm-signup',
  tags: ['auth'],
  summary: 'Confirm the e-mail with the code',
  request: jsonBody(ConfirmBody),
  responses: {
    201: jsonContent(envelope(UserEmail), 'Confirmed'),
    ...errorResponses(400, 409, 429),
  },
});

export const confirmSignUp = new OpenAPIHono<AppEnv>().openapi(confirmSignUpRoute, async (c) => {
  const { email, confirmationCode } = c.req.valid('json');
  await limitAuth(c, 'confirm', email);
  await cognitoCall(cognitoFor(c).confirmSignUp(email, confirmationCode), 'confirm');
  await afterConfirmation(c, email);
  return ok(c, { user: { email } }, { status: 201, message: '이메일 인증이 완료되었습니다.' });
});
