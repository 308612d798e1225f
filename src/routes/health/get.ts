// GET /health — liveness and database reachability (503 when the database does not answer).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import type { AppEnv } from '../../context.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';

const Health = z
  .object({
    status: z.literal('ok'),
    version: z.string(),
    environment: z.string(),
    database: z.object({ reachable: z.literal(true), latencyMs: z.number() }),
    time: z.string(),
  })
  .openapi('Health');

export const healthRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['system'],
  summary: 'Liveness and database reachability',
  responses: {
    200: jsonContent(envelope(Health), 'The API is up and reaches its database'),
    ...errorResponses(503),
  },
});

export const get = new OpenAPIHono<AppEnv>().openapi(healthRoute, async (c) => {
  const { db, logger } = c.get('services');
  const started = performance.now();
  try {
    await db.execute(sql`select 1`);
  } catch (err) {
    logger.error('health: database unreachable', { error: err });
    throw new ApiError('SERVICE_UNAVAILABLE', '데이터베이스에 연결할 수 없습니다.');
  }
  const env = c.get('env');
  return ok(c, {
    status: 'ok' as const,
    version: env.BUILD_VERSION,
    environment: env.APP_ENV,
    database: {
      reachable: true as const,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
    },
    time: new Date().toISOString(),
  });
});
