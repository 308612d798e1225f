// POST /user/become-creator and POST /user/creator (the client uses both) — the viewer becomes a
// creator in a category.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, isNull } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import type { Database } from '../../db/client.ts';
import { creatorCategories, creators } from '../../db/schema/index.ts';
import { isDuplicateKey } from '../../domain/identity.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';

// The creator centre's quick "become a creator" button sends this literal instead of an id: the
// first active category (by sort order) is the default it means.
const DEFAULT_CATEGORY = 'default-category-id';

const Body = z.object({ category_id: z.union([z.uuid(), z.literal(DEFAULT_CATEGORY)]) });
const BecameCreator = z.object({
  isCreator: z.literal(true),
  creatorId: z.string(),
  categoryId: z.string(),
});

const becomeCreatorRoute = (path: string) =>
  createRoute({
    method: 'post',
    path,
    tags: ['user'],
    summary: 'Become a creator in a category',
    middleware: [authRequired] as const,
    request: jsonBody(Body),
    responses: {
      201: jsonContent(envelope(BecameCreator), 'Now a creator'),
      ...errorResponses(400, 401, 404, 409),
    },
  });

async function makeCreator(db: Database, userId: string, categoryId: string) {
  const live = and(eq(creatorCategories.isActive, true), isNull(creatorCategories.deletedAt));
  const [category] = await db
    .select({ id: creatorCategories.id })
    .from(creatorCategories)
    .where(categoryId === DEFAULT_CATEGORY ? live : and(eq(creatorCategories.id, categoryId), live))
    .orderBy(asc(creatorCategories.sortOrder))
    .limit(1);
  if (!category) throw new ApiError('NOT_FOUND', '카테고리를 찾을 수 없습니다.');
  const creatorId = uuidv7();
  try {
    await db.insert(creators).values({ id: creatorId, userId, categoryId: category.id });
  } catch (err) {
    if (isDuplicateKey(err)) throw new ApiError('ALREADY_CREATOR', '이미 크리에이터입니다.');
    throw err;
  }
  return { isCreator: true as const, creatorId, categoryId: category.id };
}

export const becomeCreator = new OpenAPIHono<AppEnv>();
for (const path of ['/become-creator', '/creator']) {
  becomeCreator.openapi(becomeCreatorRoute(path), async (c) => {
    const data = await makeCreator(
      c.get('services').db,
      viewerId(c),
      c.req.valid('json').category_id,
    );
    return ok(c, data, { status: 201, message: '크리에이터가 되었습니다.' });
  });
}
