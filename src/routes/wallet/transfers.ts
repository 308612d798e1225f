// GET /wallet/transfers — the viewer's KNG transfer history, newest first (keyset cursor).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { transferHistory } from '../../domain/wallet-views.ts';
import { kngWallet } from '../../domain/wallets.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { TransferQuery, TransferView } from './schema.ts';

export const transfersRoute = createRoute({
  method: 'get',
  path: '/transfers',
  tags: ['wallet'],
  summary: 'KNG transfer history, newest first (keyset cursor)',
  middleware: [authRequired] as const,
  request: { query: TransferQuery },
  responses: {
    200: jsonContent(
      envelope(
        z.object({
          items: z.array(TransferView),
          nextCursor: z.string().nullable(),
          hasMore: z.boolean(),
        }),
      ),
      'A page of transfers',
    ),
    ...errorResponses(400, 401),
  },
});

export const transfers = new OpenAPIHono<AppEnv>().openapi(transfersRoute, async (c) => {
  const me = viewerId(c);
  const { cursor, limit } = c.req.valid('query');
  const db = c.get('services').db;
  const own = await kngWallet(db, me);
  if (!own) return ok(c, { items: [], nextCursor: null, hasMore: false });
  return ok(c, await transferHistory(db, own.id, decodeCursor(cursor), limit));
});
