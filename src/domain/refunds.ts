// Refunds of a subscription's latest charge, as reverse transfers with their own idempotency keys: the
// creator returns their share and the treasury its fee, in proportion. Admins may refund any time; the
// creator within REFUND_WINDOW_DAYS of the charge. A full refund ends access at once; a partial one keeps it.
//
// Concurrency: what is left to refund is computed inside the refund's transaction, after its first
// statement locked the charge's legs (`SELECT … FOR UPDATE`). Every refund of the same charge waits
// there for the one before it to commit, then reads what that one took back. We chose the lock over
// a `refunded_amount` column on the transfer: transfers stay append-only, and the ledger itself
// refuses any reverse transfer that would take back more than the transfer moved (guardReversals),
// so at most the charge ever comes back, with or without an Idempotency-Key, from this route or any
// other writer of reversals.
import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { subscriptionEvents, subscriptions, transfers, type Transfer } from '../db/schema/index.ts';
import { ApiError } from '../lib/errors.ts';
import { postTransfers, type TransferLeg } from './ledger.ts';
import { recordSubscriptionEvent } from './subscriptions.ts';
import { kngWallet } from './wallets.ts';

export interface RefundInput {
  actorId: string;
  actorIsAdmin: boolean;
  subscriptionId: string;
  /** Whole KNG; defaults to everything still refundable of the latest charge. */
  amount?: number;
  /** Why (kept in the refund event). */
  reason?: string;
  clientKey: string;
  now: Date;
  windowDays: number;
}

type SubscriptionEvent = typeof subscriptionEvents.$inferSelect;
type RefundData = {
  chargeEvent: string;
  by: string;
  full: boolean;
  requested: number | null;
  reason: string | null;
};

function answerFrom(event: SubscriptionEvent, input: RefundInput) {
  const data = (event.data ?? {}) as Partial<RefundData>;
  // The same key with another amount (or reason) is another request.
  if (
    (data.requested ?? null) !== (input.amount ?? null) ||
    (data.reason ?? null) !== (input.reason ?? null)
  ) {
    throw new ApiError('IDEMPOTENCY_CONFLICT', '같은 멱등성 키로 다른 환불이 이미 처리되었습니다.');
  }
  return { amount: event.amount, full: data.full === true };
}

export async function refundLatestCharge(db: Database, input: RefundInput) {
  const [sub] = await db
    .select()
    .from(subscriptions)
    .where(eq(subscriptions.id, input.subscriptionId));
  // Only the creator and admins may know this subscription exists.
  if (!sub || (!input.actorIsAdmin && sub.creatorId !== input.actorId))
    throw new ApiError('NOT_FOUND', '구독을 찾을 수 없습니다.');
  const key = `refund:${sub.id}:${input.clientKey}`;
  const replayOf = async () =>
    (
      await db.select().from(subscriptionEvents).where(eq(subscriptionEvents.idempotencyKey, key))
    )[0];
  const reload = async () =>
    (await db.select().from(subscriptions).where(eq(subscriptions.id, sub.id)))[0];
  const seen = await replayOf();
  if (seen) return { ...answerFrom(seen, input), replayed: true, subscription: await reload() };

  const [charge] = await db
    .select()
    .from(subscriptionEvents)
    .where(
      and(
        eq(subscriptionEvents.subscriptionId, sub.id),
        inArray(subscriptionEvents.type, ['started', 'renewed', 'upgraded']),
        gt(subscriptionEvents.amount, 0),
      ),
    )
    .orderBy(desc(subscriptionEvents.createdAt), desc(subscriptionEvents.id))
    .limit(1);
  if (!charge) throw new ApiError('NOTHING_TO_REFUND', '환불할 결제가 없습니다.');
  if (
    !input.actorIsAdmin &&
    input.now.getTime() - charge.createdAt.getTime() > input.windowDays * 86_400_000
  ) {
    throw new ApiError(
      'REFUND_WINDOW_PASSED',
      `결제 후 ${input.windowDays}일이 지나 환불할 수 없습니다. 관리자에게 문의해 주세요.`,
    );
  }
  const fanWallet = await kngWallet(db, sub.subscriberId);
  if (!fanWallet) throw new Error('subscriber without a wallet');
  const chargeKeys = [`${charge.idempotencyKey}:creator`, `${charge.idempotencyKey}:fee`];
  let amount = 0;
  let full = false;

  const plan = async (
    tx: Parameters<Parameters<Database['transaction']>[0]>[0],
  ): Promise<TransferLeg[]> => {
    // First statement of the transaction: lock the charge's legs (see the header).
    const legs = await tx
      .select()
      .from(transfers)
      .where(inArray(transfers.idempotencyKey, chargeKeys))
      .orderBy(transfers.id)
      .for('update');
    const refunded = legs.length
      ? await tx
          .select({
            id: transfers.reversesTransferId,
            total: sql<number>`sum(${transfers.amount})`.mapWith(Number),
          })
          .from(transfers)
          .where(
            inArray(
              transfers.reversesTransferId,
              legs.map((l) => l.id),
            ),
          )
          .groupBy(transfers.reversesTransferId)
      : [];
    const left = (leg: Transfer) =>
      leg.amount - (refunded.find((r) => r.id === leg.id)?.total ?? 0);
    const creatorLeg = legs.find((l) => l.idempotencyKey.endsWith(':creator'));
    const feeLeg = legs.find((l) => l.idempotencyKey.endsWith(':fee'));
    const refundable = (creatorLeg ? left(creatorLeg) : 0) + (feeLeg ? left(feeLeg) : 0);
    if (refundable <= 0) throw new ApiError('NOTHING_TO_REFUND', '이미 전액 환불되었습니다.');
    amount = input.amount ?? refundable;
    if (!Number.isSafeInteger(amount) || amount <= 0 || amount > refundable) {
      throw new ApiError(
        'VALIDATION_FAILED',
        `환불 금액은 1 이상 ${refundable} 이하의 정수여야 합니다.`,
        { details: [{ path: 'amount', message: `1..${refundable}` }] },
      );
    }
    full = amount === refundable;
    // The fee share of the refund follows the fee share of the charge (rounded down; the creator
    // covers the rest).
    const feeShare = feeLeg
      ? Math.min(left(feeLeg), Math.floor((amount * feeLeg.amount) / charge.amount))
      : 0;
    const creatorShare = amount - feeShare;
    if (creatorShare > (creatorLeg ? left(creatorLeg) : 0))
      throw new ApiError('VALIDATION_FAILED', '환불 금액이 크리에이터 몫을 넘습니다.');
    const reverse: TransferLeg[] = [];
    const common = {
      toWalletId: fanWallet.id,
      reason: 'refund' as const,
      referenceType: 'subscription',
      referenceId: sub.id,
    };
    if (creatorLeg && creatorShare > 0)
      reverse.push({
        ...common,
        idempotencyKey: `${key}:creator`,
        fromWalletId: creatorLeg.toWalletId,
        amount: creatorShare,
        reversesTransferId: creatorLeg.id,
      });
    if (feeLeg && feeShare > 0)
      reverse.push({
        ...common,
        idempotencyKey: `${key}:fee`,
        fromWalletId: feeLeg.toWalletId,
        amount: feeShare,
        reversesTransferId: feeLeg.id,
      });
    return reverse;
  };

  const result = await postTransfers(
    db,
    { keys: [`${key}:creator`, `${key}:fee`], plan },
    async (tx, posted) => {
      if (full) {
        // Policy: a full refund of the latest charge ends access now.
        await tx
          .update(subscriptions)
          .set({ status: 'expired', autoRenew: false, endedAt: input.now })
          .where(eq(subscriptions.id, sub.id));
      }
      // The event records the money that moved, so it is written whenever the reverse transfers
      // are.
      const data: RefundData = {
        chargeEvent: charge.id,
        by: input.actorId,
        full,
        requested: input.amount ?? null,
        reason: input.reason ?? null,
      };
      await recordSubscriptionEvent(tx, posted.length > 0, {
        subscriptionId: sub.id,
        type: 'refunded',
        key,
        from: sub.status,
        to: full ? 'expired' : sub.status,
        amount,
        transferId: posted[0]?.id ?? null,
        data,
      });
    },
  );
  if (result.replayed) {
    // A concurrent twin with the same key won: answer what it answered.
    const event = await replayOf();
    if (!event)
      throw new ApiError('CONFLICT', '환불이 동시에 처리되고 있습니다. 다시 시도해 주세요.');
    return { ...answerFrom(event, input), replayed: true, subscription: await reload() };
  }
  return { amount, full, replayed: false, subscription: await reload() };
}
