// DELETE /membership/{id} — delete a tier (refused while it has live subscribers).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { deleteTier } from '../../domain/memberships.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { IdParam, creatorRoute } from './schema.ts';

export const deleteRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  tags: ['membership'],
  summary: 'Delete a tier (refused while it has live subscribers)',
  middleware: creatorRoute,
  request: { params: IdParam },
  responses: {
    200: jsonContent(envelope(z.null()), 'Deleted'),
    ...errorResponses(400, 401, 403, 404, 409),
  },
});

export const remove = new OpenAPIHono<AppEnv>().openapi(deleteRoute, async (c) => {
  const { db, clock } = c.get('services');
  await deleteTier(db, viewerId(c), c.req.valid('param').id, clock.now());
  return ok(c, null, { message: '멤버십이 삭제되었습니다.' });
});
