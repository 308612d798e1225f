// /wallet: the viewer's balances and their transfer history.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { transferHistory, walletsOf } from '../../domain/wallet-views.ts';
import { kngWallet } from '../../domain/wallets.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';

export const wallet = new OpenAPIHono<AppEnv>();

const WalletView = z.object({
  address: z.string(),
  tokenType: z.object({ symbol: z.string(), name: z.string(), price: z.number() }),
  amount: z.number().int(),
  ownedSince: z.string(),
});

wallet.openapi(
  createRoute({
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
  }),
  async (c) => {
    const viewer = c.get('viewer');
    if (!viewer) throw new ApiError('UNAUTHENTICATED', '로그인이 필요합니다.');
    return ok(c, await walletsOf(c.get('services').db, viewer.id));
  },
);

wallet.openapi(
  createRoute({
    method: 'get',
    path: '/transfers',
    tags: ['wallet'],
    summary: 'KNG transfer history, newest first (keyset cursor)',
    middleware: [authRequired] as const,
    request: {
      query: z.object({
        cursor: z.string().max(200).optional(),
        limit: z.coerce.number().int().min(1).max(100).default(20),
      }),
    },
    responses: {
      200: jsonContent(
        envelope(
          z.object({
            items: z.array(z.record(z.string(), z.unknown())),
            nextCursor: z.string().nullable(),
            hasMore: z.boolean(),
          }),
        ),
        'A page of transfers',
      ),
      ...errorResponses(400, 401),
    },
  }),
  async (c) => {
    const viewer = c.get('viewer');
    if (!viewer) throw new ApiError('UNAUTHENTICATED', '로그인이 필요합니다.');
    const { cursor, limit } = c.req.valid('query');
    const db = c.get('services').db;
    const own = await kngWallet(db, viewer.id);
    if (!own) return ok(c, { items: [], nextCursor: null, hasMore: false });
    return ok(c, await transferHistory(db, own.id, decodeCursor(cursor), limit));
  },
);
