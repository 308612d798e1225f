// GET /explore/creators/by-category/:categoryId — creators in a category, newest first.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { exploreCreators } from '../../domain/explore.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { ok } from '../../lib/envelope.ts';
import { errorResponses, jsonContent } from '../../lib/openapi.ts';
import { CreatorPage, ExplorePageQuery } from './schema.ts';

export const byCategoryRoute = createRoute({
  method: 'get',
  path: '/creators/by-category/{categoryId}',
  tags: ['explore'],
  summary: 'Creators in a category, newest first',
  request: { params: z.object({ categoryId: z.uuid() }), query: ExplorePageQuery },
  responses: { 200: jsonContent(CreatorPage, 'Creators'), ...errorResponses(400, 404) },
});

export const byCategory = new OpenAPIHono<AppEnv>().openapi(byCategoryRoute, async (c) => {
  const { cursor, limit } = c.req.valid('query');
  const { db, clock } = c.get('services');
  const page = await exploreCreators(db, {
    categoryId: c.req.valid('param').categoryId,
    newOnly: false,
    after: decodeCursor(cursor),
    limit,
    now: clock.now(),
  });
  return ok(c, page);
});
