// The account-deletion job (cron): for each request whose grace period is over, claim it (signing
// in no longer cancels it), remove the Cognito user (no more sign-ins), delete the user's stored
// media objects, then anonymise the database in one transaction. A failure leaves the request
// claimed: the next run retries it, and every step is safe to repeat (a missing Cognito user or
// object counts as removed).
import { eq } from 'drizzle-orm';
import { CognitoClient } from '../auth/cognito.ts';
import { createDb } from '../db/client.ts';
import { medias } from '../db/schema/index.ts';
import { claimDeletion, dueDeletions } from '../domain/account-deletion.ts';
import { anonymise } from '../domain/anonymisation.ts';
import { cognitoSettings, type Env } from '../env.ts';
import type { Logger } from '../lib/logger.ts';
import { deleteObject, listKeys } from '../lib/storage.ts';

export interface DeletionReport {
  due: number;
  completed: number;
  failed: number;
}

async function deleteStoredMedia(
  env: Env,
  db: ReturnType<typeof createDb>,
  userId: string,
): Promise<void> {
  const rows = await db
    .select({ id: medias.id, key: medias.storageKey })
    .from(medias)
    .where(eq(medias.ownerId, userId));
  for (const m of rows) {
    const keys = [m.key, ...(await listKeys(env, `processed/${userId}/${m.id}/`))];
    for (const key of keys) await deleteObject(env, key);
  }
}

export async function runAccountDeletions(
  env: Env,
  logger: Pick<Logger, 'info' | 'error'>,
  now: Date,
): Promise<DeletionReport> {
  const db = createDb(env.DATABASE_URL, undefined, { timeoutMs: env.DB_STATEMENT_TIMEOUT_MS });
  const due = await dueDeletions(db, now);
  const report: DeletionReport = { due: due.length, completed: 0, failed: 0 };
  const cognito = new CognitoClient(cognitoSettings(env));
  for (const deletion of due) {
    try {
      if (!(await claimDeletion(db, deletion, now))) continue;
      await cognito.adminDeleteUser(deletion.userId);
      await deleteStoredMedia(env, db, deletion.userId);
      const { forfeited } = await anonymise(db, { ...deletion, status: 'processing' }, now);
      report.completed++;
      logger.info('account deletion completed', { deletionId: deletion.id, forfeited });
    } catch (err) {
      report.failed++;
      logger.error('account deletion failed; retried on the next run', {
        deletionId: deletion.id,
        error: err,
      });
    }
  }
  return report;
}
