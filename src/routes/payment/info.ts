// GET /payment/info/{paymentKey} — one payment with the provider's record (owner or admin).
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { authRequired } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { paymentInfo } from '../../domain/payments.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { PaymentKeyParam, PaymentViewSchema, TossPaymentSchema } from './schema.ts';
import { viewerWithRole } from './viewer.ts';

export const infoRoute = createRoute({
  method: 'get',
  path: '/info/{paymentKey}',
  tags: ['payment'],
  summary: 'One payment with the provider’s record (owner or admin)',
  middleware: [authRequired] as const,
  request: { params: PaymentKeyParam },
  responses: {
    200: jsonContent(
      envelope(PaymentViewSchema.extend({ provider: TossPaymentSchema.nullable() })),
      'Payment',
    ),
    ...errorResponses(401, 404),
  },
});

export const info = new OpenAPIHono<AppEnv>().openapi(infoRoute, async (c) =>
  ok(
    c,
    await paymentInfo(
      c.get('services').db,
      c.get('env'),
      await viewerWithRole(c),
      c.req.valid('param').paymentKey,
    ),
  ),
);
