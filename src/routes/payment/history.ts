// GET /payment/history — the viewer's payments, newest first: `page` (the web client) → numbered
// pages with totals; otherwise keyset pages by `cursor`.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { PAYMENT_STATUSES } from '../../db/schema/index.ts';
import { paymentHistory } from '../../domain/payments.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent, upperEnum } from '../../lib/openapi.ts';
import { PaymentViewSchema } from './schema.ts';

export const historyRoute = createRoute({
  method: 'get',
  path: '/history',
  tags: ['payment'],
  summary: "The viewer's payments, newest first (cursor, or page/limit as the web client asks)",
  middleware: [authRequired] as const,
  request: {
    query: z.object({
      cursor: z.string().max(200).optional(),
      page: z.coerce.number().int().min(1).max(10_000).optional(),
      limit: z.coerce.number().int().min(1).max(100).default(20),
      status: upperEnum(PAYMENT_STATUSES).optional(),
    }),
  },
  responses: {
    200: jsonContent(
      envelope(
        z.object({
          transactions: z.array(PaymentViewSchema),
          hasMore: z.boolean(),
          nextCursor: z.string().nullable().optional(),
          pagination: z
            .object({
              page: z.number(),
              limit: z.number(),
              total: z.number(),
              totalPages: z.number(),
            })
            .optional(),
        }),
      ),
      'History',
    ),
    ...errorResponses(400, 401),
  },
});

export const history = new OpenAPIHono<AppEnv>().openapi(historyRoute, async (c) => {
  const q = c.req.valid('query');
  const status = q.status?.toLowerCase() as (typeof PAYMENT_STATUSES)[number] | undefined;
  return ok(
    c,
    await paymentHistory(c.get('services').db, viewerId(c), {
      page: q.page,
      after: decodeCursor(q.cursor),
      limit: q.limit,
      status,
    }),
  );
});
