// GET /auth/session — the verified session behind the cookie (no database read).
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { authRequired, requireViewer } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { Session } from './schema.ts';

export const sessionRoute = createRoute({
  method: 'get',
  path: '/session',
  tags: ['auth'],
  summary: 'The verified session behind the cookie: user id and expiry (no database read)',
  middleware: [authRequired] as const,
  responses: {
    200: jsonContent(envelope(Session), 'The session'),
    ...errorResponses(401),
  },
});

export const session = new OpenAPIHono<AppEnv>().openapi(sessionRoute, (c) => {
  const viewer = requireViewer(c);
  return ok(c, { sub: viewer.id, expiresAt: viewer.expiresAt.toISOString() });
});
