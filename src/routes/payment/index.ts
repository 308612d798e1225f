// /payment: KNG top-ups through Toss Payments (products, prepare, confirm, failure, history, info, cancel).
// Status codes as the web client expects them: prepare, confirm and cancel answer 200.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { PAYMENT_STATUSES, users } from '../../db/schema/index.ts';
import {
  KNG_PRODUCTS,
  cancelPayment,
  confirmPayment,
  failPayment,
  paymentHistory,
  paymentInfo,
  paymentView,
  preparePayment,
} from '../../domain/payments.ts';
import { handleTossWebhook, webhookSchema } from '../../domain/payment-webhooks.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { TossUnavailable } from '../../lib/toss.ts';
import {
  envelope,
  errorResponses,
  jsonBody,
  jsonContent,
  requireJsonBody,
  upperEnum,
} from '../../lib/openapi.ts';

export const paymentRoutes = new OpenAPIHono<AppEnv>();

const PaymentViewSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    orderName: z.string(),
    paymentKey: z.string().nullable(),
    amount: z.number().int(),
    tokenAmount: z.number().int(),
    tokenType: z.object({ symbol: z.string(), name: z.string(), price: z.number() }),
    token: z.object({ symbol: z.string(), amount: z.number().int() }),
    status: z.string(),
    method: z.string().nullable(),
    approvedAt: z.string().nullable(),
    cancelledAt: z.string().nullable(),
    canceledAmount: z.number().int(),
    failureCode: z.string().nullable(),
    failureMessage: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Payment');

async function viewerWithRole(c: Context<AppEnv>): Promise<{ id: string; isAdmin: boolean }> {
  const id = viewerId(c);
  const [row] = await c
    .get('services')
    .db.select({ role: users.role })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return { id, isAdmin: row?.role === 'admin' };
}

const logTo = (c: Context<AppEnv>) => (msg: string, fields: Record<string, unknown>) =>
  c.get('services').logger.warn(msg, fields);

paymentRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/products',
    tags: ['payment'],
    summary: 'KNG packs for sale (price in KRW, VAT included)',
    responses: {
      200: jsonContent(
        envelope(
          z.array(
            z.object({ code: z.string(), tokenAmount: z.number().int(), price: z.number().int() }),
          ),
        ),
        'Products',
      ),
    },
  }),
  (c) =>
    ok(
      c,
      KNG_PRODUCTS.map((p) => ({ ...p })),
    ),
);

paymentRoutes.openapi(
  createRoute({
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
  }),
  async (c) =>
    ok(
      c,
      await preparePayment(c.get('services').db, c.get('env'), viewerId(c), c.req.valid('json')),
    ),
);

paymentRoutes.openapi(
  createRoute({
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
  }),
  async (c) => {
    const order = await confirmPayment(
      c.get('services').db,
      c.get('env'),
      viewerId(c),
      c.req.valid('json'),
      logTo(c),
    );
    const credited = order.status === 'credited';
    return ok(c, paymentView(order), {
      message: credited
        ? `콩 ${order.tokenAmount}개가 충전되었습니다.`
        : '입금을 기다리고 있습니다.',
    });
  },
);

paymentRoutes.openapi(
  createRoute({
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
  }),
  async (c) =>
    ok(c, paymentView(await failPayment(c.get('services').db, viewerId(c), c.req.valid('json')))),
);

paymentRoutes.openapi(
  createRoute({
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
  }),
  async (c) => {
    const q = c.req.valid('query');
    const status = q.status?.toLowerCase() as (typeof PAYMENT_STATUSES)[number] | undefined;
    // `page` (the web client) → numbered pages with totals; otherwise keyset pages by `cursor`.
    return ok(
      c,
      await paymentHistory(c.get('services').db, viewerId(c), {
        page: q.page,
        after: decodeCursor(q.cursor),
        limit: q.limit,
        status,
      }),
    );
  },
);

paymentRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/info/{paymentKey}',
    tags: ['payment'],
    summary: 'One payment with the provider’s record (owner or admin)',
    middleware: [authRequired] as const,
    request: { params: z.object({ paymentKey: z.string().min(1).max(200) }) },
    responses: {
      200: jsonContent(
        envelope(
          PaymentViewSchema.extend({ provider: z.record(z.string(), z.unknown()).nullable() }),
        ),
        'Payment',
      ),
      ...errorResponses(401, 404),
    },
  }),
  async (c) =>
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

paymentRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/cancel/{paymentKey}',
    tags: ['payment'],
    summary: 'Cancel a top-up: refunds the KNG still unspent and burns them (owner or admin)',
    middleware: [authRequired] as const,
    request: {
      params: z.object({ paymentKey: z.string().min(1).max(200) }),
      ...jsonBody(z.object({ cancelReason: z.string().trim().min(1).max(200) })),
    },
    responses: {
      200: jsonContent(envelope(PaymentViewSchema), 'Cancelled (partly if some KNG were spent)'),
      ...errorResponses(400, 401, 402, 404, 409, 503),
    },
  }),
  async (c) => {
    const order = await cancelPayment(
      c.get('services').db,
      c.get('env'),
      await viewerWithRole(c),
      c.req.valid('param').paymentKey,
      c.req.valid('json').cancelReason,
      logTo(c),
    );
    return ok(c, paymentView(order));
  },
);

paymentRoutes.post('/webhook', async (c) => {
  // Toss calls this without credentials: the body is a hint, checked against Toss itself (see payment-webhooks.ts).
  const { db, logger } = c.get('services');
  const parsed = webhookSchema.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success)
    throw new ApiError('VALIDATION_FAILED', '알 수 없는 웹훅 형식입니다.', {
      details: parsed.error.issues
        .slice(0, 5)
        .map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  let outcome: Awaited<ReturnType<typeof handleTossWebhook>>;
  try {
    outcome = await handleTossWebhook(db, c.get('env'), parsed.data, (level, msg, f) =>
      logger[level](msg, f),
    );
  } catch (err) {
    // Toss unreachable: 503 so that Toss delivers the webhook again later.
    if (err instanceof TossUnavailable)
      throw new ApiError('PAYMENT_PROVIDER_UNAVAILABLE', '결제사 확인에 실패했습니다.', {
        cause: err,
      });
    throw err;
  }
  return ok(c, { outcome }, { message: outcome });
});
