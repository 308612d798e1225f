// POST /payment/cancel/{paymentKey} — refunds the KNG still unspent and burns them (owner or admin).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { cancelPayment, paymentView } from '../../domain/payments.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { PaymentKeyParam, PaymentViewSchema } from './schema.ts';
import { logTo, viewerWithRole } from './viewer.ts';

export const cancelRoute = createRoute({
  method: 'post',
  path: '/cancel/{paymentKey}',
  tags: ['payment'],
  summary: 'Cancel a top-up: refunds the KNG still unspent and burns them (owner or admin)',
  middleware: [authRequired] as const,
  request: {
    params: PaymentKeyParam,
    ...jsonBody(z.object({ cancelReason: z.string().trim().min(1).max(200) })),
  },
  responses: {
    200: jsonContent(envelope(PaymentViewSchema), 'Cancelled (partly if some KNG were spent)'),
    ...errorResponses(400, 401, 402, 404, 409, 503),
  },
});

export const cancel = new OpenAPIHono<AppEnv>().openapi(cancelRoute, async (c) => {
  const order = await cancelPayment(c.get('services').db, c.get('env'), {
    viewer: await viewerWithRole(c),
    paymentKey: c.req.valid('param').paymentKey,
    reason: c.req.valid('json').cancelReason,
    log: logTo(c),
  });
  return ok(c, paymentView(order));
});
