// GET /auth/confirm-email-verification — the link in the verification mail confirms the account.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { cognitoFor } from '../../auth/client.ts';
import type { AppEnv } from '../../context.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { limitAuth } from '../../lib/rate-limit.ts';
import { afterConfirmation, cognitoCall } from './cognito.ts';
import { ConfirmQuery, UserEmail } from './schema.ts';

export const confirmEmailVerificationRoute = createRoute({
  method: 'get',
  path: '/confirm-email-verification',
  tags: ['auth'],
  summary: 'Confirm the e-mail from the link in the verification mail',
  request: { query: ConfirmQuery },
  responses: {
    200: jsonContent(envelope(UserEmail), 'Confirmed'),
    ...errorResponses(400, 409, 429),
  },
});

export const confirmEmailVerification = new OpenAPIHono<AppEnv>().openapi(
  confirmEmailVerificationRoute,
  async (c) => {
    const { email, code } = c.req.valid('query');
    await limitAuth(c, 'confirm', email);
    await cognitoCall(cognitoFor(c).confirmSignUp(email, code), 'confirm');
    await afterConfirmation(c, email);
    return ok(c, { user: { email } }, { message: '이메일 인증이 완료되었습니다.' });
  },
);
