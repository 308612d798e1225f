// POST /payment/failure — record that the payment window failed or was closed (owner only).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { failPayment, paymentView } from '../../domain/payments.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { PaymentViewSchema } from './schema.ts';

export const failureRoute = createRoute({
  method: 'post',
  path: '/failure',
  tags: ['payment'],
  summary: 'Record that the payment window failed or was closed (owner only)',
  middleware: [authRequired] as const,
  request: jsonBody(
    z.object({
      orderId: z.string().min(1).max(64),
      code: z.string().max(64).optional(),
      message: z.string().max(500).optional(),
    }),
  ),
  responses: {
    200: jsonContent(envelope(PaymentViewSchema), 'Recorded'),
    ...errorResponses(400, 401, 404, 409),
  },
});

export const failure = new OpenAPIHono<AppEnv>().openapi(failureRoute, async (c) =>
  ok(c, paymentView(await failPayment(c.get('services').db, viewerId(c), c.req.valid('json')))),
);
