// POST /payment/prepare — an order for a KNG pack (the server chooses order id and amount); 200.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { preparePayment } from '../../domain/payments.ts';
import { ok } from '../../lib/envelope.ts';
import {
  envelope,
  errorResponses,
  jsonBody,
  jsonContent,
  requireJsonBody,
} from '../../lib/openapi.ts';

export const prepareRoute = createRoute({
  method: 'post',
  path: '/prepare',
  tags: ['payment'],
  summary: 'Create an order for a KNG pack (the server chooses order id and amount)',
  middleware: [authRequired, requireJsonBody] as const,
  request: jsonBody(
    z.object({
      productCode: z.string().max(32).optional(),
      amount: z.number().int().positive().optional(),
      orderName: z.string().max(100).optional(),
      customerName: z.string().max(100).optional(),
      customerEmail: z.string().max(200).optional(),
    }),
  ),
  responses: {
    200: jsonContent(
      envelope(
        z.object({
          orderId: z.string(),
          orderName: z.string(),
          amount: z.number().int(),
          tokenAmount: z.number().int(),
          clientKey: z.string(),
          customerKey: z.string(),
          customerName: z.string().nullable(),
          customerEmail: z.string().nullable(),
        }),
      ),
      'Order',
    ),
    ...errorResponses(400, 401),
  },
});

export const prepare = new OpenAPIHono<AppEnv>().openapi(prepareRoute, async (c) =>
  ok(c, await preparePayment(c.get('services').db, c.get('env'), viewerId(c), c.req.valid('json'))),
);
