// /membership: a creator's tiers (creator-only) and the public list per creator, in the client's shapes
// (lists as `data.memberships`).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, creatorOnly, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { PERIOD_UNITS } from '../../db/schema/columns.ts';
import {
  createTier,
  deleteTier,
  findOwnTier,
  kngForKrw,
  listOwnTiers,
  listPublicTiers,
  tierPriceKrw,
  tierView,
  toggleTier,
  updateTier,
  type TierInput,
} from '../../domain/memberships.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';

export const membership = new OpenAPIHono<AppEnv>();

const Benefits = z
  .union([z.string().max(2000), z.array(z.string().trim().min(1).max(200)).max(30)])
  .transform((v) =>
    Array.isArray(v)
      ? v
      : v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
  );

const TierFields = {
  name: z.string().trim().min(1).max(100),
  description: z.string().max(2000).nullish(),
  benefits: Benefits,
  level: z.number().int().min(1).max(10),
  // KRW as the client's "가격 (원)" field; rounded to whole KNG (see domain/memberships). `priceKng`
  // wins.
  price: z.coerce.number().int().min(0).max(100_000_000),
  priceKng: z.number().int().min(0).max(1_000_000),
  billing_unit: z.enum(PERIOD_UNITS),
  billing_period: z.number().int().min(1).max(36),
  trial_unit: z.enum(PERIOD_UNITS),
  trial_period: z.number().int().min(0).max(90),
  is_active: z.boolean(),
};

const TierBody = z.object({
  ...TierFields,
  price: TierFields.price.optional(),
  priceKng: TierFields.priceKng.optional(),
  billing_unit: TierFields.billing_unit.default('MONTH'),
  billing_period: TierFields.billing_period.default(1),
  trial_unit: TierFields.trial_unit.default('DAY'),
  trial_period: TierFields.trial_period.default(0),
  is_active: TierFields.is_active.default(true),
});
// No defaults here: a field left out of an edit stays as it is.
const TierPatch = z
  .object(TierFields)
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, '변경할 항목이 없습니다.');

const Tier = z
  .object({
    id: z.string(),
    creator_id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    benefits: z.string(),
    benefit_list: z.array(z.string()),
    level: z.number().int(),
    price: z.number().int().openapi({ description: 'KRW: what a card is charged per period' }),
    priceKng: z.number().int().openapi({ description: 'KNG: what a KNG subscription debits' }),
    billing_unit: z.string(),
    billing_period: z.number().int(),
    trial_unit: z.string(),
    trial_period: z.number().int(),
    is_active: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('MembershipItem');
const IdParam = z.object({ id: z.uuid() });

function toInput(body: Partial<z.infer<typeof TierBody>>): Partial<TierInput> {
  const out: Partial<TierInput> = {};
  if (body.name !== undefined) out.name = body.name;
  if (body.description !== undefined) out.description = body.description ?? null;
  if (body.benefits !== undefined) out.benefits = body.benefits;
  if (body.level !== undefined) out.level = body.level;
  if (body.priceKng !== undefined) out.price = body.priceKng;
  else if (body.price !== undefined) out.price = kngForKrw(body.price);
  if (body.billing_unit !== undefined) out.billingUnit = body.billing_unit;
  if (body.billing_period !== undefined) out.billingPeriod = body.billing_period;
  if (body.trial_unit !== undefined) out.trialUnit = body.trial_unit;
  if (body.trial_period !== undefined) out.trialPeriod = body.trial_period;
  if (body.is_active !== undefined) out.isActive = body.is_active;
  return out;
}

/** Tells the creator when a typed KRW price was rounded to whole KNG. */
function priceNote(body: { price?: number; priceKng?: number }): string {
  if (body.priceKng !== undefined || body.price === undefined) return '';
  const krw = tierPriceKrw(kngForKrw(body.price));
  if (krw === body.price) return '';
  return ` 가격은 1콩(110원) 단위로 맞춰 ${krw.toLocaleString('ko-KR')}원으로 저장되었습니다.`;
}

const creatorRoute = [authRequired, creatorOnly];

membership.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['membership'],
    summary: 'Create a tier (creators only)',
    middleware: creatorRoute,
    request: jsonBody(TierBody),
    responses: {
      201: jsonContent(envelope(Tier), 'Created'),
      ...errorResponses(400, 401, 403, 409),
    },
  }),
  async (c) => {
    const body = c.req.valid('json');
    if (body.price === undefined && body.priceKng === undefined) {
      throw new ApiError('VALIDATION_FAILED', '가격을 입력해 주세요.', {
        details: [{ path: 'price', message: 'price (KRW) or priceKng is required' }],
      });
    }
    const item = await createTier(c.get('services').db, viewerId(c), toInput(body) as TierInput);
    return ok(c, tierView(item), {
      status: 201,
      message: `멤버십이 생성되었습니다.${priceNote(body)}`,
    });
  },
);

membership.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['membership'],
    summary: 'My tiers (creators only), by level',
    middleware: creatorRoute,
    responses: {
      200: jsonContent(envelope(z.object({ memberships: z.array(Tier) })), 'Tiers'),
      ...errorResponses(401, 403),
    },
  }),
  async (c) =>
    ok(c, { memberships: (await listOwnTiers(c.get('services').db, viewerId(c))).map(tierView) }),
);

membership.openapi(
  createRoute({
    method: 'get',
    path: '/creator/{creatorId}',
    tags: ['membership'],
    summary: "A creator's tiers on sale",
    request: { params: z.object({ creatorId: z.string().min(1).max(36) }) },
    responses: { 200: jsonContent(envelope(z.object({ memberships: z.array(Tier) })), 'Tiers') },
  }),
  async (c) =>
    ok(c, {
      memberships: (
        await listPublicTiers(c.get('services').db, c.req.valid('param').creatorId)
      ).map(tierView),
    }),
);

membership.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['membership'],
    summary: 'One of my tiers',
    middleware: creatorRoute,
    request: { params: IdParam },
    responses: { 200: jsonContent(envelope(Tier), 'Tier'), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const tier = await findOwnTier(c.get('services').db, viewerId(c), c.req.valid('param').id);
    if (!tier) throw new ApiError('NOT_FOUND', '멤버십을 찾을 수 없습니다.');
    return ok(c, tierView(tier));
  },
);

membership.openapi(
  createRoute({
    method: 'put',
    path: '/{id}',
    tags: ['membership'],
    summary: 'Edit one of my tiers',
    middleware: creatorRoute,
    request: { params: IdParam, ...jsonBody(TierPatch) },
    responses: {
      200: jsonContent(envelope(Tier), 'Updated'),
      ...errorResponses(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    const body = c.req.valid('json');
    const { db } = c.get('services');
    const item = await updateTier(db, viewerId(c), c.req.valid('param').id, toInput(body));
    return ok(c, tierView(item), { message: `멤버십이 수정되었습니다.${priceNote(body)}` });
  },
);

membership.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}/toggle-active',
    tags: ['membership'],
    summary: 'Put a tier on or off sale',
    middleware: creatorRoute,
    request: { params: IdParam },
    responses: {
      200: jsonContent(envelope(Tier), 'Toggled'),
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) =>
    ok(c, tierView(await toggleTier(c.get('services').db, viewerId(c), c.req.valid('param').id))),
);

membership.openapi(
  createRoute({
    method: 'delete',
    path: '/{id}',
    tags: ['membership'],
    summary: 'Delete a tier (refused while it has live subscribers)',
    middleware: creatorRoute,
    request: { params: IdParam },
    responses: {
      200: jsonContent(envelope(z.null()), 'Deleted'),
      ...errorResponses(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    const { db, clock } = c.get('services');
    await deleteTier(db, viewerId(c), c.req.valid('param').id, clock.now());
    return ok(c, null, { message: '멤버십이 삭제되었습니다.' });
  },
);
