// GET /membership — my tiers (creators only), by level, as `data.memberships`.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { listOwnTiers, tierView } from '../../domain/memberships.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { Tier, creatorRoute } from './schema.ts';

export const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['membership'],
  summary: 'My tiers (creators only), by level',
  middleware: creatorRoute,
  responses: {
    200: jsonContent(envelope(z.object({ memberships: z.array(Tier) })), 'Tiers'),
    ...errorResponses(401, 403),
  },
});

export const list = new OpenAPIHono<AppEnv>().openapi(listRoute, async (c) =>
  ok(c, { memberships: (await listOwnTiers(c.get('services').db, viewerId(c))).map(tierView) }),
);
