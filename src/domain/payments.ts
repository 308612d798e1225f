// KNG top-ups through Toss Payments. The server chooses order id and amount; confirm checks the amount against
// the stored order before any call to Toss, confirms with an Idempotency-Key, then credits exactly once (mint into
// the treasury and a charge transfer, both keyed by the order). If crediting fails after Toss approved, the
// payment is cancelled through Toss; if even that fails, the order stays "approved" for the reconciliation job.
// Never charged-but-uncredited, never credited twice.
import { and, count, desc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Database } from '../db/client.ts';
import { TREASURY_WALLET_ID } from '../db/reference-data.ts';
import { paymentOrders, transfers, users, type PaymentOrder } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { encodeCursor, type Keyset } from '../lib/cursor.ts';
import { ApiError } from '../lib/errors.ts';
import { TossClient, TossRejected, TossUnavailable, type TossPayment } from '../lib/toss.ts';
import { postTransfers, supplyChangeInTx } from './ledger.ts';
import { ensureWallet, kngWallet } from './wallets.ts';

/** KNG packs as sold by the original: 100 KRW per KNG plus 10 % VAT, price in whole won. */
export const KNG_PRODUCTS = [
  { code: 'kng_10', tokenAmount: 10, price: 1_100 },
  { code: 'kng_30', tokenAmount: 30, price: 3_300 },
  { code: 'kng_50', tokenAmount: 50, price: 5_500 },
  { code: 'kng_100', tokenAmount: 100, price: 11_000 },
  { code: 'kng_300', tokenAmount: 300, price: 33_000 },
  { code: 'kng_500', tokenAmount: 500, price: 55_000 },
  { code: 'kng_1000', tokenAmount: 1_000, price: 110_000 },
  { code: 'kng_5000', tokenAmount: 5_000, price: 550_000 },
] as const;
/** What one KNG costs a buyer: 100 KRW plus 10 % VAT. */
export const KRW_PER_KNG_WITH_VAT = 110;

export interface PaymentView {
  id: string;
  orderId: string;
  orderName: string;
  paymentKey: string | null;
  amount: number;
  tokenAmount: number;
  tokenType: { symbol: 'KNG'; name: '콩'; price: number };
  token: { symbol: 'KNG'; amount: number };
  status: string;
  method: string | null;
  approvedAt: string | null;
  cancelledAt: string | null;
  canceledAmount: number;
  failureCode: string | null;
  failureMessage: string | null;
  createdAt: string;
  updatedAt: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function paymentView(o: PaymentOrder): PaymentView {
  return {
    id: o.id,
    orderId: o.orderId,
    orderName: o.orderName,
    paymentKey: o.paymentKey,
    amount: o.amount,
    tokenAmount: o.tokenAmount,
    tokenType: { symbol: 'KNG', name: '콩', price: 100 },
    token: { symbol: 'KNG', amount: o.tokenAmount },
    status: o.status.toUpperCase(),
    method: o.method,
    approvedAt: iso(o.approvedAt),
    cancelledAt: iso(o.canceledAt),
    canceledAmount: o.canceledAmount,
    failureCode: o.failureCode,
    failureMessage: o.failureMessage,
    createdAt: o.createdAt.toISOString(),
    updatedAt: o.updatedAt.toISOString(),
  };
}

export interface PrepareInput {
  productCode?: string;
  amount?: number;
  orderName?: string;
  customerName?: string;
}

export async function preparePayment(db: Database, env: Env, userId: string, input: PrepareInput) {
  const product = KNG_PRODUCTS.find((p) =>
    input.productCode ? p.code === input.productCode : p.price === input.amount,
  );
  if (
    !product ||
    (input.productCode && input.amount !== undefined && input.amount !== product.price)
  ) {
    throw new ApiError('VALIDATION_FAILED', '판매 중인 콩 충전 상품이 아닙니다.', {
      details: [
        {
          path: input.productCode ? 'productCode' : 'amount',
          message: `one of ${KNG_PRODUCTS.map((p) => `${p.code} (${p.price} KRW)`).join(', ')}`,
        },
      ],
    });
  }
  const [user] = await db
    .select({ nickname: users.nickname, email: users.email })
    .from(users)
    .where(eq(users.id, userId));
  const orderId = `order_${uuidv7().replace(/-/g, '')}`;
  const orderName = `콩 ${product.tokenAmount.toLocaleString('ko-KR')}개`;
  await db.insert(paymentOrders).values({
    id: uuidv7(),
    orderId,
    userId,
    kind: 'topup',
    productCode: product.code,
    orderName,
    amount: product.price,
    tokenAmount: product.tokenAmount,
    status: 'pending',
  });
  return {
    orderId,
    orderName,
    amount: product.price,
    tokenAmount: product.tokenAmount,
    clientKey: env.TOSS_CLIENT_KEY,
    customerKey: userId,
    customerName: input.customerName ?? user?.nickname ?? null,
    customerEmail: user?.email ?? null,
  };
}

async function ownOrder(db: Database, userId: string, orderId: string): Promise<PaymentOrder> {
  const [order] = await db
    .select()
    .from(paymentOrders)
    .where(and(eq(paymentOrders.orderId, orderId), eq(paymentOrders.userId, userId)));
  if (!order) throw new ApiError('NOT_FOUND', '주문을 찾을 수 없습니다.');
  return order;
}

const byOrder = async (db: Database, orderId: string) =>
  (await db.select().from(paymentOrders).where(eq(paymentOrders.orderId, orderId)))[0]!;

/**
 * Credits an approved top-up once, in one transaction: the order moves approved → credited (guarded), the KNG
 * are minted into the treasury and transferred to the buyer. A concurrent cancel claims the same row first or
 * finds it credited, so a payment is never both credited and refunded. Replays answer the first result.
 */
export async function creditOrder(db: Database, order: PaymentOrder): Promise<PaymentOrder> {
  if (order.status === 'credited') return order;
  await ensureWallet(db, order.userId);
  const wallet = await kngWallet(db, order.userId);
  if (!wallet) throw new Error(`no KNG wallet for ${order.userId}`);
  const ref = { referenceType: 'payment_order', referenceId: order.id };
  await postTransfers(
    db,
    [
      {
        idempotencyKey: `topup:${order.orderId}`,
        fromWalletId: TREASURY_WALLET_ID,
        toWalletId: wallet.id,
        amount: order.tokenAmount,
        reason: 'charge',
        ...ref,
      },
    ],
    async (tx) => {
      const claimed = await tx
        .update(paymentOrders)
        .set({ status: 'credited' })
        .where(and(eq(paymentOrders.id, order.id), eq(paymentOrders.status, 'approved')));
      if (claimed.rowsAffected !== 1)
        throw new ApiError('INVALID_STATE', '적립할 수 있는 주문 상태가 아닙니다.');
    },
    (tx) =>
      supplyChangeInTx(tx, {
        kind: 'mint',
        amount: order.tokenAmount,
        idempotencyKey: `topup:${order.orderId}:mint`,
        ...ref,
      }),
  );
  return byOrder(db, order.orderId);
}

/** What an approved Toss payment writes on its order. */
export function approvedFields(p: TossPayment) {
  return {
    paymentKey: p.paymentKey,
    method: p.method ?? null,
    approvedAt: p.approvedAt ? new Date(p.approvedAt) : new Date(),
    providerSnapshot: p as Record<string, unknown>,
  };
}

/**
 * Confirms a top-up for its owner. A second confirm of the same order (even concurrent) answers the same
 * result and credits nothing more.
 */
export async function confirmPayment(
  db: Database,
  env: Env,
  args: {
    userId: string;
    input: { paymentKey: string; orderId: string; amount: number };
    log: (msg: string, f: Record<string, unknown>) => void;
  },
): Promise<PaymentOrder> {
  const { userId, input, log } = args;
  const order = await ownOrder(db, userId, input.orderId);
  if (input.amount !== order.amount)
    throw new ApiError('AMOUNT_MISMATCH', '결제 금액이 주문 금액과 다릅니다.');
  // The order id is a confirm's idempotency key (ours and Toss's): another payment key for it is
  // another request.
  if (order.paymentKey && order.paymentKey !== input.paymentKey)
    throw new ApiError('IDEMPOTENCY_CONFLICT', '이미 다른 결제로 처리된 주문입니다.');
  if (order.status === 'credited') return order;
  if (order.status !== 'pending' && order.status !== 'approved')
    throw new ApiError('INVALID_STATE', '이미 종료된 주문입니다.');
  if (order.status === 'pending') {
    let payment: TossPayment;
    try {
      payment = await new TossClient(env).confirm(input, `confirm:${order.orderId}`);
    } catch (err) {
      if (err instanceof TossRejected) {
        await db
          .update(paymentOrders)
          .set({
            status: 'failed',
            failureCode: err.code,
            failureMessage: err.message.slice(0, 500),
          })
          .where(and(eq(paymentOrders.id, order.id), eq(paymentOrders.status, 'pending')));
        throw new ApiError('PAYMENT_FAILED', err.message, {
          details: [{ path: 'toss', message: err.code }],
        });
      }
      // Unknown outcome: the order stays pending; confirming again (same idempotency key) or reconciliation settles it.
      throw new ApiError(
        'PAYMENT_PROVIDER_UNAVAILABLE',
        '결제사 응답이 없습니다. 잠시 후 다시 시도해 주세요.',
        { cause: err },
      );
    }
    if (payment.orderId !== order.orderId || payment.totalAmount !== order.amount) {
      log('payment confirm answered for another order or amount', {
        orderId: order.orderId,
        paymentKey: payment.paymentKey,
      });
      throw new ApiError('PAYMENT_FAILED', '결제 정보가 주문과 일치하지 않습니다.');
    }
    if (payment.status !== 'DONE') {
      // Virtual account: approved later (webhook); nothing to credit yet.
      await db
        .update(paymentOrders)
        .set({
          paymentKey: payment.paymentKey,
          method: payment.method ?? null,
          providerSnapshot: payment as Record<string, unknown>,
        })
        .where(and(eq(paymentOrders.id, order.id), eq(paymentOrders.status, 'pending')));
      return byOrder(db, order.orderId);
    }
    await db
      .update(paymentOrders)
      .set({ status: 'approved', ...approvedFields(payment) })
      .where(and(eq(paymentOrders.id, order.id), eq(paymentOrders.status, 'pending')));
  }
  const approved = await byOrder(db, order.orderId);
  try {
    return await creditOrder(db, approved);
  } catch (err) {
    log('payment credit failed after approval; cancelling through Toss', {
      orderId: order.orderId,
      error: err,
    });
    await cancelUncredited(db, new TossClient(env), approved, 'approved', log);
    throw new ApiError(
      'PAYMENT_NOT_CREDITED',
      '콩 적립에 실패해 결제를 취소했습니다. 다시 시도해 주세요.',
      { cause: err },
    );
  }
}

/**
 * Cancels through Toss a charge that could not be credited (a top-up: from "approved"; a card membership's
 * charge: from "pending"). The order is claimed first (→ canceling), so a credit still in flight and this cancel
 * exclude each other; if Toss does not answer, the order stays "canceling" and reconciliation repeats the cancel
 * (same idempotency key).
 */
export async function cancelUncredited(
  db: Database,
  toss: TossClient,
  order: Pick<PaymentOrder, 'orderId' | 'status'> & { paymentKey: string | null },
  from: 'approved' | 'pending',
  log: (msg: string, f: Record<string, unknown>) => void,
): Promise<void> {
  if (!order.paymentKey) return;
  const claimed = await db
    .update(paymentOrders)
    .set({ status: 'canceling', paymentKey: order.paymentKey })
    .where(and(eq(paymentOrders.orderId, order.orderId), eq(paymentOrders.status, from)));
  if (claimed.rowsAffected !== 1 && order.status !== 'canceling') return;
  try {
    const p = await toss.cancel(
      order.paymentKey,
      { cancelReason: '적립 실패로 인한 자동 취소' },
      `cancel-uncredited:${order.orderId}`,
    );
    await db
      .update(paymentOrders)
      .set({
        status: 'canceled',
        canceledAt: new Date(),
        canceledAmount: p.totalAmount - p.balanceAmount,
        providerSnapshot: p as Record<string, unknown>,
      })
      .where(and(eq(paymentOrders.orderId, order.orderId), eq(paymentOrders.status, 'canceling')));
  } catch (err) {
    log('automatic cancel failed; left canceling for reconciliation', {
      orderId: order.orderId,
      error: err,
    });
  }
}

export async function failPayment(
  db: Database,
  userId: string,
  input: { orderId: string; code?: string; message?: string },
): Promise<PaymentOrder> {
  const order = await ownOrder(db, userId, input.orderId);
  if (order.status !== 'pending')
    throw new ApiError('INVALID_STATE', '대기 중인 주문만 실패로 기록할 수 있습니다.');
  await db
    .update(paymentOrders)
    .set({
      status: 'failed',
      failureCode: (input.code ?? 'USER_CANCEL').slice(0, 64),
      failureMessage: (input.message ?? '').slice(0, 500) || null,
    })
    .where(and(eq(paymentOrders.id, order.id), eq(paymentOrders.status, 'pending')));
  return byOrder(db, order.orderId);
}

/**
 * The user's payments, newest first: by keyset cursor (`after`, answered with `nextCursor`), or by page for the
 * web client (`page`/`limit`, with `total`).
 */
export async function paymentHistory(
  db: Database,
  userId: string,
  q: { page?: number; after?: Keyset | null; limit: number; status?: PaymentOrder['status'] },
) {
  const where = and(
    eq(paymentOrders.userId, userId),
    q.status ? eq(paymentOrders.status, q.status) : undefined,
  );
  const order = [desc(paymentOrders.createdAt), desc(paymentOrders.id)] as const;
  if (q.page === undefined) {
    const keyset = q.after
      ? or(
          lt(paymentOrders.createdAt, q.after.at),
          and(eq(paymentOrders.createdAt, q.after.at), lt(paymentOrders.id, q.after.id)),
        )
      : undefined;
    const rows = await db
      .select()
      .from(paymentOrders)
      .where(and(where, keyset))
      .orderBy(...order)
      .limit(q.limit + 1);
    const shown = rows.slice(0, q.limit);
    const last = shown[shown.length - 1];
    const hasMore = rows.length > q.limit;
    return {
      transactions: shown.map(paymentView),
      nextCursor: hasMore && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
      hasMore,
    };
  }
  const [rows, [{ total }]] = await Promise.all([
    db
      .select()
      .from(paymentOrders)
      .where(where)
      .orderBy(...order)
      .limit(q.limit)
      .offset((q.page - 1) * q.limit),
    db.select({ total: count() }).from(paymentOrders).where(where),
  ]);
  return {
    transactions: rows.map(paymentView),
    pagination: {
      page: q.page,
      limit: q.limit,
      total,
      totalPages: Math.max(1, Math.ceil(total / q.limit)),
    },
    hasMore: q.page * q.limit < total,
  };
}

/** The order behind a payment key, for its owner or an admin; anyone else: not found. */
export async function orderForViewer(
  db: Database,
  viewer: { id: string; isAdmin: boolean },
  paymentKey: string,
): Promise<PaymentOrder> {
  const [order] = await db
    .select()
    .from(paymentOrders)
    .where(eq(paymentOrders.paymentKey, paymentKey));
  if (!order || (order.userId !== viewer.id && !viewer.isAdmin))
    throw new ApiError('NOT_FOUND', '결제를 찾을 수 없습니다.');
  return order;
}

export async function paymentInfo(
  db: Database,
  env: Env,
  viewer: { id: string; isAdmin: boolean },
  paymentKey: string,
) {
  const order = await orderForViewer(db, viewer, paymentKey);
  let provider: TossPayment | null = null;
  try {
    // Toss's virtual-account `secret` authenticates its deposit callbacks: it never leaves the
    // server, not even to the payment's owner.
    const record = await new TossClient(env).get(paymentKey);
    provider = { ...record, secret: undefined };
  } catch (err) {
    if (!(err instanceof TossUnavailable)) throw err;
  }
  return { ...paymentView(order), provider };
}

const CANCEL_WAIT_MS = 10_000;
const cancelStep = (order: Pick<PaymentOrder, 'orderId' | 'canceledAmount'>) =>
  `${order.orderId}:${Math.round(order.canceledAmount / KRW_PER_KNG_WITH_VAT)}`;
const ref = (order: PaymentOrder) => ({ referenceType: 'payment_order', referenceId: order.id });

/**
 * Cancels a top-up for its owner or an admin: only KNG still unspent are refunded. Crash-safe in
 * three steps:
 *   1. one transaction claims the order (credited/partial_canceled → canceling, guarded by its
 *      state and cancelled amount), takes the unspent KNG from the wallet (guarded by the balance)
 *      and burns them;
 *   2. Toss refunds their price (idempotency key per cancel step);
 *   3. the order records the cancel — or, if Toss refused, one transaction mints the KNG back to
 *      the wallet and returns the order to its previous state. If Toss did not answer, the order
 *      stays canceling and the reconciliation job repeats the same cancel (same key) until Toss
 *      answers, then does step 3.
 * A crash anywhere leaves either nothing done or a canceling order that reconciliation finishes;
 * the treasury never holds the taken-back KNG between commits. A cancel that loses a race with
 * another (or arrives while one is in flight) waits for it and answers its result; a fully
 * cancelled order answers as is.
 */
export async function cancelPayment(
  db: Database,
  env: Env,
  args: {
    viewer: { id: string; isAdmin: boolean };
    paymentKey: string;
    reason: string;
    log: (msg: string, f: Record<string, unknown>) => void;
  },
): Promise<PaymentOrder> {
  const { viewer, paymentKey, reason, log } = args;
  const order = await orderForViewer(db, viewer, paymentKey);
  if (order.status === 'canceling') return awaitCancel(db, order);
  if (order.status === 'canceled' && order.canceledAmount > 0) return order;
  if (order.status !== 'credited' && order.status !== 'partial_canceled')
    throw new ApiError('INVALID_STATE', '취소할 수 있는 결제가 아닙니다.');
  let unspent: number;
  try {
    unspent = await beginTopUpCancel(db, order);
  } catch (err) {
    // Another cancel moved the order first: its result is ours.
    const now = await byOrder(db, order.orderId);
    if (now.status !== order.status || now.canceledAmount !== order.canceledAmount)
      return awaitCancel(db, order);
    throw err;
  }
  return finishTopUpCancel(
    db,
    new TossClient(env),
    await byOrder(db, order.orderId),
    unspent,
    reason,
    log,
  );
}

/**
 * Step 1 (see cancelPayment): claim, take back and burn in one transaction. Returns the KNG taken
 * back.
 */
export async function beginTopUpCancel(db: Database, order: PaymentOrder): Promise<number> {
  const refundedTokens = Math.round(order.canceledAmount / KRW_PER_KNG_WITH_VAT);
  const wallet = await kngWallet(db, order.userId);
  const unspent = Math.min(wallet?.balance ?? 0, order.tokenAmount - refundedTokens);
  if (!wallet || unspent <= 0)
    throw new ApiError('NOTHING_TO_REFUND', '환불할 수 있는 남은 콩이 없습니다.');
  const step = cancelStep(order);
  const result = await postTransfers(
    db,
    [
      {
        idempotencyKey: `topup-cancel:${step}`,
        fromWalletId: wallet.id,
        toWalletId: TREASURY_WALLET_ID,
        amount: unspent,
        reason: 'payment_cancel',
        ...ref(order),
      },
    ],
    (tx) =>
      supplyChangeInTx(tx, {
        kind: 'burn',
        amount: unspent,
        idempotencyKey: `topup-cancel:${step}:burn`,
        ...ref(order),
      }),
    async (tx) => {
      const claimed = await tx
        .update(paymentOrders)
        .set({ status: 'canceling' })
        .where(
          and(
            eq(paymentOrders.id, order.id),
            eq(paymentOrders.status, order.status),
            eq(paymentOrders.canceledAmount, order.canceledAmount),
          ),
        );
      if (claimed.rowsAffected !== 1)
        throw new ApiError('CONFLICT', '결제 취소가 동시에 진행되었습니다.');
    },
  );
  if (result.replayed) throw new ApiError('CONFLICT', '결제 취소가 동시에 진행되었습니다.');
  return unspent;
}

/**
 * Steps 2 and 3 (see cancelPayment), for a canceling order whose `unspent` KNG were taken back and
 * burned.
 */
async function finishTopUpCancel(
  db: Database,
  toss: TossClient,
  order: PaymentOrder,
  unspent: number,
  reason: string,
  log: (msg: string, f: Record<string, unknown>) => void,
): Promise<PaymentOrder> {
  const step = cancelStep(order);
  const cancelAmount = unspent * KRW_PER_KNG_WITH_VAT;
  const stillCanceling = and(
    eq(paymentOrders.id, order.id),
    eq(paymentOrders.status, 'canceling'),
    eq(paymentOrders.canceledAmount, order.canceledAmount),
  );
  let p: TossPayment;
  try {
    p = await toss.cancel(
      order.paymentKey as string,
      { cancelReason: reason, cancelAmount },
      `cancel:${step}`,
    );
  } catch (err) {
    if (!(err instanceof TossRejected)) {
      // Unknown outcome: Toss may have refunded. The order stays canceling; reconciliation asks
      // again (same key).
      log('payment cancel unanswered; left canceling for reconciliation', {
        orderId: order.orderId,
        error: err,
      });
      throw new ApiError(
        'PAYMENT_PROVIDER_UNAVAILABLE',
        '결제사 응답이 없습니다. 취소 결과를 확인한 뒤 자동으로 처리됩니다.',
        { cause: err },
      );
    }
    // Toss refused: nothing was refunded, so the KNG go back (minted again, as they were burned).
    const wallet = await kngWallet(db, order.userId);
    if (!wallet) throw new Error(`no KNG wallet for ${order.userId}`, { cause: err });
    await postTransfers(
      db,
      [
        {
          idempotencyKey: `topup-cancel-undo:${step}`,
          fromWalletId: TREASURY_WALLET_ID,
          toWalletId: wallet.id,
          amount: unspent,
          reason: 'refund',
          ...ref(order),
        },
      ],
      async (tx) => {
        const back = await tx
          .update(paymentOrders)
          .set({ status: order.canceledAmount > 0 ? 'partial_canceled' : 'credited' })
          .where(stillCanceling);
        if (back.rowsAffected !== 1)
          throw new ApiError('CONFLICT', '결제 취소 상태가 동시에 바뀌었습니다.');
      },
      (tx) =>
        supplyChangeInTx(tx, {
          kind: 'mint',
          amount: unspent,
          idempotencyKey: `topup-cancel-undo:${step}:mint`,
          ...ref(order),
        }),
    );
    log('payment cancel refused; KNG given back', { orderId: order.orderId, code: err.code });
    throw new ApiError('PAYMENT_FAILED', err.message, {
      details: [{ path: 'toss', message: err.code }],
    });
  }
  const canceledAmount = order.canceledAmount + cancelAmount;
  await db
    .update(paymentOrders)
    .set({
      status: canceledAmount >= order.amount ? 'canceled' : 'partial_canceled',
      canceledAmount,
      canceledAt: new Date(),
      providerSnapshot: p as Record<string, unknown>,
    })
    .where(stillCanceling);
  return byOrder(db, order.orderId);
}

/** A cancel that lost the race: waits for the one in flight and answers its result. */
async function awaitCancel(db: Database, seen: PaymentOrder): Promise<PaymentOrder> {
  const deadline = Date.now() + CANCEL_WAIT_MS;
  for (;;) {
    const now = await byOrder(db, seen.orderId);
    if (now.status !== 'canceling') {
      const done = now.canceledAmount > seen.canceledAmount;
      if (done || (now.status === 'canceled' && now.canceledAmount > 0)) return now;
      throw new ApiError('CONFLICT', '동시에 요청된 결제 취소가 실패했습니다. 다시 시도해 주세요.');
    }
    if (Date.now() > deadline) {
      throw new ApiError(
        'PAYMENT_PROVIDER_UNAVAILABLE',
        '결제 취소를 처리하고 있습니다. 잠시 후 결과를 확인해 주세요.',
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A canceling top-up whose KNG were taken back (a user cancel, not an uncredited one): the KNG it
 * took.
 */
async function takenBack(db: Database, order: PaymentOrder): Promise<number | null> {
  const [row] = await db
    .select({ amount: transfers.amount })
    .from(transfers)
    .where(eq(transfers.idempotencyKey, `topup-cancel:${cancelStep(order)}`));
  return row?.amount ?? null;
}

/** Orders approved by Toss but not credited (a crash between the two): credited now, or cancelled; cancels left unanswered are repeated. */
export async function settleApprovedOrders(
  db: Database,
  env: Env,
  now: Date,
  log: (msg: string, f: Record<string, unknown>) => void,
): Promise<number> {
  const stale = await db
    .select()
    .from(paymentOrders)
    .where(
      and(
        inArray(paymentOrders.status, ['approved', 'canceling']),
        lt(paymentOrders.updatedAt, new Date(now.getTime() - 60_000)),
      ),
    )
    .limit(100);
  for (const order of stale) {
    if (order.status === 'canceling') {
      const unspent = order.kind === 'topup' ? await takenBack(db, order) : null;
      if (unspent === null) await cancelUncredited(db, new TossClient(env), order, 'approved', log);
      else {
        // A user's cancel interrupted after its KNG were taken back (crash, Toss unanswered):
        // finish it.
        await finishTopUpCancel(db, new TossClient(env), order, unspent, '결제 취소', log).catch(
          (err: unknown) => {
            log('reconciliation: cancel still unfinished', { orderId: order.orderId, error: err });
          },
        );
      }
      continue;
    }
    try {
      await creditOrder(db, order);
    } catch (err) {
      log('reconciliation: credit failed; cancelling', { orderId: order.orderId, error: err });
      await cancelUncredited(db, new TossClient(env), order, 'approved', log);
    }
  }
  return stale.length;
}

/**
 * The reconciliation job (cron): approved-but-uncredited orders are credited or cancelled; pending orders whose
 * confirm got no answer are looked up at Toss by order id (paid → credited; unknown after a day → failed);
 * recently credited orders that Toss reports cancelled are flagged in the logs for an operator.
 */
export async function reconcilePayments(
  db: Database,
  env: Env,
  now: Date,
  log: (level: 'warn' | 'error', msg: string, f: Record<string, unknown>) => void,
) {
  const report = { settled: 0, recovered: 0, expired: 0, flagged: 0 };
  report.settled = await settleApprovedOrders(db, env, now, (m, f) => log('warn', m, f));
  const toss = new TossClient(env);
  const pending = await db
    .select()
    .from(paymentOrders)
    .where(
      and(
        eq(paymentOrders.status, 'pending'),
        eq(paymentOrders.kind, 'topup'),
        lt(paymentOrders.updatedAt, new Date(now.getTime() - 10 * 60_000)),
      ),
    )
    .limit(100);
  for (const order of pending) {
    try {
      const p = await toss.getByOrder(order.orderId);
      if (p.status === 'DONE' && p.totalAmount === order.amount) {
        await db
          .update(paymentOrders)
          .set({ status: 'approved', ...approvedFields(p) })
          .where(and(eq(paymentOrders.id, order.id), eq(paymentOrders.status, 'pending')));
        await creditOrder(db, await byOrder(db, order.orderId));
        report.recovered++;
      }
    } catch (err) {
      if (
        err instanceof TossRejected &&
        err.status === 404 &&
        now.getTime() - order.createdAt.getTime() > 86_400_000
      ) {
        await db
          .update(paymentOrders)
          .set({
            status: 'failed',
            failureCode: 'EXPIRED',
            failureMessage: '결제가 완료되지 않은 채 만료되었습니다.',
          })
          .where(and(eq(paymentOrders.id, order.id), eq(paymentOrders.status, 'pending')));
        report.expired++;
      } else if (!(err instanceof TossRejected))
        log('warn', 'reconciliation: Toss lookup failed', { orderId: order.orderId, error: err });
    }
  }
  const recent = await db
    .select()
    .from(paymentOrders)
    .where(
      and(
        eq(paymentOrders.status, 'credited'),
        lt(paymentOrders.updatedAt, now),
        sql`${paymentOrders.updatedAt} > ${new Date(now.getTime() - 86_400_000)}`,
      ),
    )
    .limit(200);
  for (const order of recent) {
    if (!order.paymentKey) continue;
    try {
      const p = await toss.get(order.paymentKey);
      if (p.status !== 'DONE' || p.balanceAmount !== order.amount) {
        log('error', 'reconciliation: Toss and our record disagree', {
          orderId: order.orderId,
          ours: order.status,
          theirs: p.status,
          balanceAmount: p.balanceAmount,
        });
        report.flagged++;
      }
    } catch (err) {
      log('warn', 'reconciliation: Toss lookup failed', { orderId: order.orderId, error: err });
    }
  }
  return report;
}
