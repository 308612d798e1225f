// Memberships paid by card (the web client's Toss billing flow). The tier's price is in KNG; a card pays its KRW
// value (100 KRW per KNG plus 10 % VAT). Each approved charge mints the price in KNG and pays the creator the
// price minus the platform fee, exactly like a KNG subscription, so creators' earnings stay in one currency.
// No external call runs inside a database transaction: Toss is called first (idempotent by order id), then
// one transaction writes the subscription, the order, the mint and the creator's transfer; if that transaction
// cannot be written after a charge, the charge is cancelled.
import { and, eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Database } from '../db/client.ts';
import { TREASURY_WALLET_ID } from '../db/reference-data.ts';
import {
  membershipItems,
  paymentOrders,
  subscriptionEvents,
  subscriptions,
  users,
  type MembershipItem,
  type Subscription,
} from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../lib/errors.ts';
import { hmacHex } from '../lib/hmac.ts';
import { TossClient, TossRejected, type TossPayment } from '../lib/toss.ts';
import { postTransfers, supplyChangeInTx, type TransferLeg } from './ledger.ts';
import { KRW_PER_KNG_WITH_VAT, approvedFields, cancelUncredited } from './payments.ts';
import { periodBoundary, platformFee, trialEnd } from './periods.ts';
import {
  liveSubscription,
  purchasableTier,
  recordSubscriptionEvent,
  subscriptionByEventKey,
  trialApplies,
  walletOf,
  type BillingSettings,
} from './subscriptions.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Toss's customer key for a user: stable and ours (checked on confirm). */
export const customerKeyFor = (userId: string) => `cus_${userId.replace(/-/g, '')}`;
export const cardAmount = (tier: Pick<MembershipItem, 'price'>) =>
  tier.price * KRW_PER_KNG_WITH_VAT;

export async function prepareCardSubscription(
  db: Database,
  env: Env,
  userId: string,
  tierId: string,
) {
  const tier = await purchasableTier(db, userId, tierId);
  if (await liveSubscription(db, userId, tier.creatorId))
    throw new ApiError('ALREADY_SUBSCRIBED', '이미 이 크리에이터의 멤버십을 구독 중입니다.');
  const web = env.CORS_ORIGINS[0].replace(/\/$/, '');
  return {
    membershipItemId: tier.id,
    membershipName: tier.name,
    price: cardAmount(tier),
    priceKng: tier.price,
    tokenPrice: tier.price,
    billingPeriod: tier.billingPeriod,
    billingUnit: tier.billingUnit,
    customerKey: customerKeyFor(userId),
    clientKey: env.TOSS_CLIENT_KEY,
    // Bare, as the original: the client appends `?membershipItemId=…&userId=…` itself, and Toss
    // then adds `&customerKey=…&authKey=…`; a query here would make the client's `?` a second one.
    successUrl: `${web}/subscription/billing/success`,
    failUrl: `${web}/subscription/billing/fail`,
  };
}

/** The creator's share of a card charge, paid from the treasury after the price was minted into it. */
function creatorLeg(
  key: string,
  creatorWallet: string,
  tier: MembershipItem,
  feeBps: number,
  subscriptionId: string,
): TransferLeg[] {
  const share = tier.price - platformFee(tier.price, feeBps);
  return share > 0
    ? [
        {
          idempotencyKey: `${key}:creator`,
          fromWalletId: TREASURY_WALLET_ID,
          toWalletId: creatorWallet,
          amount: share,
          reason: 'subscription',
          referenceType: 'subscription',
          referenceId: subscriptionId,
        },
      ]
    : [];
}

/** Charges an order by billing key; a refusal marks the order failed. Unknown outcomes throw (retry later, same key). */
async function charge(
  db: Database,
  toss: TossClient,
  order: { orderId: string; amount: number; orderName: string },
  billingKey: string,
  customerKey: string,
): Promise<TossPayment | TossRejected> {
  try {
    return await toss.chargeBilling(
      billingKey,
      { customerKey, amount: order.amount, orderId: order.orderId, orderName: order.orderName },
      order.orderId,
    );
  } catch (err) {
    if (!(err instanceof TossRejected)) throw err;
    await db
      .update(paymentOrders)
      .set({ status: 'failed', failureCode: err.code, failureMessage: err.message.slice(0, 500) })
      .where(and(eq(paymentOrders.orderId, order.orderId), eq(paymentOrders.status, 'pending')));
    return err;
  }
}

/**
 * The success page's call: issues the billing key, charges the first period (or starts the trial), then
 * creates the subscription. The user is the signed-in viewer, never a body field. Repeating the call with the
 * same authKey answers the same subscription.
 */
export async function confirmCardSubscription(
  db: Database,
  env: Env,
  userId: string,
  input: { authKey: string; customerKey: string; membershipItemId: string },
  now: Date,
  settings: BillingSettings,
  log: (m: string, f: Record<string, unknown>) => void,
): Promise<{ subscription: Subscription; tier: MembershipItem }> {
  if (input.customerKey !== customerKeyFor(userId))
    throw new ApiError('FORBIDDEN', '본인의 결제 수단 등록이 아닙니다.');
  const ref = (await hmacHex(env.TOSS_SECRET_KEY, `billing-auth:${input.authKey}`)).slice(0, 40);
  const eventKey = `card-sub:${ref}`;
  const tier = await purchasableTier(db, userId, input.membershipItemId);
  const replay = await subscriptionByEventKey(db, eventKey);
  if (replay) return { subscription: replay, tier };
  if (await liveSubscription(db, userId, tier.creatorId))
    throw new ApiError('ALREADY_SUBSCRIBED', '이미 이 크리에이터의 멤버십을 구독 중입니다.');
  const toss = new TossClient(env);
  let billingKey: string;
  try {
    billingKey = (
      await toss.issueBillingKey(
        { authKey: input.authKey, customerKey: input.customerKey },
        `billing-issue:${ref}`,
      )
    ).billingKey;
  } catch (err) {
    if (err instanceof TossRejected)
      throw new ApiError('PAYMENT_FAILED', err.message, {
        details: [{ path: 'toss', message: err.code }],
      });
    throw new ApiError(
      'PAYMENT_PROVIDER_UNAVAILABLE',
      '결제사 응답이 없습니다. 잠시 후 다시 시도해 주세요.',
      { cause: err },
    );
  }
  const trial = await trialApplies(db, userId, tier);
  const id = uuidv7();
  const periodEnd = trial
    ? trialEnd(now, tier.trialUnit, tier.trialPeriod)
    : periodBoundary(now, tier.billingUnit, tier.billingPeriod, 1);
  const row = {
    id,
    subscriberId: userId,
    creatorId: tier.creatorId,
    membershipItemId: tier.id,
    status: trial ? ('trialing' as const) : ('active' as const),
    level: tier.level,
    price: tier.price,
    paymentMethod: 'card' as const,
    billingKeyRef: billingKey,
    autoRenew: true,
    billingAnchorAt: trial ? periodEnd : now,
    currentPeriodStart: now,
    currentPeriodEnd: periodEnd,
    trialEndsAt: trial ? periodEnd : null,
    startedAt: now,
  };
  const insertSub = async (tx: Tx, amount: number, transferId: string | null) => {
    await tx.insert(subscriptions).values(row);
    await tx.insert(subscriptionEvents).values({
      subscriptionId: id,
      type: trial ? 'trial_started' : 'started',
      idempotencyKey: eventKey,
      toStatus: row.status,
      periodStart: now,
      periodEnd,
      amount,
      transferId,
      data: { paymentMethod: 'card' },
    });
  };
  if (trial) {
    await db.transaction((tx) => insertSub(tx, 0, null));
    return { subscription: (await subscriptionByEventKey(db, eventKey))!, tier };
  }
  const order = {
    orderId: `subf_${ref}`,
    amount: cardAmount(tier),
    orderName: `${tier.name} 멤버십`,
  };
  await db.insert(paymentOrders).ignore().values({
    id: uuidv7(),
    orderId: order.orderId,
    userId,
    kind: 'subscription',
    orderName: order.orderName,
    amount: order.amount,
    tokenAmount: tier.price,
    isRecurring: true,
    status: 'pending',
  });
  let payment: TossPayment | TossRejected;
  try {
    payment = await charge(db, toss, order, billingKey, input.customerKey);
  } catch (err) {
    throw new ApiError(
      'PAYMENT_PROVIDER_UNAVAILABLE',
      '결제사 응답이 없습니다. 잠시 후 다시 시도해 주세요.',
      { cause: err },
    );
  }
  if (payment instanceof TossRejected)
    throw new ApiError('PAYMENT_FAILED', payment.message, {
      details: [{ path: 'toss', message: payment.code }],
    });
  const key = `card:${order.orderId}`;
  try {
    await postTransfers(
      db,
      creatorLeg(key, await walletOf(db, tier.creatorId), tier, settings.feeBps, id),
      async (tx, posted) => {
        await insertSub(tx, tier.price, posted[0]?.id ?? null);
        const moved = await tx
          .update(paymentOrders)
          .set({ ...approvedFields(payment), status: 'credited', subscriptionId: id })
          .where(
            and(eq(paymentOrders.orderId, order.orderId), eq(paymentOrders.status, 'pending')),
          );
        if (moved.rowsAffected !== 1) throw new ApiError('CONFLICT', 'order already settled');
      },
      (tx) =>
        supplyChangeInTx(tx, {
          kind: 'mint',
          amount: tier.price,
          idempotencyKey: `${key}:mint`,
          referenceType: 'subscription',
          referenceId: id,
        }),
    );
  } catch (err) {
    const again = await subscriptionByEventKey(db, eventKey);
    if (again) return { subscription: again, tier };
    log('card subscription could not be written after the charge; cancelling it', {
      orderId: order.orderId,
      error: err,
    });
    await cancelUncredited(
      db,
      toss,
      { orderId: order.orderId, status: 'pending', paymentKey: payment.paymentKey },
      'pending',
      log,
    );
    if (err instanceof ApiError && err.code === 'ALREADY_SUBSCRIBED') throw err;
    throw new ApiError(
      'PAYMENT_NOT_CREDITED',
      '구독을 만들지 못해 결제를 취소했습니다. 다시 시도해 주세요.',
      { cause: err },
    );
  }
  return { subscription: (await subscriptionByEventKey(db, eventKey))!, tier };
}

/**
 * One card renewal of the period starting at `start`, for the renewal cron. The order id is per period and
 * attempt, so parallel runs charge once (Toss answers a repeated order id with the same payment) and a retry
 * after a declined card is a new attempt. `advance` moves the subscription forward inside the transaction that
 * records the charge.
 */
export async function renewByCard(
  db: Database,
  toss: TossClient,
  sub: Subscription,
  tier: MembershipItem,
  start: Date,
  settings: BillingSettings,
  advance: (tx: Tx, transferId: string | null) => Promise<void>,
): Promise<'charged' | 'no-funds' | 'raced'> {
  if (!sub.billingKeyRef) return 'no-funds';
  const orderId = `sub_${sub.id.replace(/-/g, '')}_${start.getTime()}_${sub.failureCount}`;
  const order = { orderId, amount: cardAmount(tier), orderName: `${tier.name} 멤버십 갱신` };
  await db.insert(paymentOrders).ignore().values({
    id: uuidv7(),
    orderId,
    userId: sub.subscriberId,
    kind: 'subscription',
    orderName: order.orderName,
    amount: order.amount,
    tokenAmount: tier.price,
    isRecurring: true,
    subscriptionId: sub.id,
    status: 'pending',
  });
  const [existing] = await db
    .select()
    .from(paymentOrders)
    .where(eq(paymentOrders.orderId, orderId));
  if (existing.status === 'credited') return 'raced';
  if (existing.status === 'failed') return 'no-funds';
  let payment: TossPayment | TossRejected;
  try {
    payment = await charge(db, toss, order, sub.billingKeyRef, customerKeyFor(sub.subscriberId));
  } catch {
    return 'raced'; // no answer: the next run asks again with the same order id
  }
  if (payment instanceof TossRejected) return 'no-funds';
  const key = `card:${orderId}`;
  const result = await postTransfers(
    db,
    creatorLeg(key, await walletOf(db, sub.creatorId), tier, settings.feeBps, sub.id),
    async (tx, posted) => {
      await advance(tx, posted[0]?.id ?? null);
      await tx
        .update(paymentOrders)
        .set({ ...approvedFields(payment), status: 'credited' })
        .where(and(eq(paymentOrders.orderId, orderId), eq(paymentOrders.status, 'pending')));
    },
    (tx) =>
      supplyChangeInTx(tx, {
        kind: 'mint',
        amount: tier.price,
        idempotencyKey: `${key}:mint`,
        referenceType: 'subscription',
        referenceId: sub.id,
      }),
  );
  return result.replayed ? 'raced' : 'charged';
}

export async function myCardSubscriptions(db: Database, userId: string, now: Date) {
  const rows = await db
    .select({
      sub: subscriptions,
      tier: membershipItems,
      creator: {
        id: users.id,
        handle: users.handle,
        nickname: users.nickname,
        avatarUrl: users.avatarUrl,
      },
    })
    .from(subscriptions)
    .innerJoin(membershipItems, eq(membershipItems.id, subscriptions.membershipItemId))
    .innerJoin(users, eq(users.id, subscriptions.creatorId))
    .where(and(eq(subscriptions.subscriberId, userId), eq(subscriptions.paymentMethod, 'card')));
  return rows.map(({ sub, tier, creator }) => ({
    id: sub.id,
    subscriptionId: sub.id,
    membershipName: tier.name,
    membershipItem: {
      id: tier.id,
      name: tier.name,
      price: cardAmount(tier),
      tokenPrice: tier.price,
      billing_unit: tier.billingUnit,
      billing_period: tier.billingPeriod,
      level: tier.level,
    },
    creatorId: sub.creatorId,
    creator: {
      id: creator.id,
      handle: creator.handle,
      name: creator.nickname,
      avatar: creator.avatarUrl,
    },
    amount: cardAmount(tier),
    status: sub.status.toUpperCase(),
    nextBillingDate:
      sub.autoRenew && sub.status !== 'expired' ? sub.currentPeriodEnd.toISOString() : null,
    currentPeriodEnd: sub.currentPeriodEnd.toISOString(),
    autoRenew: sub.autoRenew,
    startedAt: sub.startedAt.toISOString(),
    endedAt: sub.endedAt ? sub.endedAt.toISOString() : null,
    isActive:
      sub.status !== 'expired' &&
      (sub.currentPeriodEnd > now || (sub.status === 'grace' && (sub.graceEndsAt ?? now) > now)),
  }));
}

/** Stops renewal of a card subscription (owner only): access continues to the end of the paid period. */
export async function stopCardSubscription(
  db: Database,
  userId: string,
  subscriptionId: string,
): Promise<void> {
  const [sub] = await db
    .select()
    .from(subscriptions)
    .where(
      and(
        eq(subscriptions.id, subscriptionId),
        eq(subscriptions.subscriberId, userId),
        eq(subscriptions.paymentMethod, 'card'),
      ),
    );
  if (!sub) throw new ApiError('NOT_FOUND', '구독을 찾을 수 없습니다.');
  if (sub.status === 'expired' || sub.status === 'canceled') return;
  await db.transaction(async (tx) => {
    const moved = await tx
      .update(subscriptions)
      .set({ status: 'canceled', autoRenew: false, billingKeyRef: null })
      .where(and(eq(subscriptions.id, sub.id), eq(subscriptions.status, sub.status)));
    // A key per stop: a membership resumed and stopped again records its second stop too.
    await recordSubscriptionEvent(tx, moved, {
      subscriptionId: sub.id,
      type: 'canceled',
      from: sub.status,
      to: 'canceled',
      periodEnd: sub.currentPeriodEnd,
      key: `card-stop:${sub.id}:${uuidv7()}`,
      data: { paymentMethod: 'card' },
    });
  });
}
