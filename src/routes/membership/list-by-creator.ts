// GET /membership/creator/{creatorId} — a creator's tiers on sale (public), as `data.memberships`.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { listPublicTiers, tierView } from '../../domain/memberships.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, jsonContent } from '../../lib/openapi.ts';
import { Tier } from './schema.ts';

export const listByCreatorRoute = createRoute({
  method: 'get',
  path: '/creator/{creatorId}',
  tags: ['membership'],
  summary: "A creator's tiers on sale",
  request: { params: z.object({ creatorId: z.string().min(1).max(36) }) },
  responses: { 200: jsonContent(envelope(z.object({ memberships: z.array(Tier) })), 'Tiers') },
});

export const listByCreator = new OpenAPIHono<AppEnv>().openapi(listByCreatorRoute, async (c) =>
  ok(c, {
    memberships: (await listPublicTiers(c.get('services').db, c.req.valid('param').creatorId)).map(
      tierView,
    ),
  }),
);
