import { char, int, mysqlTable } from 'drizzle-orm/mysql-core';
import { at } from './columns.ts';

/**
 * Progressive sign-in lockout per e-mail address (src/auth/lockout.ts), whether or not an account
 * exists for it. Keyed by the SHA-256 of the normalised address, so no address is stored; a
 * successful sign-in deletes the row.
 */
export const signInLockouts = mysqlTable('sign_in_lockouts', {
  emailHash: char('email_hash', { length: 64 }).primaryKey(),
  /** Failed sign-ins since the last lock, within the counting window. */
  failures: int('failures', { unsigned: true }).notNull().default(0),
  /** Locks so far (each one twice as long as the last), forgotten after a quiet day. */
  locks: int('locks', { unsigned: true }).notNull().default(0),
  lastFailedAt: at('last_failed_at').notNull(),
  lockedUntil: at('locked_until'),
});
