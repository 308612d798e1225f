// /explore: categories and creators, in the client's shapes.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { activeCategories, exploreCreators } from '../../domain/explore.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { edgeCache } from '../../middleware/edge-cache.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';

export const exploreRoutes = new OpenAPIHono<AppEnv>();
exploreRoutes.use('*', edgeCache);

const PageQuery = z.object({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
const Creators = envelope(
  z.object({
    creators: z.array(z.record(z.string(), z.unknown())),
    nextCursor: z.string().nullable(),
    hasMore: z.boolean(),
    category: z.record(z.string(), z.unknown()).optional(),
  }),
);

exploreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/categories',
    tags: ['explore'],
    summary: 'Creator categories',
    responses: {
      200: jsonContent(envelope(z.array(z.record(z.string(), z.unknown()))), 'Categories'),
    },
  }),
  async (c) => ok(c, await activeCategories(c.get('services').db)),
);

exploreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/creators/new',
    tags: ['explore'],
    summary: 'Creators who joined in the last 30 days, newest first',
    request: { query: PageQuery },
    responses: { 200: jsonContent(Creators, 'Creators'), ...errorResponses(400) },
  }),
  async (c) => {
    const { cursor, limit } = c.req.valid('query');
    const { db, clock } = c.get('services');
    return ok(
      c,
      await exploreCreators(db, {
        newOnly: true,
        after: decodeCursor(cursor),
        limit,
        now: clock.now(),
      }),
    );
  },
);

exploreRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/creators/by-category/{categoryId}',
    tags: ['explore'],
    summary: 'Creators in a category, newest first',
    request: { params: z.object({ categoryId: z.uuid() }), query: PageQuery },
    responses: { 200: jsonContent(Creators, 'Creators'), ...errorResponses(400, 404) },
  }),
  async (c) => {
    const { cursor, limit } = c.req.valid('query');
    const { db, clock } = c.get('services');
    return ok(
      c,
      await exploreCreators(db, {
        categoryId: c.req.valid('param').categoryId,
        newOnly: false,
        after: decodeCursor(cursor),
        limit,
        now: clock.now(),
      }),
    );
  },
);
