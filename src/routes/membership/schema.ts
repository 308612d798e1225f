// Shapes shared by the /membership endpoints: a tier as the client sends and reads it, and the mapping
// of the client's fields (KRW price, snake_case periods) to the domain's tier input.
import { z } from '@hono/zod-openapi';
import { authRequired, creatorOnly } from '../../auth/middleware.ts';
import { PERIOD_UNITS } from '../../db/schema/columns.ts';
import { kngForKrw, tierPriceKrw, type TierInput } from '../../domain/memberships.ts';

/** Middleware of the creator-only endpoints. */
export const creatorRoute = [authRequired, creatorOnly];

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

export const TierBody = z.object({
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
export const TierPatch = z
  .object(TierFields)
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, '변경할 항목이 없습니다.');

export const Tier = z
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
export const IdParam = z.object({ id: z.uuid() });

export function toInput(body: Partial<z.infer<typeof TierBody>>): Partial<TierInput> {
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
export function priceNote(body: { price?: number; priceKng?: number }): string {
  if (body.priceKng !== undefined || body.price === undefined) return '';
  const krw = tierPriceKrw(kngForKrw(body.price));
  if (krw === body.price) return '';
  return ` 가격은 1콩(110원) 단위로 맞춰 ${krw.toLocaleString('ko-KR')}원으로 저장되었습니다.`;
}
