// Progressive sign-in lockout per e-mail address, on top of the per-minute rate limits: after
// LOCKOUT.threshold failed sign-ins within LOCKOUT.windowMs the address is locked for
// LOCKOUT.firstLockMs, and each further lock lasts twice as long as the one before (capped at
// LOCKOUT.maxLockMs); a quiet day forgets the locks, and a successful sign-in clears everything.
// The lock is kept for any address, with or without an account, and is checked before Cognito is
// asked, so its answers (401 for a failure, 429 SIGN_IN_LOCKED with Retry-After while locked) never
// tell whether an account exists. Stored in the database (sign_in_lockouts, keyed by the address's
// SHA-256); concurrent failures are counted exactly (row lock). Locking out a victim by failing on
// purpose is possible, as with any lockout; the growing lock is the bound on it.
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';
import type { Database } from '../db/client.ts';
import { signInLockouts } from '../db/schema/index.ts';
import { ApiError } from '../lib/errors.ts';

export const LOCKOUT = {
  threshold: 5,
  windowMs: 15 * 60_000,
  firstLockMs: 60_000,
  maxLockMs: 60 * 60_000,
  forgetLocksMs: 24 * 60 * 60_000,
} as const;

export async function emailHash(email: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(email.trim().toLowerCase()),
  );
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Seconds until the address may try again (0: not locked). */
export async function lockedForSeconds(db: Database, email: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ until: signInLockouts.lockedUntil })
    .from(signInLockouts)
    .where(eq(signInLockouts.emailHash, await emailHash(email)));
  if (!row?.until || row.until <= now) return 0;
  return Math.ceil((row.until.getTime() - now.getTime()) / 1000);
}

/**
 * Counts one failed sign-in; returns when the address is locked until, if this failure (or an
 * earlier one) locked it.
 */
export async function recordFailure(
  db: Database,
  email: string,
  now: Date,
): Promise<{ lockedUntil: Date | null; locks: number }> {
  const key = await emailHash(email);
  // The row exists first (its own statement: a duplicate's shared lock inside the transaction,
  // upgraded by FOR UPDATE, would deadlock parallel failures), then one row lock serialises the
  // count.
  await db
    .insert(signInLockouts)
    .ignore()
    .values({ emailHash: key, failures: 0, locks: 0, lastFailedAt: now });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(signInLockouts)
      .where(eq(signInLockouts.emailHash, key))
      .for('update');
    if (!row) {
      // A concurrent success cleared it in between: this failure starts a new count.
      await tx
        .insert(signInLockouts)
        .ignore()
        .values({ emailHash: key, failures: 1, locks: 0, lastFailedAt: now });
      return { lockedUntil: null, locks: 0 };
    }
    const quietMs = now.getTime() - row.lastFailedAt.getTime();
    let failures = quietMs > LOCKOUT.windowMs ? 0 : row.failures;
    let locks = quietMs > LOCKOUT.forgetLocksMs ? 0 : row.locks;
    let lockedUntil = row.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null;
    failures += 1;
    if (failures >= LOCKOUT.threshold) {
      lockedUntil = new Date(
        now.getTime() + Math.min(LOCKOUT.firstLockMs * 2 ** locks, LOCKOUT.maxLockMs),
      );
      locks += 1;
      failures = 0;
    }
    await tx
      .update(signInLockouts)
      .set({ failures, locks, lastFailedAt: now, lockedUntil })
      .where(eq(signInLockouts.emailHash, key));
    return { lockedUntil, locks };
  });
}

export async function clearFailures(db: Database, email: string): Promise<void> {
  await db.delete(signInLockouts).where(eq(signInLockouts.emailHash, await emailHash(email)));
}

function lockedError(seconds: number): ApiError {
  return new ApiError(
    'SIGN_IN_LOCKED',
    '로그인 시도가 너무 많아 잠시 잠겼습니다. 잠시 후 다시 시도해 주세요.',
    {
      headers: { 'Retry-After': String(seconds) },
    },
  );
}

/**
 * Before anything else in sign-in: a locked address is refused (429 SIGN_IN_LOCKED, Retry-After).
 */
export async function assertSignInAllowed(c: Context<AppEnv>, email: string): Promise<void> {
  const { db, clock } = c.get('services');
  const seconds = await lockedForSeconds(db, email, clock.now());
  if (seconds > 0) throw lockedError(seconds);
}

/**
 * Runs the credential check: a wrong password (or unknown address) counts, a right one clears the
 * count.
 */
export async function signInAttempt<T>(
  c: Context<AppEnv>,
  email: string,
  attempt: () => Promise<T>,
): Promise<T> {
  const { db, clock } = c.get('services');
  let result: T;
  try {
    result = await attempt();
  } catch (err) {
    if (err instanceof ApiError && err.code === 'INVALID_CREDENTIALS')
      await recordFailure(db, email, clock.now());
    throw err;
  }
  await clearFailures(db, email);
  return result;
}
