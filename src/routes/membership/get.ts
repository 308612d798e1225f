// GET /membership/{id} — one of my tiers.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { findOwnTier, tierView } from '../../domain/memberships.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { IdParam, Tier, creatorRoute } from './schema.ts';

export const getRoute = createRoute({
  method: 'get',
  path: '/{id}',
  tags: ['membership'],
  summary: 'One of my tiers',
  middleware: creatorRoute,
  request: { params: IdParam },
  responses: { 200: jsonContent(envelope(Tier), 'Tier'), ...errorResponses(400, 401, 403, 404) },
});

export const get = new OpenAPIHono<AppEnv>().openapi(getRoute, async (c) => {
  const tier = await findOwnTier(c.get('services').db, viewerId(c), c.req.valid('param').id);
  if (!tier) throw new ApiError('NOT_FOUND', '멤버십을 찾을 수 없습니다.');
  return ok(c, tierView(tier));
});
