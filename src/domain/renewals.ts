// Renewals, run by the cron trigger. For every live subscription whose period has ended:
//   canceled            → expired (access ended with the period);
//   trialing / active   → charge the next anchored period (a pending downgrade applies first);
//   no funds            → grace (access for SUBSCRIPTION_GRACE_DAYS, charge retried each run), then expired.
// Card subscriptions are charged through Toss by billing key (card-subscriptions.ts renewByCard), then
// recorded the same way. Each period's charge has its own idempotency key (subscription id + period start), and the subscription
// row moves forward in the same transaction, guarded by its old period end — so a repeated or parallel run
// charges each period once, and a run after downtime catches up period by period.
import { and, asc, eq, inArray, lte, or } from 'drizzle-orm';
import { addDays } from 'date-fns';
import type { Database } from '../db/client.ts';
import { membershipItems, subscriptions, type Subscription } from '../db/schema/index.ts';
import { ApiError } from '../lib/errors.ts';
import { isDuplicateKey } from './identity.ts';
import { postTransfers } from './ledger.ts';
import { periodBoundary, periodIndex } from './periods.ts';
import { renewByCard } from './card-subscriptions.ts';
import { paymentLegs, recordSubscriptionEvent, type BillingSettings } from './subscriptions.ts';
import { ensureWallet, kngWallet } from './wallets.ts';

export interface RenewalReport {
  examined: number;
  charged: number;
  expired: number;
  toGrace: number;
}

const MAX_CATCH_UP = 120;

async function walletId(db: Database, userId: string): Promise<string> {
  await ensureWallet(db, userId);
  return (await kngWallet(db, userId))?.id as string;
}

async function expire(db: Database, sub: Subscription, at: Date, reason: string): Promise<boolean> {
  try {
    return await db.transaction(async (tx) => {
      const moved = await tx
        .update(subscriptions)
        .set({ status: 'expired', autoRenew: false, endedAt: at })
        .where(
          and(
            eq(subscriptions.id, sub.id),
            eq(subscriptions.status, sub.status),
            eq(subscriptions.currentPeriodEnd, sub.currentPeriodEnd),
          ),
        );
      return recordSubscriptionEvent(tx, moved, {
        subscriptionId: sub.id,
        type: 'expired',
        from: sub.status,
        to: 'expired',
        periodEnd: sub.currentPeriodEnd,
        key: `expire:${sub.id}:${sub.currentPeriodEnd.getTime()}`,
        data: { reason },
      });
    });
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** Charges one period starting at `sub.currentPeriodEnd`; returns 'charged', 'no-funds' or 'raced'. */
async function renewOnce(
  db: Database,
  sub: Subscription,
  settings: BillingSettings,
): Promise<'charged' | 'no-funds' | 'raced'> {
  const tierId = sub.pendingMembershipItemId ?? sub.membershipItemId;
  const [tier] = await db.select().from(membershipItems).where(eq(membershipItems.id, tierId));
  if (!tier) return 'no-funds';
  const start = sub.currentPeriodEnd;
  const k = periodIndex(sub.billingAnchorAt, tier.billingUnit, tier.billingPeriod, start);
  const end = periodBoundary(sub.billingAnchorAt, tier.billingUnit, tier.billingPeriod, k + 1);
  const key = `renew:${sub.id}:${start.getTime()}`;
  const advance = async (
    tx: Parameters<Parameters<Database['transaction']>[0]>[0],
    transferId: string | null,
  ) => {
    const moved = await tx
      .update(subscriptions)
      .set({
        status: 'active',
        currentPeriodStart: start,
        currentPeriodEnd: end,
        graceEndsAt: null,
        failureCount: 0,
        membershipItemId: tier.id,
        level: tier.level,
        price: tier.price,
        pendingMembershipItemId: null,
      })
      .where(
        and(
          eq(subscriptions.id, sub.id),
          eq(subscriptions.currentPeriodEnd, start),
          inArray(subscriptions.status, ['trialing', 'active', 'grace']),
        ),
      );
    if (
      !(await recordSubscriptionEvent(tx, moved, {
        subscriptionId: sub.id,
        type: 'renewed',
        from: sub.status,
        to: 'active',
        periodStart: start,
        periodEnd: end,
        amount: tier.price,
        transferId,
        key,
      }))
    ) {
      throw new ApiError('CONFLICT', 'raced');
    }
  };
  try {
    if (sub.paymentMethod === 'card') {
      // Card: charged through Toss by billing key (outside any transaction), then recorded with `advance`.
      if (!settings.toss) return 'raced';
      return await renewByCard(db, settings.toss, sub, tier, start, settings, advance);
    }
    const legs = paymentLegs(
      key,
      await walletId(db, sub.subscriberId),
      await walletId(db, sub.creatorId),
      tier.price,
      settings.feeBps,
      { type: 'subscription', id: sub.id },
    );
    if (legs.length) {
      const result = await postTransfers(db, legs, (tx, posted) =>
        advance(tx, posted[0]?.id ?? null),
      );
      return result.replayed ? 'raced' : 'charged';
    }
    await db.transaction((tx) => advance(tx, null));
    return 'charged';
  } catch (err) {
    if (err instanceof ApiError && err.code === 'INSUFFICIENT_BALANCE') return 'no-funds';
    if ((err instanceof ApiError && err.code === 'CONFLICT') || isDuplicateKey(err)) return 'raced';
    throw err;
  }
}

async function toGrace(
  db: Database,
  sub: Subscription,
  settings: BillingSettings,
): Promise<boolean> {
  const graceEndsAt = addDays(sub.currentPeriodEnd, settings.graceDays);
  try {
    return await db.transaction(async (tx) => {
      const moved = await tx
        .update(subscriptions)
        .set({ status: 'grace', graceEndsAt, failureCount: sub.failureCount + 1 })
        .where(
          and(
            eq(subscriptions.id, sub.id),
            inArray(subscriptions.status, ['trialing', 'active']),
            eq(subscriptions.currentPeriodEnd, sub.currentPeriodEnd),
          ),
        );
      return recordSubscriptionEvent(tx, moved, {
        subscriptionId: sub.id,
        type: 'grace_started',
        from: sub.status,
        to: 'grace',
        periodStart: sub.currentPeriodEnd,
        key: `grace:${sub.id}:${sub.currentPeriodEnd.getTime()}`,
        data: { graceEndsAt: graceEndsAt.toISOString() },
      });
    });
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

async function reload(db: Database, id: string): Promise<Subscription | null> {
  const [row] = await db.select().from(subscriptions).where(eq(subscriptions.id, id));
  return row ?? null;
}

/**
 * One renewal pass over due subscriptions (oldest first). `only` limits it to some subscriptions (an
 * operator renewing one account by hand, or a test that must not touch other tests' rows).
 */
export async function runRenewals(
  db: Database,
  now: Date,
  settings: BillingSettings,
  options: { batch?: number; only?: string[] } = {},
): Promise<RenewalReport> {
  const batch = options.batch ?? 200;
  const report: RenewalReport = { examined: 0, charged: 0, expired: 0, toGrace: 0 };
  const dueNow = or(
    and(
      inArray(subscriptions.status, ['trialing', 'active', 'canceled']),
      lte(subscriptions.currentPeriodEnd, now),
    ),
    eq(subscriptions.status, 'grace'),
  );
  if (options.only && options.only.length === 0) return report;
  const due = await db
    .select()
    .from(subscriptions)
    .where(options.only ? and(dueNow, inArray(subscriptions.id, options.only)) : dueNow)
    .orderBy(asc(subscriptions.currentPeriodEnd))
    .limit(batch);
  for (const first of due) {
    report.examined++;
    let sub: Subscription | null = first;
    for (let i = 0; sub && i < MAX_CATCH_UP; i++) {
      if (sub.status === 'expired') break;
      if (sub.status === 'canceled' || !sub.autoRenew) {
        if (
          sub.currentPeriodEnd <= now &&
          (await expire(db, sub, sub.currentPeriodEnd, 'canceled'))
        )
          report.expired++;
        break;
      }
      if (sub.status !== 'grace' && sub.currentPeriodEnd > now) break;
      const outcome = await renewOnce(db, sub, settings);
      if (outcome === 'charged') {
        report.charged++;
        sub = await reload(db, sub.id);
        continue;
      }
      if (outcome === 'raced') break;
      // No funds (or a declined card).
      if (sub.status === 'grace') {
        // A card is tried again on the next run as a new attempt (a new order id).
        if (sub.paymentMethod === 'card') {
          await db
            .update(subscriptions)
            .set({ failureCount: sub.failureCount + 1 })
            .where(
              and(
                eq(subscriptions.id, sub.id),
                eq(subscriptions.failureCount, sub.failureCount),
                eq(subscriptions.status, 'grace'),
              ),
            );
        }
        if (
          sub.graceEndsAt &&
          sub.graceEndsAt <= now &&
          (await expire(db, sub, sub.graceEndsAt, 'grace ended'))
        )
          report.expired++;
      } else if (await toGrace(db, sub, settings)) {
        report.toGrace++;
        const graced = await reload(db, sub.id);
        if (
          graced?.graceEndsAt &&
          graced.graceEndsAt <= now &&
          (await expire(db, graced, graced.graceEndsAt, 'grace ended'))
        )
          report.expired++;
      }
      break;
    }
  }
  return report;
}
