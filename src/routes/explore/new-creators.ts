// GET /explore/creators/new — creators who joined in the last 30 days, newest first.
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { exploreCreators } from '../../domain/explore.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { ok } from '../../lib/envelope.ts';
import { errorResponses, jsonContent } from '../../lib/openapi.ts';
import { CreatorPage, ExplorePageQuery } from './schema.ts';

export const newCreatorsRoute = createRoute({
  method: 'get',
  path: '/creators/new',
  tags: ['explore'],
  summary: 'Creators who joined in the last 30 days, newest first',
  request: { query: ExplorePageQuery },
  responses: { 200: jsonContent(CreatorPage, 'Creators'), ...errorResponses(400) },
});

export const newCreators = new OpenAPIHono<AppEnv>().openapi(newCreatorsRoute, async (c) => {
  const { cursor, limit } = c.req.valid('query');
  const { db, clock } = c.get('services');
  const page = await exploreCreators(db, {
    newOnly: true,
    after: decodeCursor(cursor),
    limit,
    now: clock.now(),
  });
  return ok(c, page);
});
