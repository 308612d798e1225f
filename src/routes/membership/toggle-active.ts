// PATCH /membership/{id}/toggle-active — put a tier on or off sale.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { tierView, toggleTier } from '../../domain/memberships.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { IdParam, Tier, creatorRoute } from './schema.ts';

export const toggleActiveRoute = createRoute({
  method: 'patch',
  path: '/{id}/toggle-active',
  tags: ['membership'],
  summary: 'Put a tier on or off sale',
  middleware: creatorRoute,
  request: { params: IdParam },
  responses: {
    200: jsonContent(envelope(Tier), 'Toggled'),
    ...errorResponses(400, 401, 403, 404),
  },
});

export const toggleActive = new OpenAPIHono<AppEnv>().openapi(toggleActiveRoute, async (c) =>
  ok(c, tierView(await toggleTier(c.get('services').db, viewerId(c), c.req.valid('param').id))),
);
