// Subscribing with KNG: the first period is charged (or a trial starts), the creator is paid the price
// minus the platform fee, and the subscription, its event and the transfers are written in one
// transaction. One live subscription per fan and creator (a database key); a higher tier is an upgrade
// charged pro rata now, a lower tier takes effect at renewal. Cancelling turns auto-renew off and keeps
// access to the end of the paid period.
import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Database } from '../db/client.ts';
import { TREASURY_WALLET_ID } from '../db/reference-data.ts';
import {
  creators,
  membershipItems,
  subscriptionEvents,
  subscriptions,
  users,
  type MembershipItem,
  type Subscription,
} from '../db/schema/index.ts';
import { ApiError } from '../lib/errors.ts';
import type { TossClient } from '../lib/toss.ts';
import { grantsAccess, subscriptionGrantsAccess } from './gate.ts';
import { krwForKng } from './memberships.ts';
import { isDuplicateKey } from './identity.ts';
import { postTransfers, type TransferLeg } from './ledger.ts';
import { periodBoundary, platformFee, trialEnd } from './periods.ts';
import { ensureWallet, kngWallet } from './wallets.ts';

export const LIVE_STATUSES = ['trialing', 'active', 'grace', 'canceled'] as const;
type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
type EventType = (typeof subscriptionEvents.$inferInsert)['type'];

export interface BillingSettings {
  feeBps: number;
  graceDays: number;
  /** Card renewals charge through Toss; without a client (tests of token renewals) card subscriptions wait. */
  toss?: TossClient;
}

/**
 * The access fact the content gate needs: the viewer's highest level with this creator right now
 * (0 = none). Paid or trial periods count until their end; a subscription in grace counts until grace ends.
 */
export async function activeLevel(
  db: Database,
  viewerId: string,
  creatorId: string,
  now: Date,
): Promise<number> {
  const [row] = await db
    .select({ level: sql<number>`coalesce(max(${subscriptions.level}), 0)`.mapWith(Number) })
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.subscriberId, viewerId),
        eq(subscriptions.creatorId, creatorId),
        grantsAccess(now),
      ),
    );
  return row?.level ?? 0;
}

export async function walletOf(db: Database, userId: string): Promise<string> {
  await ensureWallet(db, userId);
  const wallet = await kngWallet(db, userId);
  if (!wallet) throw new Error(`no wallet for ${userId}`);
  return wallet.id;
}

/** The two legs of a payment to a creator: price minus fee to the creator (`reason`), the fee to the treasury. */
export function paymentLegs(
  key: string,
  fanWallet: string,
  creatorWallet: string,
  amount: number,
  feeBps: number,
  reference: { type: string; id: string },
  reason: TransferLeg['reason'] = 'subscription',
): TransferLeg[] {
  const fee = platformFee(amount, feeBps);
  const legs: TransferLeg[] = [];
  if (amount - fee > 0) {
    legs.push({
      idempotencyKey: `${key}:creator`,
      fromWalletId: fanWallet,
      toWalletId: creatorWallet,
      amount: amount - fee,
      reason,
      referenceType: reference.type,
      referenceId: reference.id,
    });
  }
  if (fee > 0) {
    legs.push({
      idempotencyKey: `${key}:fee`,
      fromWalletId: fanWallet,
      toWalletId: TREASURY_WALLET_ID,
      amount: fee,
      reason: 'platform_fee',
      referenceType: reference.type,
      referenceId: reference.id,
    });
  }
  return legs;
}

type EventInput = {
  subscriptionId: string;
  type: EventType;
  key: string;
  from?: Subscription['status'] | null;
  to?: Subscription['status'] | null;
  periodStart?: Date | null;
  periodEnd?: Date | null;
  amount?: number;
  transferId?: string | null;
  data?: Record<string, unknown>;
};

/**
 * The one writer of subscription events. `guard` is the result of the guarded update the event
 * describes (or whether the change happened): no row changed → no event, so a raced or repeated
 * request leaves no trace of a change it did not make. Returns whether the event was written.
 */
export async function recordSubscriptionEvent(
  tx: Tx | Database,
  guard: { rowsAffected: number } | boolean,
  e: EventInput,
): Promise<boolean> {
  const changed = typeof guard === 'boolean' ? guard : guard.rowsAffected === 1;
  if (!changed) return false;
  await tx.insert(subscriptionEvents).values({
    subscriptionId: e.subscriptionId,
    type: e.type,
    idempotencyKey: e.key,
    fromStatus: e.from ?? null,
    toStatus: e.to ?? null,
    periodStart: e.periodStart ?? null,
    periodEnd: e.periodEnd ?? null,
    amount: e.amount ?? 0,
    transferId: e.transferId ?? null,
    data: e.data ?? null,
  });
  return true;
}

export async function subscriptionByEventKey(
  db: Database,
  key: string,
): Promise<Subscription | null> {
  return (await eventByKey(db, key))?.sub ?? null;
}

async function eventByKey(db: Database, key: string) {
  const [row] = await db
    .select({ sub: subscriptions, event: subscriptionEvents })
    .from(subscriptionEvents)
    .innerJoin(subscriptions, eq(subscriptions.id, subscriptionEvents.subscriptionId))
    .where(eq(subscriptionEvents.idempotencyKey, key));
  return row ?? null;
}

const OUTCOME_OF: Partial<Record<EventType, SubscribeResult['outcome']>> = {
  started: 'subscribed',
  trial_started: 'trial',
  upgraded: 'upgraded',
  downgrade_scheduled: 'downgrade_scheduled',
};

/**
 * A repeated subscribe (same key): exactly what the first request answered, read back from its
 * event — the outcome and the amount it charged — with the subscription as it is now. The same key
 * for another tier is another request.
 */
async function replayed(
  db: Database,
  key: string,
  tierId: string,
): Promise<SubscribeResult | null> {
  const found = await eventByKey(db, key);
  if (!found) return null;
  const requested = (found.event.data as { requestTier?: string } | null)?.requestTier;
  if (requested !== undefined && requested !== tierId)
    throw new ApiError(
      'IDEMPOTENCY_CONFLICT',
      '같은 멱등성 키로 다른 구독 요청이 이미 처리되었습니다.',
    );
  const outcome =
    OUTCOME_OF[found.event.type] ?? (found.sub.status === 'trialing' ? 'trial' : 'subscribed');
  return { subscription: found.sub, outcome, charged: found.event.amount, replayed: true };
}

export async function liveSubscription(
  db: Database,
  fanId: string,
  creatorId: string,
): Promise<Subscription | null> {
  const [row] = await db
    .select()
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.subscriberId, fanId),
        eq(subscriptions.creatorId, creatorId),
        inArray(subscriptions.status, [...LIVE_STATUSES]),
      ),
    );
  return row ?? null;
}

async function tierForSale(db: Database, tierId: string): Promise<MembershipItem> {
  const [tier] = await db
    .select()
    .from(membershipItems)
    .where(and(eq(membershipItems.id, tierId), sql`${membershipItems.deletedAt} is null`));
  if (!tier) throw new ApiError('NOT_FOUND', '멤버십을 찾을 수 없습니다.');
  return tier;
}

/** A tier this fan may buy now: it exists, is on sale and is not the fan's own. */
export async function purchasableTier(
  db: Database,
  fanId: string,
  tierId: string,
): Promise<MembershipItem> {
  const tier = await tierForSale(db, tierId);
  if (tier.creatorId === fanId)
    throw new ApiError('CANNOT_SUBSCRIBE_OWN', '자신의 멤버십은 구독할 수 없습니다.');
  if (!tier.isActive) throw new ApiError('MEMBERSHIP_INACTIVE', '판매 중이 아닌 멤버십입니다.');
  return tier;
}

/** One trial per fan and creator: a tier's trial applies only if the fan never had one with this creator. */
export async function trialApplies(
  db: Database,
  fanId: string,
  tier: MembershipItem,
): Promise<boolean> {
  if (tier.trialPeriod <= 0) return false;
  const had = await db
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.subscriberId, fanId),
        eq(subscriptions.creatorId, tier.creatorId),
        isNotNull(subscriptions.trialEndsAt),
      ),
    )
    .limit(1);
  return had.length === 0;
}

export interface SubscribeResult {
  subscription: Subscription;
  outcome: 'subscribed' | 'trial' | 'upgraded' | 'downgrade_scheduled';
  charged: number;
  replayed: boolean;
}

export async function subscribe(
  db: Database,
  input: { fanId: string; tierId: string; clientKey: string; now: Date },
  settings: BillingSettings,
): Promise<SubscribeResult> {
  const key = `sub:${input.fanId}:${input.clientKey}`;
  const before = await replayed(db, key, input.tierId);
  if (before) return before;
  try {
    return await subscribeOnce(db, input, key, settings);
  } catch (err) {
    // A concurrent twin with the same key won (a duplicate key, a raced guard, funds it already
    // moved): answer what it answered.
    const again = await replayed(db, key, input.tierId);
    if (again) return again;
    if (isDuplicateKey(err))
      throw new ApiError('ALREADY_SUBSCRIBED', '이미 이 크리에이터의 멤버십을 구독 중입니다.');
    throw err;
  }
}

async function subscribeOnce(
  db: Database,
  input: { fanId: string; tierId: string; now: Date },
  key: string,
  settings: BillingSettings,
): Promise<SubscribeResult> {
  const tier = await purchasableTier(db, input.fanId, input.tierId);

  const current = await liveSubscription(db, input.fanId, tier.creatorId);
  if (current) return changeTier(db, current, tier, key, input.now, settings);

  const fanWallet = await walletOf(db, input.fanId);
  const creatorWallet = await walletOf(db, tier.creatorId);
  const id = uuidv7();
  const now = input.now;
  const trial = await trialApplies(db, input.fanId, tier);
  const periodEnd = trial
    ? trialEnd(now, tier.trialUnit, tier.trialPeriod)
    : periodBoundary(now, tier.billingUnit, tier.billingPeriod, 1);
  const row = {
    id,
    subscriberId: input.fanId,
    creatorId: tier.creatorId,
    membershipItemId: tier.id,
    status: trial ? ('trialing' as const) : ('active' as const),
    level: tier.level,
    price: tier.price,
    paymentMethod: 'token' as const,
    autoRenew: true,
    // After a trial, billing is anchored at the trial's end.
    billingAnchorAt: periodEnd && trial ? periodEnd : now,
    currentPeriodStart: now,
    currentPeriodEnd: periodEnd,
    trialEndsAt: trial ? periodEnd : null,
    startedAt: now,
  };
  const data = { requestTier: tier.id };
  const legs = trial
    ? []
    : paymentLegs(key, fanWallet, creatorWallet, tier.price, settings.feeBps, {
        type: 'subscription',
        id,
      });
  if (legs.length === 0) {
    await db.transaction(async (tx) => {
      await tx.insert(subscriptions).values(row);
      await recordSubscriptionEvent(tx, true, {
        subscriptionId: id,
        type: trial ? 'trial_started' : 'started',
        key,
        to: row.status,
        periodStart: now,
        periodEnd,
        data,
      });
    });
  } else {
    const result = await postTransfers(db, legs, async (tx, posted) => {
      await tx.insert(subscriptions).values(row);
      await recordSubscriptionEvent(tx, true, {
        subscriptionId: id,
        type: 'started',
        key,
        to: 'active',
        periodStart: now,
        periodEnd,
        amount: tier.price,
        transferId: posted[0]?.id,
        data,
      });
    });
    if (result.replayed) {
      const again = await replayed(db, key, tier.id);
      if (again) return again;
    }
  }
  const [created] = await db.select().from(subscriptions).where(eq(subscriptions.id, id));
  return {
    subscription: created,
    outcome: trial ? 'trial' : 'subscribed',
    charged: trial ? 0 : tier.price,
    replayed: false,
  };
}

/** Pro-rata price of the rest of the current period, in whole tokens (rounded up). */
export function upgradeCharge(current: Subscription, newPrice: number, now: Date): number {
  const total = current.currentPeriodEnd.getTime() - current.currentPeriodStart.getTime();
  const left = Math.max(0, current.currentPeriodEnd.getTime() - now.getTime());
  if (total <= 0 || newPrice <= current.price) return 0;
  return Math.ceil(((newPrice - current.price) * left) / total);
}

async function changeTier(
  db: Database,
  current: Subscription,
  tier: MembershipItem,
  key: string,
  now: Date,
  settings: BillingSettings,
): Promise<SubscribeResult> {
  if (current.membershipItemId === tier.id) {
    throw new ApiError(
      'ALREADY_SUBSCRIBED',
      current.status === 'canceled'
        ? '해지 예정인 구독입니다. 해지 취소를 이용해 주세요.'
        : '이미 구독 중인 멤버십입니다.',
    );
  }
  if (current.status === 'grace')
    throw new ApiError(
      'ALREADY_SUBSCRIBED',
      '결제가 밀린 구독은 변경할 수 없습니다. 잔액을 충전해 주세요.',
    );
  const data = { requestTier: tier.id };
  if (tier.level < current.level) {
    if (current.pendingMembershipItemId === tier.id)
      return { subscription: current, outcome: 'downgrade_scheduled', charged: 0, replayed: false };
    await db.transaction(async (tx) => {
      const scheduled = await tx
        .update(subscriptions)
        .set({ pendingMembershipItemId: tier.id })
        .where(
          and(
            eq(subscriptions.id, current.id),
            eq(subscriptions.membershipItemId, current.membershipItemId),
            inArray(subscriptions.status, [...LIVE_STATUSES]),
          ),
        );
      if (
        !(await recordSubscriptionEvent(tx, scheduled, {
          subscriptionId: current.id,
          type: 'downgrade_scheduled',
          key,
          from: current.status,
          to: current.status,
          data: { ...data, toTier: tier.id },
        }))
      ) {
        throw new ApiError('CONFLICT', '구독이 동시에 변경되었습니다. 다시 시도해 주세요.');
      }
    });
    const [row] = await db.select().from(subscriptions).where(eq(subscriptions.id, current.id));
    return { subscription: row, outcome: 'downgrade_scheduled', charged: 0, replayed: false };
  }
  const amount = current.status === 'trialing' ? 0 : upgradeCharge(current, tier.price, now);
  const apply = async (tx: Tx, transferId: string | null) => {
    const updated = await tx
      .update(subscriptions)
      .set({
        membershipItemId: tier.id,
        level: tier.level,
        price: tier.price,
        pendingMembershipItemId: null,
      })
      .where(
        and(
          eq(subscriptions.id, current.id),
          eq(subscriptions.membershipItemId, current.membershipItemId),
        ),
      );
    if (
      !(await recordSubscriptionEvent(tx, updated, {
        subscriptionId: current.id,
        type: 'upgraded',
        key,
        from: current.status,
        to: current.status,
        amount,
        transferId,
        data: { ...data, fromTier: current.membershipItemId, toTier: tier.id },
      }))
    ) {
      throw new ApiError('CONFLICT', '구독이 동시에 변경되었습니다. 다시 시도해 주세요.');
    }
  };
  const legs =
    amount > 0
      ? paymentLegs(
          key,
          await walletOf(db, current.subscriberId),
          await walletOf(db, current.creatorId),
          amount,
          settings.feeBps,
          { type: 'subscription', id: current.id },
        )
      : [];
  if (legs.length) {
    const result = await postTransfers(db, legs, (tx, posted) => apply(tx, posted[0]?.id ?? null));
    if (result.replayed) {
      const again = await replayed(db, key, tier.id);
      if (again) return again;
    }
  } else await db.transaction((tx) => apply(tx, null));
  const [row] = await db.select().from(subscriptions).where(eq(subscriptions.id, current.id));
  return { subscription: row, outcome: 'upgraded', charged: amount, replayed: false };
}

async function ownLiveForTier(db: Database, fanId: string, tierId: string): Promise<Subscription> {
  const [row] = await db
    .select()
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.subscriberId, fanId),
        eq(subscriptions.membershipItemId, tierId),
        inArray(subscriptions.status, [...LIVE_STATUSES]),
      ),
    );
  if (!row) throw new ApiError('NOT_FOUND', '구독을 찾을 수 없습니다.');
  return row;
}

/** Auto-renew off; access stays until the end of the paid (or trial) period. Repeating it changes nothing. */
export async function cancel(
  db: Database,
  fanId: string,
  tierId: string,
  now: Date,
): Promise<Subscription> {
  const sub = await ownLiveForTier(db, fanId, tierId);
  if (sub.status === 'canceled') return sub;
  await db.transaction(async (tx) => {
    const moved = await tx
      .update(subscriptions)
      .set({ status: 'canceled', autoRenew: false })
      .where(and(eq(subscriptions.id, sub.id), eq(subscriptions.status, sub.status)));
    await recordSubscriptionEvent(tx, moved, {
      subscriptionId: sub.id,
      type: 'canceled',
      key: `cancel:${sub.id}:${now.getTime()}`,
      from: sub.status,
      to: 'canceled',
      data: { previous: sub.status },
    });
  });
  const [row] = await db.select().from(subscriptions).where(eq(subscriptions.id, sub.id));
  return row;
}

/** Undo a cancellation before the period ends. */
export async function resume(
  db: Database,
  fanId: string,
  tierId: string,
  now: Date,
): Promise<Subscription> {
  const sub = await ownLiveForTier(db, fanId, tierId);
  if (sub.status !== 'canceled') return sub;
  if (sub.currentPeriodEnd <= now) throw new ApiError('NOT_FOUND', '이미 종료된 구독입니다.');
  const back =
    sub.trialEndsAt && sub.trialEndsAt > now ? ('trialing' as const) : ('active' as const);
  await db.transaction(async (tx) => {
    const moved = await tx
      .update(subscriptions)
      .set({ status: back, autoRenew: true })
      .where(and(eq(subscriptions.id, sub.id), eq(subscriptions.status, 'canceled')));
    await recordSubscriptionEvent(tx, moved, {
      subscriptionId: sub.id,
      type: 'resumed',
      key: `resume:${sub.id}:${now.getTime()}`,
      from: 'canceled',
      to: back,
    });
  });
  const [row] = await db.select().from(subscriptions).where(eq(subscriptions.id, sub.id));
  return row;
}

/** The fan's subscriptions with the fields the client reads, newest first. */
export async function mySubscriptions(db: Database, fanId: string, now: Date) {
  const rows = await db
    .select({ sub: subscriptions, tier: membershipItems, creator: users, creatorRow: creators.id })
    .from(subscriptions)
    .innerJoin(membershipItems, eq(membershipItems.id, subscriptions.membershipItemId))
    .innerJoin(users, eq(users.id, subscriptions.creatorId))
    .leftJoin(creators, eq(creators.userId, subscriptions.creatorId))
    .where(eq(subscriptions.subscriberId, fanId))
    .orderBy(desc(subscriptions.startedAt))
    .limit(200);
  return rows.map(({ sub, tier, creator }) => ({
    id: sub.id,
    subscriptionId: sub.id,
    creatorId: sub.creatorId,
    creatorName: creator.nickname,
    creatorHandle: creator.handle,
    avatar: creator.avatarUrl,
    membershipItemId: sub.membershipItemId,
    membershipType: tier.name,
    membershipLevel: sub.level,
    // KRW like every tier price the client shows; `priceKng` is what a KNG period debits.
    price: krwForKng(sub.price),
    priceKng: sub.price,
    status: sub.status,
    autoRenew: sub.autoRenew,
    startedAt: sub.startedAt.toISOString(),
    currentPeriodEnd: sub.currentPeriodEnd.toISOString(),
    trialEndsAt: sub.trialEndsAt?.toISOString() ?? null,
    pendingMembershipItemId: sub.pendingMembershipItemId,
    hasAccess: subscriptionGrantsAccess(sub, now),
    unread: 0,
  }));
}
