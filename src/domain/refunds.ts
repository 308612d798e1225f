// Refunds of a subscription's latest charge, as reverse transfers with their own idempotency keys: the
// creator returns their share and the treasury its fee, in proportion. Admins may refund any time; the
// creator within REFUND_WINDOW_DAYS of the charge. A full refund ends access at once; a partial one keeps it.
import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { subscriptionEvents, subscriptions, transfers, type Transfer } from '../db/schema/index.ts';
import { ApiError } from '../lib/errors.ts';
import { postTransfers, type TransferLeg } from './ledger.ts';
import { kngWallet } from './wallets.ts';

export interface RefundInput {
  actorId: string;
  actorIsAdmin: boolean;
  subscriptionId: string;
  /** Whole KNG; defaults to everything still refundable of the latest charge. */
  amount?: number;
  clientKey: string;
  now: Date;
  windowDays: number;
}

export async function refundLatestCharge(db: Database, input: RefundInput) {
  const [sub] = await db.select().from(subscriptions).where(eq(subscriptions.id, input.subscriptionId));
  // Only the creator and admins may know this subscription exists.
  if (!sub || (!input.actorIsAdmin && sub.creatorId !== input.actorId)) throw new ApiError('NOT_FOUND', '구독을 찾을 수 없습니다.');
  const [charge] = await db
    .select()
    .from(subscriptionEvents)
    .where(and(eq(subscriptionEvents.subscriptionId, sub.id), inArray(subscriptionEvents.type, ['started', 'renewed', 'upgraded']), gt(subscriptionEvents.amount, 0)))
    .orderBy(desc(subscriptionEvents.createdAt), desc(subscriptionEvents.id))
    .limit(1);
  if (!charge) throw new ApiError('NOTHING_TO_REFUND', '환불할 결제가 없습니다.');
  if (!input.actorIsAdmin && input.now.getTime() - charge.createdAt.getTime() > input.windowDays * 86_400_000) {
    throw new ApiError('REFUND_WINDOW_PASSED', `결제 후 ${input.windowDays}일이 지나 환불할 수 없습니다. 관리자에게 문의해 주세요.`);
  }
  const legs = await db.select().from(transfers).where(inArray(transfers.idempotencyKey, [`${charge.idempotencyKey}:creator`, `${charge.idempotencyKey}:fee`]));
  const refunded = legs.length
    ? await db
        .select({ id: transfers.reversesTransferId, total: sql<number>`sum(${transfers.amount})`.mapWith(Number) })
        .from(transfers)
        .where(inArray(transfers.reversesTransferId, legs.map((l) => l.id)))
        .groupBy(transfers.reversesTransferId)
    : [];
  const left = (leg: Transfer) => leg.amount - (refunded.find((r) => r.id === leg.id)?.total ?? 0);
  const creatorLeg = legs.find((l) => l.idempotencyKey.endsWith(':creator'));
  const feeLeg = legs.find((l) => l.idempotencyKey.endsWith(':fee'));
  const refundable = (creatorLeg ? left(creatorLeg) : 0) + (feeLeg ? left(feeLeg) : 0);
  const amount = input.amount ?? refundable;
  if (refundable <= 0) throw new ApiError('NOTHING_TO_REFUND', '이미 전액 환불되었습니다.');
  if (!Number.isSafeInteger(amount) || amount <= 0 || amount > refundable) {
    throw new ApiError('VALIDATION_FAILED', `환불 금액은 1 이상 ${refundable} 이하의 정수여야 합니다.`, { details: [{ path: 'amount', message: `1..${refundable}` }] });
  }
  const fanWallet = await kngWallet(db, sub.subscriberId);
  if (!fanWallet) throw new Error('subscriber without a wallet');
  // The fee share of the refund follows the fee share of the charge (rounded down; the creator covers the rest).
  const feeShare = feeLeg ? Math.min(left(feeLeg), Math.floor((amount * feeLeg.amount) / charge.amount)) : 0;
  const creatorShare = amount - feeShare;
  if (creatorLeg && creatorShare > left(creatorLeg)) throw new ApiError('VALIDATION_FAILED', '환불 금액이 크리에이터 몫을 넘습니다.');
  const key = `refund:${sub.id}:${input.clientKey}`;
  const reverse: TransferLeg[] = [];
  if (creatorLeg && creatorShare > 0) {
    reverse.push({ idempotencyKey: `${key}:creator`, fromWalletId: creatorLeg.toWalletId, toWalletId: fanWallet.id, amount: creatorShare, reason: 'refund', referenceType: 'subscription', referenceId: sub.id, reversesTransferId: creatorLeg.id });
  }
  if (feeLeg && feeShare > 0) {
    reverse.push({ idempotencyKey: `${key}:fee`, fromWalletId: feeLeg.toWalletId, toWalletId: fanWallet.id, amount: feeShare, reason: 'refund', referenceType: 'subscription', referenceId: sub.id, reversesTransferId: feeLeg.id });
  }
  const full = amount === refundable;
  const result = await postTransfers(db, reverse, async (tx, posted) => {
    await tx.insert(subscriptionEvents).values({
      subscriptionId: sub.id,
      type: 'refunded',
      fromStatus: sub.status,
      toStatus: full ? 'expired' : sub.status,
      amount,
      transferId: posted[0]?.id ?? null,
      idempotencyKey: key,
      data: { chargeEvent: charge.id, by: input.actorId, full },
    });
    if (full) {
      // Policy: a full refund of the latest charge ends access now.
      await tx.update(subscriptions).set({ status: 'expired', autoRenew: false, endedAt: input.now }).where(eq(subscriptions.id, sub.id));
    }
  });
  const [after] = await db.select().from(subscriptions).where(eq(subscriptions.id, sub.id));
  return { amount, full, replayed: result.replayed, subscription: after };
}
