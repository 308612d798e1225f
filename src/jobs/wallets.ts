// Wallet provisioning: confirmation enqueues `{ userId }`; this consumer creates the wallet idempotently,
// retries with exponential backoff, and after max_retries the message goes to the dead-letter queue
// (wrangler.toml). The sweeper repairs any confirmed user left without a wallet.
import { eq } from 'drizzle-orm';
import { createDb } from '../db/client.ts';
import { users } from '../db/schema/index.ts';
import { ensureWallet, usersWithoutWallet } from '../domain/wallets.ts';
import type { Env } from '../env.ts';
import type { Logger } from '../lib/logger.ts';

/** Queue names as in wrangler.toml. */
export const WALLET_QUEUE_NAME = 'crefans-wallet-provisioning';
export const WALLET_DLQ_NAME = 'crefans-wallet-provisioning-dlq';

export interface WalletMessage {
  userId: string;
}

export function isWalletMessage(body: unknown): body is WalletMessage {
  return (
    typeof body === 'object' && body !== null && typeof (body as WalletMessage).userId === 'string'
  );
}

export function backoffSeconds(attempts: number): number {
  return Math.min(5 * 2 ** Math.max(0, attempts - 1), 300);
}

export async function consumeWalletBatch(
  batch: MessageBatch<unknown>,
  env: Env,
  logger: Logger,
): Promise<void> {
  const db = createDb(env.DATABASE_URL, undefined, { timeoutMs: env.DB_STATEMENT_TIMEOUT_MS });
  for (const message of batch.messages) {
    if (!isWalletMessage(message.body)) {
      logger.error('wallet queue: malformed message dropped', { messageId: message.id });
      message.ack();
      continue;
    }
    try {
      // A message delivered late (retries, batching) may find the account already deleted and
      // anonymised (its rows moved to an anonymous id): no wallet for an id that is gone.
      const [owner] = await db
        .select({ status: users.status })
        .from(users)
        .where(eq(users.id, message.body.userId));
      if (!owner || owner.status === 'deleted') {
        logger.info('wallet queue: no such active user, skipped', { userId: message.body.userId });
        message.ack();
        continue;
      }
      const created = await ensureWallet(db, message.body.userId);
      logger.info('wallet queue: processed', {
        userId: message.body.userId,
        created,
        attempts: message.attempts,
      });
      message.ack();
    } catch (err) {
      logger.warn('wallet queue: failed, will retry', {
        userId: message.body.userId,
        attempts: message.attempts,
        error: err,
      });
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}

export async function consumeWalletDeadLetters(
  batch: MessageBatch<unknown>,
  logger: Logger,
): Promise<void> {
  for (const message of batch.messages) {
    // Kept visible in the logs; the sweeper creates the wallet on its next run.
    logger.error('wallet queue: message dead-lettered', {
      messageId: message.id,
      body: message.body,
      attempts: message.attempts,
    });
    message.ack();
  }
}

export async function sweepMissingWallets(
  env: Env,
  logger: Logger,
  batchSize = 100,
): Promise<number> {
  const db = createDb(env.DATABASE_URL, undefined, { timeoutMs: env.DB_STATEMENT_TIMEOUT_MS });
  const ids = await usersWithoutWallet(db, batchSize);
  let repaired = 0;
  for (const id of ids) {
    if (await ensureWallet(db, id)) repaired++;
  }
  if (ids.length)
    logger.warn('wallet sweeper: repaired users without a wallet', { found: ids.length, repaired });
  return repaired;
}
