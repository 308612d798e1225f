// PUT /membership/{id} — edit one of my tiers; a field left out stays as it is.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { tierView, updateTier } from '../../domain/memberships.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { IdParam, Tier, TierPatch, creatorRoute, priceNote, toInput } from './schema.ts';

export const updateRoute = createRoute({
  method: 'put',
  path: '/{id}',
  tags: ['membership'],
  summary: 'Edit one of my tiers',
  middleware: creatorRoute,
  request: { params: IdParam, ...jsonBody(TierPatch) },
  responses: {
    200: jsonContent(envelope(Tier), 'Updated'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export const update = new OpenAPIHono<AppEnv>().openapi(updateRoute, async (c) => {
  const body = c.req.valid('json');
  const { db } = c.get('services');
  const item = await updateTier(db, viewerId(c), c.req.valid('param').id, toInput(body));
  return ok(c, tierView(item), { message: `멤버십이 수정되었습니다.${priceNote(body)}` });
});
