import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, jsonContent } from '../../lib/openapi.ts';

// The original API answered `GET /` with a greeting; kept as the trivial route (also the benchmark baseline).
const route = createRoute({
  method: 'get',
  path: '/',
  tags: ['system'],
  summary: 'Greeting',
  responses: { 200: jsonContent(envelope(z.object({ message: z.string() })), 'Greeting') },
});

export const root = new OpenAPIHono<AppEnv>().openapi(route, (c) =>
  ok(c, { message: 'Hello World.' }),
);
