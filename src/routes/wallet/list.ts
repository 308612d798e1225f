// GET /wallet — the viewer's wallets and their KRW value.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { walletsOf } from '../../domain/wallet-views.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { WalletView } from './schema.ts';

export const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['wallet'],
  summary: "The viewer's wallets and their KRW value",
  middleware: [authRequired] as const,
  responses: {
    200: jsonContent(
      envelope(z.object({ wallets: z.array(WalletView), totalValue: z.number() })),
      'Wallets',
    ),
    ...errorResponses(401),
  },
});

export const list = new OpenAPIHono<AppEnv>().openapi(listRoute, async (c) =>
  ok(c, await walletsOf(c.get('services').db, viewerId(c))),
);
