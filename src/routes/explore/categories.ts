// GET /explore/categories — the active creator categories, in their sort order.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { activeCategories } from '../../domain/explore.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, jsonContent } from '../../lib/openapi.ts';
import { Category } from './schema.ts';

export const categoriesRoute = createRoute({
  method: 'get',
  path: '/categories',
  tags: ['explore'],
  summary: 'Creator categories',
  responses: { 200: jsonContent(envelope(z.array(Category)), 'Categories') },
});

export const categories = new OpenAPIHono<AppEnv>().openapi(categoriesRoute, async (c) =>
  ok(c, await activeCategories(c.get('services').db)),
);
