// Progressive sign-in lockout per e-mail address: 5 failures lock the address (429 SIGN_IN_LOCKED
// with Retry-After, even for the right password), each further lock is twice as long, a success
// clears the count, and an address without an account locks exactly the same (nothing tells whether
// it exists).
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  clearFailures,
  emailHash,
  lockedForSeconds,
  LOCKOUT,
  recordFailure,
} from '../../src/auth/lockout.ts';
import { signInLockouts } from '../../src/db/schema/index.ts';
import { confirm, PASSWORD, postJson, signUp, uniqueEmail } from './auth-helpers.ts';
import { db } from './economy-helpers.ts';
import { expectError } from './helpers.ts';

const signIn = (email: string, password: string) => postJson('/auth/signin', { email, password });
const rowOf = async (email: string) =>
  (
    await db
      .select()
      .from(signInLockouts)
      .where(eq(signInLockouts.emailHash, await emailHash(email)))
  )[0];

async function confirmedAccount(): Promise<string> {
  const { email } = await signUp(uniqueEmail('lockout'));
  await confirm(email);
  return email;
}

describe('sign-in lockout through the API', () => {
  it('5 wrong passwords lock the account: the right password then gets 429 SIGN_IN_LOCKED with Retry-After', async () => {
    const email = await confirmedAccount();
    for (let i = 0; i < LOCKOUT.threshold; i++)
      await expectError(await signIn(email, 'Wr0ng-Passw0rd!'), 401, 'INVALID_CREDENTIALS');
    const locked = await signIn(email, PASSWORD);
    await expectError(locked, 429, 'SIGN_IN_LOCKED');
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(50);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(locked.headers.getSetCookie()).toEqual([]);
  });

  it('an address without an account answers exactly the same way', async () => {
    const email = uniqueEmail('nobody');
    for (let i = 0; i < LOCKOUT.threshold; i++)
      await expectError(await signIn(email, 'Wr0ng-Passw0rd!'), 401, 'INVALID_CREDENTIALS');
    await expectError(await signIn(email, PASSWORD), 429, 'SIGN_IN_LOCKED');
  });

  it('a successful sign-in resets the count', async () => {
    const email = await confirmedAccount();
    for (let i = 0; i < 2; i++)
      await expectError(await signIn(email, 'Wr0ng-Passw0rd!'), 401, 'INVALID_CREDENTIALS');
    expect((await rowOf(email))?.failures).toBe(2);
    expect((await signIn(email, PASSWORD)).status).toBe(201);
    expect(await rowOf(email)).toBeUndefined();
    for (let i = 0; i < 2; i++)
      await expectError(await signIn(email, 'Wr0ng-Passw0rd!'), 401, 'INVALID_CREDENTIALS');
    expect(await rowOf(email)).toMatchObject({ failures: 2, lockedUntil: null });
  });
});

describe('sign-in lockout rules', () => {
  const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);

  it('locks grow 1, 2, 4 … minutes up to an hour; a quiet day forgets them; a success clears all', async () => {
    const email = uniqueEmail('rules');
    let t = 0;
    const fail = async (n: number) => {
      let last: Awaited<ReturnType<typeof recordFailure>> = { lockedUntil: null, locks: 0 };
      for (let i = 0; i < n; i++) last = await recordFailure(db, email, at((t += 1_000)));
      return last;
    };
    expect((await fail(4)).lockedUntil).toBeNull();
    const first = await fail(1);
    expect(first.lockedUntil?.getTime()).toBe(at(t).getTime() + 60_000);
    expect(await lockedForSeconds(db, email, at(t))).toBe(60);
    expect(await lockedForSeconds(db, email, at(t + 60_000))).toBe(0);
    const durations = [];
    for (let lock = 2; lock <= 8; lock++) {
      t += 3_600_000;
      const next = await fail(LOCKOUT.threshold);
      durations.push(((next.lockedUntil?.getTime() ?? 0) - at(t).getTime()) / 60_000);
    }
    expect(durations).toEqual([2, 4, 8, 16, 32, 60, 60]);
    t += LOCKOUT.forgetLocksMs + 1;
    expect(((await fail(LOCKOUT.threshold)).lockedUntil?.getTime() ?? 0) - at(t).getTime()).toBe(
      60_000,
    );
    await clearFailures(db, email);
    expect(await rowOf(email)).toBeUndefined();
  });

  it('failures further apart than the window do not add up', async () => {
    const email = uniqueEmail('window');
    for (let i = 0; i < 10; i++)
      expect(
        (await recordFailure(db, email, at(i * (LOCKOUT.windowMs + 1)))).lockedUntil,
      ).toBeNull();
  });

  it('parallel failures are all counted: 10 at once lock the address twice', async () => {
    const email = uniqueEmail('parallel');
    const now = at(0);
    await Promise.all(Array.from({ length: 10 }, () => recordFailure(db, email, now)));
    expect(await rowOf(email)).toMatchObject({ failures: 0, locks: 2 });
    expect(await lockedForSeconds(db, email, now)).toBe(120);
  });
});
