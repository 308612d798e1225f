// GET /user/creator-categories — the active creator categories, by sort order.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { AppEnv } from '../../context.ts';
import { creatorCategories } from '../../db/schema/index.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, jsonContent } from '../../lib/openapi.ts';
import { CreatorCategory } from './schema.ts';

export const creatorCategoriesRoute = createRoute({
  method: 'get',
  path: '/creator-categories',
  tags: ['user'],
  summary: 'Active creator categories',
  responses: { 200: jsonContent(envelope(z.array(CreatorCategory)), 'Categories') },
});

export const listCreatorCategories = new OpenAPIHono<AppEnv>().openapi(
  creatorCategoriesRoute,
  async (c) => {
    const rows = await c
      .get('services')
      .db.select()
      .from(creatorCategories)
      .where(and(eq(creatorCategories.isActive, true), isNull(creatorCategories.deletedAt)))
      .orderBy(asc(creatorCategories.sortOrder));
    return ok(
      c,
      rows.map((r) => ({
        id: r.id,
        name: r.name,
        description: r.description,
        color_code: r.colorCode,
        icon: r.icon,
        sort_order: r.sortOrder,
      })),
    );
  },
);
