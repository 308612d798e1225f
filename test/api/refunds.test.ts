// Refunds: reverse transfers with their own keys; who may refund and when; access after a refund.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { users } from '../../src/db/schema/index.ts';
import { checkLedgerInvariants } from '../../src/domain/ledger.ts';
import { activeLevel, subscribe } from '../../src/domain/subscriptions.ts';
import { api, createUser, postJson, type TestUser } from './auth-helpers.ts';
import { balanceOf, db, fund, makeTier } from './economy-helpers.ts';
import { expectError, readJson, type Envelope } from './helpers.ts';

const settings = { feeBps: 1000, graceDays: 3 };

afterEach(async () => {
  expect((await checkLedgerInvariants(db)).ok).toBe(true);
});

async function setup(price = 1000) {
  const creator = await createUser('refund-creator');
  const fan = await createUser('refund-fan');
  const stranger = await createUser('refund-stranger');
  const tier = await makeTier(creator.sub, { price });
  await fund(fan.sub, price * 2);
  const { subscription } = await subscribe(
    db,
    { fanId: fan.sub, tierId: tier.id, clientKey: crypto.randomUUID(), now: new Date() },
    settings,
  );
  return { creator, fan, stranger, tier, subscription };
}

const refund = (user: TestUser, subscriptionId: string, body: unknown = {}, key?: string) =>
  postJson(`/subscription/${subscriptionId}/refund`, body, {
    cookies: user.cookies,
    headers: key ? { 'Idempotency-Key': key } : {},
  });

describe('refunds', () => {
  it('the creator refunds part of the charge: the fan gets it back in proportion, access stays', async () => {
    const { creator, fan, subscription } = await setup(1000);
    expect(await balanceOf(creator.sub)).toBe(900);
    const res = await readJson<
      Envelope<{ amount: number; full: boolean; subscription: { status: string } }>
    >(await refund(creator, subscription.id, { amount: 400 }));
    expect(res.status, res.text).toBe(200);
    expect(res.body.data).toMatchObject({
      amount: 400,
      full: false,
      subscription: { status: 'active' },
    });
    expect(await balanceOf(fan.sub)).toBe(1000 + 400);
    // 10 % of the refund comes back out of the fee, the rest from the creator.
    expect(await balanceOf(creator.sub)).toBe(900 - 360);
    expect(await activeLevel(db, fan.sub, creator.sub, new Date())).toBe(1);
    // The rest: a full refund of what is left ends access at once.
    const rest = await readJson<Envelope<{ amount: number; full: boolean }>>(
      await refund(creator, subscription.id),
    );
    expect(rest.body.data).toMatchObject({ amount: 600, full: true });
    expect(await balanceOf(fan.sub)).toBe(2000);
    expect(await balanceOf(creator.sub)).toBe(0);
    expect(await activeLevel(db, fan.sub, creator.sub, new Date())).toBe(0);
    await expectError(await refund(creator, subscription.id), 409, 'NOTHING_TO_REFUND');
  });

  it('is idempotent by key: the same refund sent 10 times in parallel moves tokens once', async () => {
    const { creator, fan, subscription } = await setup(1000);
    const key = `refund-${crypto.randomUUID()}`;
    const statuses = await Promise.all(
      Array.from({ length: 10 }, () =>
        refund(creator, subscription.id, { amount: 100 }, key).then((r) => r.status),
      ),
    );
    expect(
      statuses.every((s) => s === 200),
      statuses.join(','),
    ).toBe(true);
    expect(await balanceOf(fan.sub)).toBe(1100);
  });

  it('refuses strangers (404), fans (404), amounts above what is left (400), and nothing after the window (403)', async () => {
    const { creator, fan, stranger, subscription } = await setup(500);
    await expectError(await refund(stranger, subscription.id), 404, 'NOT_FOUND');
    await expectError(await refund(fan, subscription.id), 404, 'NOT_FOUND');
    await expectError(
      await refund(creator, subscription.id, { amount: 501 }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      await refund(creator, subscription.id, { amount: -1 }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(await refund(creator, crypto.randomUUID()), 404, 'NOT_FOUND');
    await expectError(
      await api(`/subscription/${subscription.id}/refund`, { method: 'POST' }),
      401,
      'UNAUTHENTICATED',
    );
    // An admin may refund even when the creator could not.
    await db.update(users).set({ role: 'admin' }).where(eq(users.id, stranger.sub));
    const byAdmin = await refund(stranger, subscription.id, { amount: 50 });
    expect(byAdmin.status, await byAdmin.clone().text()).toBe(200);
  });

  it('a creator who spent the money gets a clear 402', async () => {
    const { creator, subscription } = await setup(1000);
    const sink = await createUser('refund-sink');
    const { transfer } = await import('../../src/domain/ledger.ts');
    const { kngWallet, ensureWallet } = await import('../../src/domain/wallets.ts');
    await ensureWallet(db, sink.sub);
    const from = await kngWallet(db, creator.sub);
    const to = await kngWallet(db, sink.sub);
    if (!from || !to) throw new Error('wallets');
    await transfer(db, {
      idempotencyKey: `spend:${crypto.randomUUID()}`,
      fromWalletId: from.id,
      toWalletId: to.id,
      amount: 900,
      reason: 'donation',
    });
    await expectError(await refund(creator, subscription.id), 402, 'INSUFFICIENT_BALANCE');
  });
});
