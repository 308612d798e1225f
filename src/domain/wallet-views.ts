// What the wallet endpoints show: the user's wallets with their token, and a keyset-paginated history.
import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { TRANSFER_REASONS } from '../db/reference-data.ts';
import { tokenTypes, transfers, walletOwnerships, wallets } from '../db/schema/index.ts';
import { encodeCursor, type Keyset } from '../lib/cursor.ts';

export async function walletsOf(db: Database, userId: string) {
  // When the current owner's ownership began (a correlated subquery: no GROUP BY over wide rows).
  const ownedSince =
    sql<Date | null>`(select min(${walletOwnerships.startedAt}) from ${walletOwnerships}
    where ${walletOwnerships.walletId} = ${wallets.id} and ${walletOwnerships.ownerId} = ${userId})`.mapWith(
      walletOwnerships.startedAt,
    );
  const rows = await db
    .select({ wallet: wallets, token: tokenTypes, ownedSince })
    .from(wallets)
    .innerJoin(tokenTypes, eq(tokenTypes.id, wallets.tokenTypeId))
    .where(eq(wallets.ownerId, userId));
  const list = rows.map((r) => ({
    address: r.wallet.id,
    tokenType: { symbol: r.token.symbol, name: r.token.name, price: r.token.priceKrw },
    amount: r.wallet.balance,
    ownedSince: (r.ownedSince ?? r.wallet.createdAt).toISOString(),
  }));
  // KRW value of everything held (whole won; prices are per token).
  const totalValue = rows.reduce((sum, r) => sum + r.wallet.balance * r.token.priceKrw, 0);
  return { wallets: list, totalValue };
}

const REASON_CODES = new Map<number, string>(TRANSFER_REASONS.map((r) => [r.id, r.code]));

export async function transferHistory(
  db: Database,
  walletId: string,
  after: Keyset | null,
  limit: number,
) {
  const mine = or(eq(transfers.fromWalletId, walletId), eq(transfers.toWalletId, walletId));
  const page = after
    ? or(
        lt(transfers.createdAt, after.at),
        and(eq(transfers.createdAt, after.at), lt(transfers.id, after.id)),
      )
    : undefined;
  const rows = await db
    .select()
    .from(transfers)
    .where(page ? and(mine, page) : mine)
    .orderBy(desc(transfers.createdAt), desc(transfers.id))
    .limit(limit + 1);
  const hasMore = rows.length > limit;
  const items = rows.slice(0, limit).map((t) => {
    const outgoing = t.fromWalletId === walletId;
    return {
      id: t.id,
      direction: outgoing ? ('out' as const) : ('in' as const),
      amount: t.amount,
      reason: REASON_CODES.get(t.reasonId) ?? 'unknown',
      referenceType: t.referenceType,
      referenceId: t.referenceId,
      balanceAfter: outgoing ? t.fromBalanceAfter : t.toBalanceAfter,
      counterpartyWallet: outgoing ? t.toWalletId : t.fromWalletId,
      createdAt: t.createdAt.toISOString(),
    };
  });
  const last = rows[Math.min(rows.length, limit) - 1];
  return {
    items,
    nextCursor: hasMore && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null,
    hasMore,
  };
}
