// POST /user/become-creator and POST /user/creator (the client uses both) — the viewer becomes a
// creator in a category.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { becomeCreator } from '../../domain/identity.ts';
import { ok } from '../../lib/envelope.ts';
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

export const becomeCreatorRoutes = new OpenAPIHono<AppEnv>();
for (const path of ['/become-creator', '/creator']) {
  becomeCreatorRoutes.openapi(becomeCreatorRoute(path), async (c) => {
    const { category_id: id } = c.req.valid('json');
    const data = await becomeCreator(c.get('services').db, {
      userId: viewerId(c),
      categoryId: id === DEFAULT_CATEGORY ? null : id,
    });
    return ok(c, data, { status: 201, message: '크리에이터가 되었습니다.' });
  });
}
