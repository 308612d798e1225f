// The KNG ledger. Tokens move only as transfers between two wallets, each with a reason and an
// idempotency key, written together with both balance changes in one transaction:
//   - the debit is guarded in SQL (`balance >= amount`) and checked by rows affected;
//   - wallets are locked in id order, so two opposite transfers cannot deadlock each other;
//   - a repeated key returns the transfer it created (a key reused for a different movement is refused);
//   - a reverse transfer (a refund) locks the transfer it reverses first and is refused if
//     everything reversing it would exceed its amount, so no concurrency can pay back more than was
//     paid;
//   - nothing outside the database happens inside the transaction.
// The treasury wallet mints tokens into circulation and burns them out (token_supply_changes), so the
// invariant "sum of balances = minted − burned" can be checked at any time (checkLedgerInvariants).
import { and, eq, inArray, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Database } from '../db/client.ts';
import { KNG_TOKEN_TYPE_ID, TRANSFER_REASONS, TREASURY_WALLET_ID } from '../db/reference-data.ts';
import { tokenSupplyChanges, transfers, wallets, type Transfer } from '../db/schema/index.ts';
import { ApiError } from '../lib/errors.ts';
import { isDuplicateKey } from './identity.ts';

export type TransferReason = (typeof TRANSFER_REASONS)[number]['code'];
type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
type Executor = Database | Tx;

export interface TransferLeg {
  idempotencyKey: string;
  fromWalletId: string;
  toWalletId: string;
  amount: number;
  reason: TransferReason;
  referenceType?: string;
  referenceId?: string;
  reversesTransferId?: string;
}

const REASON_IDS = new Map<string, number>(TRANSFER_REASONS.map((r) => [r.code, r.id]));
const DEADLOCK_RETRIES = 3;

function assertLeg(leg: TransferLeg): void {
  if (!Number.isSafeInteger(leg.amount) || leg.amount <= 0) {
    throw new ApiError('VALIDATION_FAILED', '이체 금액은 1 이상의 정수여야 합니다.');
  }
  if (leg.fromWalletId === leg.toWalletId)
    throw new ApiError('VALIDATION_FAILED', '같은 지갑으로는 이체할 수 없습니다.');
  if (!leg.idempotencyKey || leg.idempotencyKey.length > 191)
    throw new ApiError('VALIDATION_FAILED', '멱등성 키가 올바르지 않습니다.');
  if (!REASON_IDS.has(leg.reason))
    throw new ApiError('VALIDATION_FAILED', `알 수 없는 이체 사유: ${leg.reason}`);
}

/**
 * The same movement: wallets, amount, reason and what it is for (a key reused for another posting
 * is not).
 */
function sameMovement(row: Transfer, leg: TransferLeg): boolean {
  return (
    row.fromWalletId === leg.fromWalletId &&
    row.toWalletId === leg.toWalletId &&
    row.amount === leg.amount &&
    row.reasonId === REASON_IDS.get(leg.reason) &&
    row.referenceType === (leg.referenceType ?? null) &&
    row.referenceId === (leg.referenceId ?? null) &&
    row.reversesTransferId === (leg.reversesTransferId ?? null)
  );
}

/**
 * Locks the transfers that `legs` reverse (`SELECT … FOR UPDATE`, in id order) and refuses the legs
 * if, with what already reverses them, they would take back more than each transfer moved. It must
 * run before any plain read in the transaction: the row lock makes every other reversal of the same
 * transfer wait for our commit, and the read view of the sum that follows is then taken after every
 * earlier reversal committed.
 */
export async function guardReversals(tx: Tx, legs: TransferLeg[]): Promise<void> {
  const ids = [
    ...new Set(legs.map((l) => l.reversesTransferId).filter((id): id is string => !!id)),
  ].sort();
  if (ids.length === 0) return;
  const originals = await tx
    .select({ id: transfers.id, amount: transfers.amount })
    .from(transfers)
    .where(inArray(transfers.id, ids))
    .orderBy(transfers.id)
    .for('update');
  const reversed = await tx
    .select({
      id: transfers.reversesTransferId,
      total: sql<number>`coalesce(sum(${transfers.amount}), 0)`.mapWith(Number),
    })
    .from(transfers)
    .where(inArray(transfers.reversesTransferId, ids))
    .groupBy(transfers.reversesTransferId);
  for (const id of ids) {
    const original = originals.find((o) => o.id === id);
    if (!original) throw new ApiError('NOT_FOUND', '되돌릴 이체를 찾을 수 없습니다.');
    const wanted = legs
      .filter((l) => l.reversesTransferId === id)
      .reduce((n, l) => n + l.amount, 0);
    const already = reversed.find((r) => r.id === id)?.total ?? 0;
    if (already + wanted > original.amount)
      throw new ApiError('NOTHING_TO_REFUND', '이미 환불된 금액을 넘어 환불할 수 없습니다.');
  }
}

async function findByKeys(db: Executor, keys: string[]): Promise<Map<string, Transfer>> {
  if (keys.length === 0) return new Map();
  const rows = await db.select().from(transfers).where(inArray(transfers.idempotencyKey, keys));
  return new Map(rows.map((r) => [r.idempotencyKey, r]));
}

/** Applies one leg inside an open transaction; throws INSUFFICIENT_BALANCE (rolling everything back). */
async function applyLeg(tx: Tx, leg: TransferLeg): Promise<Transfer> {
  const debitFirst = leg.fromWalletId < leg.toWalletId;
  const debit = () =>
    tx
      .update(wallets)
      .set({ balance: sql`${wallets.balance} - ${leg.amount}` })
      .where(and(eq(wallets.id, leg.fromWalletId), sql`${wallets.balance} >= ${leg.amount}`));
  const credit = () =>
    tx
      .update(wallets)
      .set({ balance: sql`${wallets.balance} + ${leg.amount}` })
      .where(eq(wallets.id, leg.toWalletId));
  const [first, second] = debitFirst ? [debit, credit] : [credit, debit];
  const r1 = await first();
  const r2 = await second();
  const debited = debitFirst ? r1 : r2;
  const credited = debitFirst ? r2 : r1;
  if (credited.rowsAffected !== 1) throw new ApiError('NOT_FOUND', '받는 지갑을 찾을 수 없습니다.');
  if (debited.rowsAffected !== 1)
    throw new ApiError('INSUFFICIENT_BALANCE', '콩(KNG) 잔액이 부족합니다.');
  // Both rows are locked by this transaction now, so these are exactly our after-balances.
  const after = await tx
    .select({ id: wallets.id, balance: wallets.balance, tokenTypeId: wallets.tokenTypeId })
    .from(wallets)
    .where(inArray(wallets.id, [leg.fromWalletId, leg.toWalletId]));
  const from = after.find((w) => w.id === leg.fromWalletId);
  const to = after.find((w) => w.id === leg.toWalletId);
  if (!from || !to) throw new ApiError('NOT_FOUND', '지갑을 찾을 수 없습니다.');
  if (from.tokenTypeId !== to.tokenTypeId)
    throw new ApiError('VALIDATION_FAILED', '서로 다른 토큰의 지갑 사이에는 이체할 수 없습니다.');
  const row = {
    id: uuidv7(),
    idempotencyKey: leg.idempotencyKey,
    tokenTypeId: from.tokenTypeId,
    fromWalletId: leg.fromWalletId,
    toWalletId: leg.toWalletId,
    amount: leg.amount,
    reasonId: REASON_IDS.get(leg.reason) as number,
    referenceType: leg.referenceType ?? null,
    referenceId: leg.referenceId ?? null,
    fromBalanceBefore: from.balance + leg.amount,
    fromBalanceAfter: from.balance,
    toBalanceBefore: to.balance - leg.amount,
    toBalanceAfter: to.balance,
    reversesTransferId: leg.reversesTransferId ?? null,
    createdAt: new Date(),
  };
  await tx.insert(transfers).values(row);
  return row;
}

export interface PostResult {
  transfers: Transfer[];
  /** True when every leg already existed (a repeated request). */
  replayed: boolean;
}

/**
 * Legs computed inside the transaction (from rows it locked first), with the keys they will carry.
 */
export interface LegPlan {
  keys: string[];
  plan: (tx: Tx) => Promise<TransferLeg[]>;
}

/**
 * Posts several legs atomically (e.g. fan → creator and fan → treasury for the platform fee).
 * `withinTx` lets a caller add its own writes (a subscription row, an event) to the same transaction;
 * it must not call anything outside the database. A `LegPlan` computes the legs inside the
 * transaction (a refund reads what is left to refund under lock); its replay answers whatever rows
 * carry its keys.
 */
export async function postTransfers(
  db: Database,
  legs: TransferLeg[] | LegPlan,
  withinTx?: (tx: Tx, posted: Transfer[]) => Promise<void>,
  beforeLegs?: (tx: Tx) => Promise<void>,
): Promise<PostResult> {
  const planned = !Array.isArray(legs);
  if (!planned) legs.forEach(assertLeg);
  const keys = planned ? legs.keys : legs.map((l) => l.idempotencyKey);
  const answer = (rows: Map<string, Transfer>) =>
    planned ? { transfers: [...rows.values()], replayed: true } : replay(rows, legs);
  const existing = await findByKeys(db, keys);
  if (existing.size > 0) return answer(existing);
  for (let attempt = 0; ; attempt++) {
    try {
      const posted = await db.transaction(async (tx) => {
        const todo = planned ? await legs.plan(tx) : legs;
        todo.forEach(assertLeg);
        if (todo.some((l) => !keys.includes(l.idempotencyKey)))
          throw new Error('planned leg with an undeclared key');
        await guardReversals(tx, todo);
        const out: Transfer[] = [];
        if (beforeLegs) await beforeLegs(tx);
        for (const leg of todo) out.push(await applyLeg(tx, leg));
        if (withinTx) await withinTx(tx, out);
        return out;
      });
      return { transfers: posted, replayed: false };
    } catch (err) {
      // A concurrent request with the same key may have won (our insert then fails as a duplicate, or our
      // debit finds the funds already moved by it): answer with what it wrote.
      const winner = await findByKeys(db, keys);
      if (winner.size > 0) return answer(winner);
      if (isDeadlock(err) && attempt < DEADLOCK_RETRIES) continue;
      throw err;
    }
  }
}

function replay(existing: Map<string, Transfer>, legs: TransferLeg[]): PostResult {
  const rows: Transfer[] = [];
  for (const leg of legs) {
    const row = existing.get(leg.idempotencyKey);
    if (!row || !sameMovement(row, leg)) {
      throw new ApiError(
        'IDEMPOTENCY_CONFLICT',
        '같은 멱등성 키로 다른 요청이 이미 처리되었습니다.',
      );
    }
    rows.push(row);
  }
  return { transfers: rows, replayed: true };
}

export function isDeadlock(err: unknown): boolean {
  let current: unknown = err;
  for (let i = 0; i < 4 && current; i++) {
    if (current instanceof Error && /\(errno (1213|1205)\)/.test(current.message)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

export async function transfer(
  db: Database,
  leg: TransferLeg,
): Promise<{ transfer: Transfer; replayed: boolean }> {
  const result = await postTransfers(db, [leg]);
  return { transfer: result.transfers[0], replayed: result.replayed };
}

/** Changes the supply: mint adds tokens to the treasury, burn removes them (guarded). Idempotent by key. */
export async function changeSupply(
  db: Database,
  input: {
    kind: 'mint' | 'burn';
    amount: number;
    idempotencyKey: string;
    referenceType?: string;
    referenceId?: string;
  },
): Promise<{ replayed: boolean }> {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0)
    throw new ApiError('VALIDATION_FAILED', '수량은 1 이상의 정수여야 합니다.');
  const [seen] = await db
    .select({
      id: tokenSupplyChanges.id,
      kind: tokenSupplyChanges.kind,
      amount: tokenSupplyChanges.amount,
    })
    .from(tokenSupplyChanges)
    .where(eq(tokenSupplyChanges.idempotencyKey, input.idempotencyKey));
  if (seen) {
    if (seen.kind !== input.kind || seen.amount !== input.amount)
      throw new ApiError(
        'IDEMPOTENCY_CONFLICT',
        '같은 멱등성 키로 다른 요청이 이미 처리되었습니다.',
      );
    return { replayed: true };
  }
  try {
    await db.transaction((tx) => supplyChangeInTx(tx, input));
    return { replayed: false };
  } catch (err) {
    if (isDuplicateKey(err)) return { replayed: true };
    throw err;
  }
}

/** A supply change inside the caller's open transaction (e.g. a top-up's mint with its credit). */
export async function supplyChangeInTx(
  tx: Tx,
  input: {
    kind: 'mint' | 'burn';
    amount: number;
    idempotencyKey: string;
    referenceType?: string;
    referenceId?: string;
  },
): Promise<void> {
  if (!Number.isSafeInteger(input.amount) || input.amount <= 0)
    throw new ApiError('VALIDATION_FAILED', '수량은 1 이상의 정수여야 합니다.');
  const delta =
    input.kind === 'mint'
      ? sql`${wallets.balance} + ${input.amount}`
      : sql`${wallets.balance} - ${input.amount}`;
  const guard =
    input.kind === 'mint'
      ? eq(wallets.id, TREASURY_WALLET_ID)
      : and(eq(wallets.id, TREASURY_WALLET_ID), sql`${wallets.balance} >= ${input.amount}`);
  const updated = await tx.update(wallets).set({ balance: delta }).where(guard);
  if (updated.rowsAffected !== 1)
    throw new ApiError('INSUFFICIENT_BALANCE', '트레저리 잔액이 부족합니다.');
  const [after] = await tx
    .select({ balance: wallets.balance })
    .from(wallets)
    .where(eq(wallets.id, TREASURY_WALLET_ID));
  await tx.insert(tokenSupplyChanges).values({
    idempotencyKey: input.idempotencyKey,
    tokenTypeId: KNG_TOKEN_TYPE_ID,
    walletId: TREASURY_WALLET_ID,
    kind: input.kind,
    amount: input.amount,
    balanceBefore:
      input.kind === 'mint' ? after.balance - input.amount : after.balance + input.amount,
    balanceAfter: after.balance,
    referenceType: input.referenceType ?? null,
    referenceId: input.referenceId ?? null,
  });
}

export interface InvariantReport {
  ok: boolean;
  totalBalance: number;
  minted: number;
  burned: number;
  brokenTransfers: string[];
  negativeWallets: string[];
  /** Transfers that the transfers reversing them (refunds) took back more than they moved. */
  overReversedTransfers: string[];
  /** The treasury's balance, and what it must be: fees collected + forfeits − fees refunded. */
  treasury: { balance: number; feesCollected: number; forfeited: number; feesRefunded: number };
}

/**
 * The ledger's invariants, checked after every money test and by the cron:
 *   - sum of wallets = minted − burned; every transfer's before/after balances consistent; no
 *     negative balance;
 *   - no transfer reversed beyond its amount (sum of transfers with reverses_transfer_id = X ≤
 *     X.amount);
 *   - treasury = fees collected − fees refunded, where fees collected = platform-fee legs paid into
 *     the treasury (KNG subscriptions, unlocks) + the fee kept from card charges (KNG minted for a
 *     card charge, reference `subscription`, less the creator shares paid out of the treasury for
 *     them); fees refunded = reverse transfers out of the treasury (refunds of fee legs); forfeits
 *     are the balances of deleted accounts (reason `account_forfeit`), income like a fee.
 *     Everything else the treasury does passes through and nets to zero at every commit: a top-up's
 *     mint is credited to the buyer in the same transaction, a top-up cancel takes the unspent KNG
 *     back and burns them in one transaction (and mints them back with the refund if Toss refuses).
 *     A float left in the treasury (KNG taken back and never burned, minted and never paid out)
 *     breaks it.
 */
export async function checkLedgerInvariants(
  db: Database,
  tokenTypeId = KNG_TOKEN_TYPE_ID,
): Promise<InvariantReport> {
  const fee = REASON_IDS.get('platform_fee') as number;
  const share = REASON_IDS.get('subscription') as number;
  const forfeit = REASON_IDS.get('account_forfeit') as number;
  const [totals] = (
    await db.execute(sql`select
      (select coalesce(sum(balance), 0) from wallets where token_type_id = ${tokenTypeId}) as total,
      (select coalesce(sum(amount), 0) from token_supply_changes
        where token_type_id = ${tokenTypeId} and kind = 'mint') as minted,
      (select coalesce(sum(amount), 0) from token_supply_changes
        where token_type_id = ${tokenTypeId} and kind = 'burn') as burned,
      (select coalesce(sum(balance), 0) from wallets
        where id = ${TREASURY_WALLET_ID} and token_type_id = ${tokenTypeId}) as treasury,
      (select coalesce(sum(amount), 0) from transfers
        where to_wallet_id = ${TREASURY_WALLET_ID} and reason_id = ${fee}) as fee_legs,
      (select coalesce(sum(amount), 0) from token_supply_changes
        where token_type_id = ${tokenTypeId} and kind = 'mint'
          and reference_type = 'subscription') as card_minted,
      (select coalesce(sum(amount), 0) from transfers
        where from_wallet_id = ${TREASURY_WALLET_ID} and reason_id = ${share}) as card_shares,
      (select coalesce(sum(amount), 0) from transfers
        where to_wallet_id = ${TREASURY_WALLET_ID} and reason_id = ${forfeit}) as forfeited,
      (select coalesce(sum(amount), 0) from transfers
        where from_wallet_id = ${TREASURY_WALLET_ID}
          and reverses_transfer_id is not null) as fees_refunded`)
  ).rows as Array<Record<string, unknown>>;
  const broken = (
    await db.execute(sql`select id from transfers where token_type_id = ${tokenTypeId} and (
      from_balance_before - amount <> from_balance_after or to_balance_before + amount <> to_balance_after) limit 100`)
  ).rows as Array<{ id: string }>;
  const overReversed = (
    await db.execute(sql`select o.id from transfers o
      join transfers r on r.reverses_transfer_id = o.id
      where o.token_type_id = ${tokenTypeId}
      group by o.id, o.amount having sum(r.amount) > o.amount limit 100`)
  ).rows as Array<{ id: string }>;
  // Balances are UNSIGNED, so this is a belt to those braces (and catches a schema change).
  const negative = (await db.execute(sql`select id from wallets where balance < 0 limit 100`))
    .rows as Array<{ id: string }>;
  const totalBalance = Number(totals.total);
  const minted = Number(totals.minted);
  const burned = Number(totals.burned);
  const treasury = {
    balance: Number(totals.treasury),
    feesCollected:
      Number(totals.fee_legs) + Number(totals.card_minted) - Number(totals.card_shares),
    forfeited: Number(totals.forfeited),
    feesRefunded: Number(totals.fees_refunded),
  };
  return {
    ok:
      totalBalance === minted - burned &&
      broken.length === 0 &&
      negative.length === 0 &&
      overReversed.length === 0 &&
      treasury.balance === treasury.feesCollected + treasury.forfeited - treasury.feesRefunded,
    totalBalance,
    minted,
    burned,
    brokenTransfers: broken.map((r) => r.id),
    negativeWallets: negative.map((r) => r.id),
    overReversedTransfers: overReversed.map((r) => r.id),
    treasury,
  };
}
