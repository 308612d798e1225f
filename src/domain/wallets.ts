// A user's KNG wallet: created once per confirmed user (queue consumer and sweeper), read for balances.
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { KNG_TOKEN_TYPE_ID } from '../db/reference-data.ts';
import { users, walletOwnerships, wallets } from '../db/schema/index.ts';
import { uuidv7 } from 'uuidv7';
import { isDuplicateKey } from './identity.ts';

/**
 * Creates the user's KNG wallet and its ownership record in one transaction. The unique key
 * (owner_id, token_type_id) makes a repeated call — a redelivered queue message, the sweeper racing the
 * consumer — a no-op. Returns true when this call created the wallet.
 */
export async function ensureWallet(db: Database, userId: string): Promise<boolean> {
  if (await kngWallet(db, userId)) return false;
  try {
    await db.transaction(async (tx) => {
      const walletId = uuidv7();
      await tx.insert(wallets).values({
        id: walletId,
        ownerId: userId,
        tokenTypeId: KNG_TOKEN_TYPE_ID,
        kind: 'user',
        balance: 0,
      });
      await tx.insert(walletOwnerships).values({ walletId, ownerId: userId });
    });
    return true;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** The user's KNG wallet (id and balance), if it exists. */
export async function kngWallet(
  db: Database,
  userId: string,
): Promise<{ id: string; balance: number } | null> {
  const [row] = await db
    .select({ id: wallets.id, balance: wallets.balance })
    .from(wallets)
    .where(and(eq(wallets.ownerId, userId), eq(wallets.tokenTypeId, KNG_TOKEN_TYPE_ID)))
    .limit(1);
  return row ?? null;
}

/** Confirmed users that still have no wallet (a lost or dead-lettered message), oldest first. */
export async function usersWithoutWallet(db: Database, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .leftJoin(
      wallets,
      and(eq(wallets.ownerId, users.id), eq(wallets.tokenTypeId, KNG_TOKEN_TYPE_ID)),
    )
    .where(and(eq(users.status, 'active'), isNull(wallets.id)))
    .orderBy(sql`${users.confirmedAt} asc`)
    .limit(limit);
  return rows.map((r) => r.id);
}
