// Toss webhooks (`PAYMENT_STATUS_CHANGED`, `DEPOSIT_CALLBACK`) are hints: the payment is fetched again from Toss
// and only its real state moves our order, through the allowed transitions — a deposit arriving (pending →
// approved → credited), a deposit reverted by the bank (credited → canceled, unspent KNG taken back and burned),
// a cancellation made outside this API (flagged). A virtual-account callback must carry the payment's `secret`.
// Each (payment key, status, transaction key) is applied once; unknown orders are ignored.
import { timingSafeEqual } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client.ts';
import { TREASURY_WALLET_ID } from '../db/reference-data.ts';
import { paymentOrders, paymentWebhookEvents, type PaymentOrder } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../lib/errors.ts';
import { TossClient, TossRejected, type TossPayment } from '../lib/toss.ts';
import { changeSupply, transfer } from './ledger.ts';
import { creditOrder } from './payments.ts';
import { kngWallet } from './wallets.ts';

export const webhookSchema = z.union([
  z.object({
    eventType: z.literal('PAYMENT_STATUS_CHANGED'),
    createdAt: z.string().optional(),
    data: z
      .object({
        paymentKey: z.string().min(1).max(200),
        orderId: z.string().min(1).max(64),
        status: z.string().max(32),
      })
      .loose(),
  }),
  z.object({
    eventType: z.literal('DEPOSIT_CALLBACK').optional(),
    createdAt: z.string().optional(),
    secret: z.string().min(1).max(100),
    status: z.string().max(32),
    transactionKey: z.string().max(100),
    orderId: z.string().min(1).max(64),
  }),
]);
export type TossWebhook = z.infer<typeof webhookSchema>;

type Log = (level: 'info' | 'warn' | 'error', msg: string, f: Record<string, unknown>) => void;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function handleTossWebhook(
  db: Database,
  env: Env,
  event: TossWebhook,
  log: Log,
): Promise<'applied' | 'duplicate' | 'ignored'> {
  const orderId = 'data' in event ? event.data.orderId : event.orderId;
  const [order] = await db.select().from(paymentOrders).where(eq(paymentOrders.orderId, orderId));
  if (!order) return 'ignored';
  const toss = new TossClient(env);
  const paymentKey = 'data' in event ? event.data.paymentKey : order.paymentKey;
  if (!paymentKey || (order.paymentKey && order.paymentKey !== paymentKey)) return 'ignored';
  // The real state, from Toss (the webhook body is not trusted).
  let payment: TossPayment;
  try {
    payment = await toss.get(paymentKey);
  } catch (err) {
    if (err instanceof TossRejected) return 'ignored'; // Toss does not know this payment
    throw err;
  }
  if (payment.orderId !== order.orderId) return 'ignored';
  if (!('data' in event)) {
    // A virtual account callback must carry that payment's secret (Toss gives it only to us, at confirm).
    const known = payment.secret ?? (order.providerSnapshot?.secret as string | undefined) ?? null;
    if (!known || !sameSecret(known, event.secret))
      throw new ApiError('INVALID_SIGNATURE', '입금 알림의 secret이 일치하지 않습니다.');
  }
  const transactionKey =
    payment.lastTransactionKey ?? ('transactionKey' in event ? event.transactionKey : '') ?? '';
  const seen = await db
    .select({ k: paymentWebhookEvents.paymentKey })
    .from(paymentWebhookEvents)
    .where(
      and(
        eq(paymentWebhookEvents.paymentKey, paymentKey),
        eq(paymentWebhookEvents.status, payment.status),
        eq(paymentWebhookEvents.transactionKey, transactionKey),
      ),
    );
  if (seen.length) return 'duplicate';
  // Every transition below is guarded by the order's state, so a concurrent duplicate applies nothing twice;
  // the event is recorded once it has been applied (a failure leaves it for the next delivery).
  await applyProviderState(db, order, payment, log);
  await db
    .insert(paymentWebhookEvents)
    .ignore()
    .values({
      paymentKey,
      status: payment.status,
      transactionKey,
      eventType: 'data' in event ? event.eventType : 'DEPOSIT_CALLBACK',
    });
  return 'applied';
}

async function applyProviderState(
  db: Database,
  order: PaymentOrder,
  payment: TossPayment,
  log: Log,
): Promise<void> {
  const snapshot = payment as Record<string, unknown>;
  if (
    payment.status === 'DONE' &&
    order.status === 'pending' &&
    payment.totalAmount === order.amount &&
    order.kind === 'topup'
  ) {
    await db
      .update(paymentOrders)
      .set({
        status: 'approved',
        paymentKey: payment.paymentKey,
        method: payment.method ?? null,
        approvedAt: payment.approvedAt ? new Date(payment.approvedAt) : new Date(),
        providerSnapshot: snapshot,
      })
      .where(and(eq(paymentOrders.id, order.id), eq(paymentOrders.status, 'pending')));
    const [approved] = await db.select().from(paymentOrders).where(eq(paymentOrders.id, order.id));
    if (approved.status === 'approved') await creditOrder(db, approved);
    log('info', 'payment webhook: deposit credited', { orderId: order.orderId });
    return;
  }
  const reverted =
    payment.status === 'WAITING_FOR_DEPOSIT' ||
    payment.status === 'ABORTED' ||
    payment.status === 'EXPIRED';
  if (order.status === 'credited' && order.kind === 'topup' && reverted) {
    await revertDeposit(db, order, snapshot, log);
    return;
  }
  if (
    (payment.status === 'CANCELED' || payment.status === 'PARTIAL_CANCELED') &&
    order.status === 'credited' &&
    payment.balanceAmount !== order.amount - order.canceledAmount
  ) {
    log('error', 'payment webhook: cancelled at Toss outside this API; needs an operator', {
      orderId: order.orderId,
      balanceAmount: payment.balanceAmount,
    });
    await db
      .update(paymentOrders)
      .set({ providerSnapshot: snapshot })
      .where(eq(paymentOrders.id, order.id));
    return;
  }
  if (payment.status === 'WAITING_FOR_DEPOSIT' && order.status === 'pending') {
    await db
      .update(paymentOrders)
      .set({ paymentKey: payment.paymentKey, providerSnapshot: snapshot })
      .where(and(eq(paymentOrders.id, order.id), eq(paymentOrders.status, 'pending')));
  }
}

/** The bank took a virtual-account deposit back: the KNG it bought are taken back (what is unspent) and burned. */
async function revertDeposit(
  db: Database,
  order: PaymentOrder,
  snapshot: Record<string, unknown>,
  log: Log,
): Promise<void> {
  const claimed = await db
    .update(paymentOrders)
    .set({
      status: 'canceled',
      canceledAt: new Date(),
      failureCode: 'DEPOSIT_REVERTED',
      failureMessage: '은행에서 입금이 취소되었습니다.',
      providerSnapshot: snapshot,
    })
    .where(and(eq(paymentOrders.id, order.id), eq(paymentOrders.status, 'credited')));
  if (claimed.rowsAffected !== 1) return;
  const wallet = await kngWallet(db, order.userId);
  const back = Math.min(wallet?.balance ?? 0, order.tokenAmount);
  if (wallet && back > 0) {
    await transfer(db, {
      idempotencyKey: `deposit-revert:${order.orderId}`,
      fromWalletId: wallet.id,
      toWalletId: TREASURY_WALLET_ID,
      amount: back,
      reason: 'payment_cancel',
      referenceType: 'payment_order',
      referenceId: order.id,
    });
    await changeSupply(db, {
      kind: 'burn',
      amount: back,
      idempotencyKey: `deposit-revert:${order.orderId}:burn`,
      referenceType: 'payment_order',
      referenceId: order.id,
    });
  }
  if (back < order.tokenAmount)
    log(
      'error',
      'payment webhook: deposit reverted after KNG were spent; shortfall needs an operator',
      { orderId: order.orderId, shortfall: order.tokenAmount - back },
    );
  else
    log('warn', 'payment webhook: deposit reverted, KNG taken back', {
      orderId: order.orderId,
      amount: back,
    });
}
