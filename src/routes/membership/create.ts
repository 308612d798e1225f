// POST /membership — create a tier (creators only); a KRW price is rounded to whole KNG.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { createTier, tierView, type TierInput } from '../../domain/memberships.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { Tier, TierBody, creatorRoute, priceNote, toInput } from './schema.ts';

export const createTierRoute = createRoute({
  method: 'post',
  path: '/',
  tags: ['membership'],
  summary: 'Create a tier (creators only)',
  middleware: creatorRoute,
  request: jsonBody(TierBody),
  responses: {
    201: jsonContent(envelope(Tier), 'Created'),
    ...errorResponses(400, 401, 403, 409),
  },
});

export const create = new OpenAPIHono<AppEnv>().openapi(createTierRoute, async (c) => {
  const body = c.req.valid('json');
  if (body.price === undefined && body.priceKng === undefined) {
    throw new ApiError('VALIDATION_FAILED', '가격을 입력해 주세요.', {
      details: [{ path: 'price', message: 'price (KRW) or priceKng is required' }],
    });
  }
  const item = await createTier(c.get('services').db, viewerId(c), toInput(body) as TierInput);
  return ok(c, tierView(item), {
    status: 201,
    message: `멤버십이 생성되었습니다.${priceNote(body)}`,
  });
});
