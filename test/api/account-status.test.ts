// A suspended or deleted user's live access token stops working at once: every authenticated
// request reads the user's current status (403 ACCOUNT_DISABLED), and reinstating the account
// brings the token back.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { users } from '../../src/db/schema/index.ts';
import { api, postJson, putJson, tokenFor } from './auth-helpers.ts';
import { db, makeCreator } from './economy-helpers.ts';
import { expectError } from './helpers.ts';

type Call = [string, (cookies: Record<string, string>) => Promise<Response>];
const calls: Call[] = [
  ['wallet read', (cookies) => api('/wallet', { cookies })],
  [
    'payment prepare',
    (cookies) =>
      postJson('/payment/prepare', { amount: 11_000, orderName: '콩 충전' }, { cookies }),
  ],
  [
    'upload prepare',
    (cookies) =>
      postJson(
        '/media/prepare-upload',
        { fileName: 'a.jpg', contentType: 'image/jpeg', fileSize: 1000 },
        { cookies },
      ),
  ],
  ['profile update', (cookies) => putJson('/user/profile', { bio: 'still here' }, { cookies })],
  ['me', (cookies) => api('/auth/me', { cookies })],
  ['a public read with the token', (cookies) => api('/feed/public', { cookies })],
];

async function setStatus(id: string, status: 'active' | 'suspended' | 'deleted'): Promise<void> {
  await db.update(users).set({ status }).where(eq(users.id, id));
}

describe('account status on every authenticated request', () => {
  it.each(['suspended', 'deleted'] as const)(
    'a %s user is refused with 403 ACCOUNT_DISABLED on a live token, and nothing is written',
    async (status) => {
      const id = await makeCreator();
      const cookies = { access_token: await tokenFor(id) };
      expect((await api('/wallet', { cookies })).status).toBe(200);
      await setStatus(id, status);
      for (const [name, call] of calls) {
        const res = await call(cookies);
        expect(res.status, name).toBe(403);
        await expectError(res, 403, 'ACCOUNT_DISABLED');
      }
      const [row] = await db.select({ bio: users.bio }).from(users).where(eq(users.id, id));
      expect(row.bio).toBeNull();
    },
  );

  it('reinstating the account lets the same token work again (no stale status)', async () => {
    const id = await makeCreator();
    const cookies = { access_token: await tokenFor(id) };
    await setStatus(id, 'suspended');
    await expectError(await api('/wallet', { cookies }), 403, 'ACCOUNT_DISABLED');
    await setStatus(id, 'active');
    expect((await api('/wallet', { cookies })).status).toBe(200);
  });
});
