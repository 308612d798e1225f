// GET /user/creator-status — whether the viewer is an active creator.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { isActiveCreator } from '../../domain/identity.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';

export const creatorStatusRoute = createRoute({
  method: 'get',
  path: '/creator-status',
  tags: ['user'],
  summary: 'Whether the viewer is a creator',
  middleware: [authRequired] as const,
  responses: {
    200: jsonContent(envelope(z.object({ isCreator: z.boolean() })), 'Answer'),
    ...errorResponses(401),
  },
});

export const creatorStatus = new OpenAPIHono<AppEnv>().openapi(creatorStatusRoute, async (c) => {
  return ok(c, { isCreator: await isActiveCreator(c.get('services').db, viewerId(c)) });
});
