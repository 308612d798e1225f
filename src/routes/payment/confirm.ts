// POST /payment/confirm — confirm a top-up after the payment window (owner only; credited once); 200.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { confirmPayment, paymentView } from '../../domain/payments.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { PaymentViewSchema } from './schema.ts';
import { logTo } from './viewer.ts';

export const confirmRoute = createRoute({
  method: 'post',
  path: '/confirm',
  tags: ['payment'],
  summary: 'Confirm a top-up after the payment window (owner only; credited exactly once)',
  middleware: [authRequired] as const,
  request: jsonBody(
    z.object({
      paymentKey: z.string().min(1).max(200),
      orderId: z.string().min(1).max(64),
      amount: z.number().int().positive(),
    }),
  ),
  responses: {
    200: jsonContent(envelope(PaymentViewSchema), 'Confirmed and credited'),
    ...errorResponses(400, 401, 404, 409, 502, 503),
  },
});

export const confirm = new OpenAPIHono<AppEnv>().openapi(confirmRoute, async (c) => {
  const order = await confirmPayment(c.get('services').db, c.get('env'), {
    userId: viewerId(c),
    input: c.req.valid('json'),
    log: logTo(c),
  });
  const credited = order.status === 'credited';
  return ok(c, paymentView(order), {
    message: credited ? `콩 ${order.tokenAmount}개가 충전되었습니다.` : '입금을 기다리고 있습니다.',
  });
});
