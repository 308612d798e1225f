// Membership tiers: a creator's levels 1–10 (one live tier per level, enforced by the database), priced in
// whole KNG per billing period, with an optional trial.
// The web client shows and edits a tier's `price` in KRW ("가격 (원)", "3,300원/1개월"), and a card
// pays the KNG price at 110 KRW per KNG (VAT included). So `price` on the wire is KRW (what a card
// is charged) and `priceKng` is the stored KNG price (what a KNG subscription debits). A KRW price
// typed by a creator is rounded to the nearest whole KNG (at least 1 KNG when not free); `priceKng`
// sets it exactly.
import { and, asc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Database } from '../db/client.ts';
import type { PeriodUnit } from '../db/schema/columns.ts';
import { membershipItems, subscriptions, type MembershipItem } from '../db/schema/index.ts';
import { ApiError } from '../lib/errors.ts';
import { isDuplicateKey } from './identity.ts';
import { KRW_PER_KNG_WITH_VAT } from './payments.ts';

/**
 * The KRW the client shows for a KNG price (what a card pays for it): tiers, subscriptions and
 * single-post purchases alike.
 */
export const krwForKng = (priceKng: number) => priceKng * KRW_PER_KNG_WITH_VAT;

/** What a card pays for a KNG price, and what the client shows as the tier's price. */
export const tierPriceKrw = krwForKng;

/**
 * The KNG price for a KRW price a creator typed (a tier's or a posting's): the nearest whole KNG,
 * at least 1 unless free.
 */
export function kngForKrw(krw: number): number {
  if (krw <= 0) return 0;
  return Math.max(1, Math.round(krw / KRW_PER_KNG_WITH_VAT));
}

export interface TierInput {
  name: string;
  description?: string | null;
  benefits: string[];
  level: number;
  price: number;
  billingUnit: PeriodUnit;
  billingPeriod: number;
  trialUnit: PeriodUnit;
  trialPeriod: number;
  isActive: boolean;
}

/** The client's snake_case shape (benefits comma-separated as the original; `price` in KRW). */
export function tierView(item: MembershipItem) {
  return {
    id: item.id,
    creator_id: item.creatorId,
    name: item.name,
    description: item.description,
    benefits: item.benefits.join(','),
    benefit_list: item.benefits,
    level: item.level,
    price: tierPriceKrw(item.price),
    priceKng: item.price,
    billing_unit: item.billingUnit,
    billing_period: item.billingPeriod,
    trial_unit: item.trialUnit,
    trial_period: item.trialPeriod,
    is_active: item.isActive,
    created_at: item.createdAt.toISOString(),
    updated_at: item.updatedAt.toISOString(),
  };
}

export type TierView = ReturnType<typeof tierView>;

export async function createTier(
  db: Database,
  creatorId: string,
  input: TierInput,
): Promise<MembershipItem> {
  const id = uuidv7();
  try {
    await db.insert(membershipItems).values({ id, creatorId, ...input });
  } catch (err) {
    if (isDuplicateKey(err))
      throw new ApiError('LEVEL_TAKEN', `레벨 ${input.level} 멤버십이 이미 있습니다.`);
    throw err;
  }
  return (await findOwnTier(db, creatorId, id)) as MembershipItem;
}

export async function listOwnTiers(db: Database, creatorId: string): Promise<MembershipItem[]> {
  return db
    .select()
    .from(membershipItems)
    .where(and(eq(membershipItems.creatorId, creatorId), isNull(membershipItems.deletedAt)))
    .orderBy(asc(membershipItems.level));
}

export async function listPublicTiers(db: Database, creatorId: string): Promise<MembershipItem[]> {
  return db
    .select()
    .from(membershipItems)
    .where(
      and(
        eq(membershipItems.creatorId, creatorId),
        isNull(membershipItems.deletedAt),
        eq(membershipItems.isActive, true),
      ),
    )
    .orderBy(asc(membershipItems.level));
}

export async function findOwnTier(
  db: Database,
  creatorId: string,
  id: string,
): Promise<MembershipItem | null> {
  const [row] = await db
    .select()
    .from(membershipItems)
    .where(
      and(
        eq(membershipItems.id, id),
        eq(membershipItems.creatorId, creatorId),
        isNull(membershipItems.deletedAt),
      ),
    );
  return row ?? null;
}

/** Another creator's tier is "not found": its existence is not the editor's business. */
async function ownTierOr404(db: Database, creatorId: string, id: string): Promise<MembershipItem> {
  const tier = await findOwnTier(db, creatorId, id);
  if (!tier) throw new ApiError('NOT_FOUND', '멤버십을 찾을 수 없습니다.');
  return tier;
}

export async function updateTier(
  db: Database,
  creatorId: string,
  id: string,
  patch: Partial<TierInput>,
): Promise<MembershipItem> {
  await ownTierOr404(db, creatorId, id);
  if (Object.keys(patch).length > 0) {
    try {
      await db
        .update(membershipItems)
        .set(patch)
        .where(and(eq(membershipItems.id, id), eq(membershipItems.creatorId, creatorId)));
    } catch (err) {
      if (isDuplicateKey(err))
        throw new ApiError('LEVEL_TAKEN', `레벨 ${patch.level} 멤버십이 이미 있습니다.`);
      throw err;
    }
  }
  return ownTierOr404(db, creatorId, id);
}

export async function toggleTier(
  db: Database,
  creatorId: string,
  id: string,
): Promise<MembershipItem> {
  const tier = await ownTierOr404(db, creatorId, id);
  await db
    .update(membershipItems)
    .set({ isActive: !tier.isActive })
    .where(eq(membershipItems.id, id));
  return ownTierOr404(db, creatorId, id);
}

/** Live subscribers keep a tier alive: deleting it is refused while anyone still has access through it. */
export async function deleteTier(
  db: Database,
  creatorId: string,
  id: string,
  now: Date,
): Promise<void> {
  await ownTierOr404(db, creatorId, id);
  const [live] = await db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(
      and(
        or(eq(subscriptions.membershipItemId, id), eq(subscriptions.pendingMembershipItemId, id)),
        inArray(subscriptions.status, ['trialing', 'active', 'grace', 'canceled']),
        or(gt(subscriptions.currentPeriodEnd, now), eq(subscriptions.status, 'grace')),
      ),
    )
    .limit(1);
  if (live)
    throw new ApiError('MEMBERSHIP_HAS_SUBSCRIBERS', '구독자가 있는 멤버십은 삭제할 수 없습니다.');
  await db
    .update(membershipItems)
    .set({ deletedAt: now, isActive: false })
    .where(and(eq(membershipItems.id, id), sql`${membershipItems.deletedAt} is null`));
}
