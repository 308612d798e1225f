// GET /auth/check-email?email= — whether an e-mail is already registered (rate-limited).
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { isEmailRegistered } from '../../domain/identity.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { limitAuth } from '../../lib/rate-limit.ts';
import { EmailExists, EmailQuery } from './schema.ts';

export const checkEmailRoute = createRoute({
  method: 'get',
  path: '/check-email',
  tags: ['auth'],
  summary: 'Whether an e-mail is already registered (rate-limited)',
  request: { query: EmailQuery },
  responses: {
    200: jsonContent(envelope(EmailExists), 'Answer'),
    ...errorResponses(400, 429),
  },
});

export const checkEmail = new OpenAPIHono<AppEnv>().openapi(checkEmailRoute, async (c) => {
  const { email } = c.req.valid('query');
  await limitAuth(c, 'check-email', email);
  const exists = await isEmailRegistered(c.get('services').db, email);
  return ok(
    c,
    { exists },
    { message: exists ? '이미 가입된 이메일입니다.' : '사용 가능한 이메일입니다.' },
  );
});
