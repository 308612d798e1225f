// POST /auth/resend-confirmation-code — Cognito e-mails the confirmation code again.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { cognitoFor } from '../../auth/client.ts';
import type { AppEnv } from '../../context.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { limitAuth } from '../../lib/rate-limit.ts';
import { cognitoCall } from './cognito.ts';
import { EmailBody, Empty } from './schema.ts';

export const resendConfirmationCodeRoute = createRoute({
  method: 'post',
  path: '/resend-confirmation-code',
  tags: ['auth'],
  summary: 'Send the confirmation code again',
  request: jsonBody(EmailBody),
  responses: { 201: jsonContent(envelope(Empty), 'Sent'), ...errorResponses(400, 409, 429) },
});

export const resendConfirmationCode = new OpenAPIHono<AppEnv>().openapi(
  resendConfirmationCodeRoute,
  async (c) => {
    const { email } = c.req.valid('json');
    await limitAuth(c, 'resend', email);
    await cognitoCall(cognitoFor(c).resendConfirmationCode(email), 'resend');
    return ok(c, {}, { status: 201, message: '인증 코드를 다시 보냈습니다.' });
  },
);
