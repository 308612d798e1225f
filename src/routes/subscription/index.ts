// /subscription: subscribe to a tier with KNG or by card (Toss billing), cancel (and undo) auto-renewal, and list mine.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import type { Env } from '../../env.ts';
import type { Subscription } from '../../db/schema/index.ts';
import { eq } from 'drizzle-orm';
import { users } from '../../db/schema/index.ts';
import {
  cardAmount,
  confirmCardSubscription,
  myCardSubscriptions,
  prepareCardSubscription,
  stopCardSubscription,
} from '../../domain/card-subscriptions.ts';
import { refundLatestCharge } from '../../domain/refunds.ts';
import { requestKey } from '../../domain/idempotency.ts';
import { krwForKng } from '../../domain/memberships.ts';
import { cancel, mySubscriptions, resume, subscribe } from '../../domain/subscriptions.ts';
import { ok } from '../../lib/envelope.ts';
import {
  envelope,
  errorResponses,
  jsonBody,
  jsonContent,
  requireJsonBody,
} from '../../lib/openapi.ts';

export const subscription = new OpenAPIHono<AppEnv>();

const TierParam = z.object({ id: z.uuid() });
const IdempotencyHeader = z.object({
  'idempotency-key': z
    .string()
    .min(8)
    .max(100)
    .regex(/^[\w:.-]+$/)
    .optional(),
});

const KrwPrice = z.number().int().openapi({ description: 'KRW per period (110원 per KNG)' });
const KngPrice = z.number().int().openapi({ description: 'KNG per period: what a renewal debits' });
const SubscriptionView = z
  .object({
    id: z.string(),
    creatorId: z.string(),
    membershipItemId: z.string(),
    status: z.string(),
    level: z.number().int(),
    price: KrwPrice,
    priceKng: KngPrice,
    autoRenew: z.boolean(),
    startedAt: z.string(),
    currentPeriodStart: z.string(),
    currentPeriodEnd: z.string(),
    trialEndsAt: z.string().nullable(),
    pendingMembershipItemId: z.string().nullable(),
  })
  .openapi('Subscription');
const MySubscription = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  creatorId: z.string(),
  creatorName: z.string(),
  creatorHandle: z.string(),
  avatar: z.string().nullable(),
  membershipItemId: z.string(),
  membershipType: z.string(),
  membershipLevel: z.number().int(),
  price: KrwPrice,
  priceKng: KngPrice,
  status: z.string(),
  autoRenew: z.boolean(),
  startedAt: z.string(),
  currentPeriodEnd: z.string(),
  trialEndsAt: z.string().nullable(),
  pendingMembershipItemId: z.string().nullable(),
  hasAccess: z.boolean(),
  unread: z.number().int(),
});

function view(s: Subscription): z.infer<typeof SubscriptionView> {
  return {
    id: s.id,
    creatorId: s.creatorId,
    membershipItemId: s.membershipItemId,
    status: s.status,
    level: s.level,
    // KRW like every tier price the client shows; `priceKng` is what a KNG period debits.
    price: krwForKng(s.price),
    priceKng: s.price,
    autoRenew: s.autoRenew,
    startedAt: s.startedAt.toISOString(),
    currentPeriodStart: s.currentPeriodStart.toISOString(),
    currentPeriodEnd: s.currentPeriodEnd.toISOString(),
    trialEndsAt: s.trialEndsAt?.toISOString() ?? null,
    pendingMembershipItemId: s.pendingMembershipItemId,
  };
}

subscription.openapi(
  createRoute({
    method: 'post',
    path: '/membership/{id}',
    tags: ['subscription'],
    summary:
      'Subscribe to a tier with KNG (trial, first charge, upgrade pro rata, or downgrade at renewal)',
    middleware: [authRequired],
    request: { params: TierParam, headers: IdempotencyHeader },
    responses: {
      201: jsonContent(
        envelope(
          z.object({
            subscription: SubscriptionView,
            outcome: z.string(),
            charged: z.number().openapi({ description: 'KNG debited by this request' }),
          }),
        ),
        'Subscribed',
      ),
      ...errorResponses(400, 401, 402, 404, 409),
    },
  }),
  async (c) => {
    const { db, clock } = c.get('services');
    const env = c.get('env');
    const tierId = c.req.valid('param').id;
    const header = c.req.valid('header')['idempotency-key'];
    const clientKey = await requestKey(db, {
      ownerId: viewerId(c),
      header,
      scope: 'POST /subscription/membership/{id}',
      request: { tierId },
    });
    const result = await subscribe(
      db,
      { fanId: viewerId(c), tierId, clientKey, now: clock.now() },
      { feeBps: env.PLATFORM_FEE_BPS, graceDays: env.SUBSCRIPTION_GRACE_DAYS },
    );
    return ok(
      c,
      { subscription: view(result.subscription), outcome: result.outcome, charged: result.charged },
      { status: 201, message: '구독이 완료되었습니다.' },
    );
  },
);

subscription.openapi(
  createRoute({
    method: 'delete',
    path: '/membership/{id}',
    tags: ['subscription'],
    summary: 'Stop auto-renewal; access stays until the period ends',
    middleware: [authRequired],
    request: { params: TierParam },
    responses: {
      200: jsonContent(envelope(SubscriptionView), 'Canceled at period end'),
      ...errorResponses(400, 401, 404),
    },
  }),
  async (c) => {
    const { db, clock } = c.get('services');
    const sub = await cancel(db, viewerId(c), c.req.valid('param').id, clock.now());
    return ok(c, view(sub), {
      message: `구독이 해지 예약되었습니다. ${sub.currentPeriodEnd.toISOString()}까지 이용할 수 있습니다.`,
    });
  },
);

subscription.openapi(
  createRoute({
    method: 'post',
    path: '/membership/{id}/resume',
    tags: ['subscription'],
    summary: 'Undo a cancellation before the period ends',
    middleware: [authRequired],
    request: { params: TierParam },
    responses: {
      200: jsonContent(envelope(SubscriptionView), 'Resumed'),
      ...errorResponses(400, 401, 404),
    },
  }),
  async (c) => {
    const { db, clock } = c.get('services');
    return ok(c, view(await resume(db, viewerId(c), c.req.valid('param').id, clock.now())), {
      message: '구독 해지가 취소되었습니다.',
    });
  },
);

subscription.openapi(
  createRoute({
    method: 'post',
    path: '/{subscriptionId}/refund',
    tags: ['subscription'],
    summary:
      "Refund the subscription's latest charge (admins; the creator within the refund window)",
    middleware: [authRequired, requireJsonBody],
    request: {
      params: z.object({ subscriptionId: z.uuid() }),
      headers: IdempotencyHeader,
      // `{}` refunds everything still refundable of the latest charge.
      ...jsonBody(
        z.object({
          amount: z.number().int().positive().optional(),
          reason: z.string().trim().min(1).max(500).optional(),
        }),
      ),
    },
    responses: {
      200: jsonContent(
        envelope(
          z.object({
            amount: z.number(),
            full: z.boolean(),
            subscription: SubscriptionView,
          }),
        ),
        'Refunded',
      ),
      ...errorResponses(400, 401, 402, 403, 404, 409),
    },
  }),
  async (c) => {
    const { db, clock } = c.get('services');
    const actorId = viewerId(c);
    const [actor] = await db.select({ role: users.role }).from(users).where(eq(users.id, actorId));
    const { amount, reason } = c.req.valid('json');
    const { subscriptionId } = c.req.valid('param');
    const header = c.req.valid('header')['idempotency-key'];
    const result = await refundLatestCharge(db, {
      actorId,
      actorIsAdmin: actor?.role === 'admin',
      subscriptionId,
      amount,
      reason,
      clientKey: await requestKey(db, {
        ownerId: actorId,
        header,
        scope: 'POST /subscription/{subscriptionId}/refund',
        request: { subscriptionId, amount, reason },
      }),
      now: clock.now(),
      windowDays: c.get('env').REFUND_WINDOW_DAYS,
    });
    return ok(
      c,
      { amount: result.amount, full: result.full, subscription: view(result.subscription) },
      { message: '환불이 완료되었습니다.' },
    );
  },
);

subscription.openapi(
  createRoute({
    method: 'get',
    path: '/my/list',
    tags: ['subscription'],
    summary: 'My subscriptions',
    middleware: [authRequired],
    responses: {
      200: jsonContent(envelope(z.object({ subscriptions: z.array(MySubscription) })), 'Mine'),
      ...errorResponses(401),
    },
  }),
  async (c) => {
    const { db, clock } = c.get('services');
    return ok(c, { subscriptions: await mySubscriptions(db, viewerId(c), clock.now()) });
  },
);

// Card memberships (Toss billing), the web client's flow: prepare → Toss billing-auth window → confirm.
// The success page reads `membershipItemId` from its own query string. When a success URL already
// carried a query (as ours did), the client's appended `?membershipItemId=…` made it
// `<id>?membershipItemId=<id>`: the leading id is the one it meant, so confirm takes it from such a
// value too.
const LEADING_UUID = /^\s*([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12})(?:[?&#]|$)/i;
const ConfirmTierId = z.preprocess(
  (v) => (typeof v === 'string' ? (LEADING_UUID.exec(v)?.[1] ?? v) : v),
  z.uuid(),
);
const settingsOf = (env: Env) => ({
  feeBps: env.PLATFORM_FEE_BPS,
  graceDays: env.SUBSCRIPTION_GRACE_DAYS,
});

subscription.openapi(
  createRoute({
    method: 'post',
    path: '/billing/prepare',
    tags: ['subscription'],
    summary: 'Start a card membership: the customer key and URLs for the Toss billing-auth window',
    middleware: [authRequired] as const,
    request: jsonBody(z.object({ membershipItemId: z.uuid() })),
    responses: {
      200: jsonContent(
        envelope(
          z.object({
            membershipItemId: z.string(),
            membershipName: z.string(),
            price: z.number().int(),
            priceKng: z.number().int(),
            tokenPrice: z.number().int(),
            billingPeriod: z.number().int(),
            billingUnit: z.string(),
            customerKey: z.string(),
            clientKey: z.string(),
            successUrl: z.string(),
            failUrl: z.string(),
          }),
        ),
        'Prepared',
      ),
      ...errorResponses(400, 401, 404, 409),
    },
  }),
  async (c) =>
    ok(
      c,
      await prepareCardSubscription(
        c.get('services').db,
        c.get('env'),
        viewerId(c),
        c.req.valid('json').membershipItemId,
      ),
    ),
);

subscription.openapi(
  createRoute({
    method: 'post',
    path: '/billing/confirm',
    tags: ['subscription'],
    summary:
      'Finish a card membership: issue the billing key, charge the first period (or start the trial), subscribe',
    middleware: [authRequired] as const,
    request: jsonBody(
      z.object({
        authKey: z.string().min(1).max(300),
        customerKey: z.string().min(1).max(300),
        membershipItemId: ConfirmTierId,
        userId: z.string().optional(),
      }),
    ),
    responses: {
      200: jsonContent(
        envelope(
          z.object({
            subscriptionId: z.string(),
            membershipName: z.string(),
            membershipItem: z.object({
              id: z.string(),
              name: z.string(),
              price: z.number().int(),
              billing_unit: z.string(),
              billing_period: z.number().int(),
            }),
            nextBillingDate: z.string(),
            status: z.string(),
          }),
        ),
        'Subscribed',
      ),
      ...errorResponses(400, 401, 403, 404, 409, 502, 503),
    },
  }),
  async (c) => {
    const { db, clock, logger } = c.get('services');
    // `userId` in the body (sent by the original client) is ignored: the subscriber is the signed-in viewer.
    const { authKey, customerKey, membershipItemId } = c.req.valid('json');
    const { subscription: s, tier } = await confirmCardSubscription(
      db,
      c.get('env'),
      viewerId(c),
      { authKey, customerKey, membershipItemId },
      clock.now(),
      settingsOf(c.get('env')),
      (m, f) => logger.warn(m, f),
    );
    return ok(c, {
      subscriptionId: s.id,
      membershipName: tier.name,
      membershipItem: {
        id: tier.id,
        name: tier.name,
        price: cardAmount(tier),
        billing_unit: tier.billingUnit,
        billing_period: tier.billingPeriod,
      },
      nextBillingDate: s.currentPeriodEnd.toISOString(),
      status: s.status.toUpperCase(),
    });
  },
);

subscription.openapi(
  createRoute({
    method: 'get',
    path: '/billing/my',
    tags: ['subscription'],
    summary: 'My card memberships',
    middleware: [authRequired] as const,
    responses: {
      200: jsonContent(envelope(z.array(z.record(z.string(), z.unknown()))), 'Mine'),
      ...errorResponses(401),
    },
  }),
  async (c) => {
    const { db, clock } = c.get('services');
    return ok(c, await myCardSubscriptions(db, viewerId(c), clock.now()));
  },
);

subscription.openapi(
  createRoute({
    method: 'delete',
    path: '/billing/{subscriptionId}',
    tags: ['subscription'],
    summary: 'Stop renewing a card membership (access continues to the end of the paid period)',
    middleware: [authRequired] as const,
    request: { params: z.object({ subscriptionId: z.uuid() }) },
    responses: { 200: jsonContent(envelope(z.null()), 'Stopped'), ...errorResponses(401, 404) },
  }),
  async (c) => {
    await stopCardSubscription(
      c.get('services').db,
      viewerId(c),
      c.req.valid('param').subscriptionId,
    );
    return ok(c, null, { message: '다음 결제일부터 자동 결제가 중지됩니다.' });
  },
);
