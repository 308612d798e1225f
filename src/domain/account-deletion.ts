// Account deletion, the request side: a signed-in user (freshly authenticated) asks; the request
// waits out a grace period during which signing in again cancels it; renewals are turned off
// meanwhile (and turned back on by the cancel). The cron then anonymises (anonymisation.ts).
import { and, eq, gt, inArray, lte, or } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Database } from '../db/client.ts';
import {
  accountDeletions,
  subscriptionEvents,
  subscriptions,
  type AccountDeletion,
  type StoppedSubscription,
} from '../db/schema/index.ts';
import { ApiError } from '../lib/errors.ts';
import { isDuplicateKey } from './identity.ts';

const DAY_MS = 86_400_000;

/** 401 unless the session's sign-in (`auth_time`, seconds) is at most `maxMinutes` old. */
export function assertFreshSignIn(authTime: unknown, now: Date, maxMinutes: number): void {
  const at = typeof authTime === 'number' ? authTime * 1000 : NaN;
  if (!Number.isFinite(at) || now.getTime() - at > maxMinutes * 60_000) {
    throw new ApiError(
      'REAUTH_REQUIRED',
      `보안을 위해 다시 로그인한 뒤 ${maxMinutes}분 안에 탈퇴를 요청해 주세요.`,
    );
  }
}

export async function openDeletion(db: Database, userId: string): Promise<AccountDeletion | null> {
  const [row] = await db
    .select()
    .from(accountDeletions)
    .where(
      and(
        eq(accountDeletions.userId, userId),
        inArray(accountDeletions.status, ['pending', 'processing']),
      ),
    )
    .limit(1);
  return row ?? null;
}

/**
 * Records the request (one open request per user: a repeat answers the first) and turns renewal off
 * for the user's live subscriptions, remembering their status so that a cancel can give it back.
 */
export async function requestDeletion(
  db: Database,
  userId: string,
  now: Date,
  graceDays: number,
): Promise<{ deletion: AccountDeletion; repeated: boolean }> {
  const existing = await openDeletion(db, userId);
  if (existing) return { deletion: existing, repeated: true };
  const id = uuidv7();
  try {
    await db.transaction(async (tx) => {
      const live = await tx
        .select({ id: subscriptions.id, status: subscriptions.status })
        .from(subscriptions)
        .where(
          and(
            eq(subscriptions.subscriberId, userId),
            inArray(subscriptions.status, ['trialing', 'active', 'grace']),
            eq(subscriptions.autoRenew, true),
          ),
        )
        .for('update');
      const stopped = live as StoppedSubscription[];
      await tx.insert(accountDeletions).values({
        id,
        userId,
        requestedAt: now,
        scheduledAt: new Date(now.getTime() + graceDays * DAY_MS),
        stoppedSubscriptions: stopped,
      });
      for (const s of stopped) {
        await tx
          .update(subscriptions)
          .set({ status: 'canceled', autoRenew: false })
          .where(and(eq(subscriptions.id, s.id), eq(subscriptions.status, s.status)));
        await tx.insert(subscriptionEvents).values({
          subscriptionId: s.id,
          type: 'canceled',
          fromStatus: s.status,
          toStatus: 'canceled',
          idempotencyKey: `account-deletion:${id}:${s.id}:stop`,
          data: { reason: 'account_deletion' },
        });
      }
    });
  } catch (err) {
    // A parallel request won the one-open-request key: answer with its row.
    if (!isDuplicateKey(err)) throw err;
    const winner = await openDeletion(db, userId);
    if (!winner) throw err;
    return { deletion: winner, repeated: true };
  }
  return { deletion: (await openDeletion(db, userId)) as AccountDeletion, repeated: false };
}

export type CancelOutcome =
  | { state: 'none' }
  | { state: 'canceled'; restoredSubscriptions: number }
  | { state: 'processing' };

/**
 * Called on every sign-in: a pending request is cancelled and the renewals it stopped are resumed
 * (those whose paid period has not ended). A request the cron already claimed can no longer be
 * cancelled.
 */
export async function cancelDeletionOnSignIn(
  db: Database,
  userId: string,
  now: Date,
): Promise<CancelOutcome> {
  const open = await openDeletion(db, userId);
  if (!open) return { state: 'none' };
  if (open.status === 'processing') return { state: 'processing' };
  let restored = 0;
  const won = await db.transaction(async (tx) => {
    const moved = await tx
      .update(accountDeletions)
      .set({ status: 'canceled', canceledAt: now })
      .where(and(eq(accountDeletions.id, open.id), eq(accountDeletions.status, 'pending')));
    if (moved.rowsAffected !== 1) return false;
    for (const s of open.stoppedSubscriptions ?? []) {
      const back = await tx
        .update(subscriptions)
        .set({ status: s.status, autoRenew: true })
        .where(
          and(
            eq(subscriptions.id, s.id),
            eq(subscriptions.status, 'canceled'),
            gt(subscriptions.currentPeriodEnd, now),
          ),
        );
      if (back.rowsAffected !== 1) continue;
      restored++;
      await tx.insert(subscriptionEvents).values({
        subscriptionId: s.id,
        type: 'resumed',
        fromStatus: 'canceled',
        toStatus: s.status,
        idempotencyKey: `account-deletion:${open.id}:${s.id}:resume`,
        data: { reason: 'account_deletion_canceled' },
      });
    }
    return true;
  });
  if (!won) return (await openDeletion(db, userId)) ? { state: 'processing' } : { state: 'none' };
  return { state: 'canceled', restoredSubscriptions: restored };
}

/** Requests whose grace period is over, and claimed ones a failed run left behind (retried). */
export async function dueDeletions(
  db: Database,
  now: Date,
  limit = 20,
): Promise<AccountDeletion[]> {
  return db
    .select()
    .from(accountDeletions)
    .where(
      or(
        and(eq(accountDeletions.status, 'pending'), lte(accountDeletions.scheduledAt, now)),
        eq(accountDeletions.status, 'processing'),
      ),
    )
    .orderBy(accountDeletions.scheduledAt)
    .limit(limit);
}

/** Claims a due request for the cron: from here on, signing in no longer cancels it. */
export async function claimDeletion(
  db: Database,
  deletion: AccountDeletion,
  now: Date,
): Promise<boolean> {
  if (deletion.status === 'processing') return true;
  const r = await db
    .update(accountDeletions)
    .set({ status: 'processing' })
    .where(
      and(
        eq(accountDeletions.id, deletion.id),
        eq(accountDeletions.status, 'pending'),
        lte(accountDeletions.scheduledAt, now),
      ),
    );
  return r.rowsAffected === 1;
}
