// GET /user/check-nickname?nickname= — whether a nickname is valid (400 if not) and free.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { isNicknameTaken, requireValidNickname } from '../../domain/identity.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';

export const checkNicknameRoute = createRoute({
  method: 'get',
  path: '/check-nickname',
  tags: ['user'],
  summary: 'Whether a nickname is valid and free',
  request: { query: z.object({ nickname: z.string().trim() }) },
  responses: {
    200: jsonContent(envelope(z.object({ available: z.boolean() })), 'Answer'),
    ...errorResponses(400),
  },
});

export const checkNickname = new OpenAPIHono<AppEnv>().openapi(checkNicknameRoute, async (c) => {
  const { nickname } = c.req.valid('query');
  requireValidNickname(nickname);
  const available = !(await isNicknameTaken(c.get('services').db, nickname));
  return ok(
    c,
    { available },
    { message: available ? '사용 가능한 닉네임입니다.' : '이미 사용 중인 닉네임입니다.' },
  );
});
