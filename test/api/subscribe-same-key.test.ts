// Overlapping subscribe requests with one Idempotency-Key all answer the winner's result (one
// charge); another key for a tier already subscribed is 409 ALREADY_SUBSCRIBED. The ledger
// invariants are checked after every test.
import { eq } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { subscriptions, transfers } from '../../src/db/schema/index.ts';
import { checkLedgerInvariants } from '../../src/domain/ledger.ts';
import { api, createUser, type TestUser } from './auth-helpers.ts';
import { balanceOf, db, fund, makeCreator, makeTier } from './economy-helpers.ts';
import { expectError, readJson, type Envelope } from './helpers.ts';

afterEach(async () => {
  const report = await checkLedgerInvariants(db);
  expect(report, JSON.stringify(report)).toMatchObject({ ok: true });
});

type SubscribeBody = Envelope<{
  subscription: { id: string; status: string; price: number; priceKng: number };
  outcome: string;
  charged: number;
}>;
const subscribeApi = (user: TestUser, tierId: string, key?: string) =>
  api(`/subscription/membership/${tierId}`, {
    method: 'POST',
    cookies: user.cookies,
    headers: key ? { 'Idempotency-Key': key } : {},
  });

// A subscribe takes a few hundred ms here: starts 50 ms apart keep the ten overlapping while some
// land in the window between their key lookup and the winner's commit. Measured: without the
// re-read of the key after a failure in `subscribe`, 3 of 4 rounds answer 409 ALREADY_SUBSCRIBED.
const STAGGER_MS = 50;

describe('same Idempotency-Key, overlapping subscribe requests', () => {
  for (const round of [1, 2, 3, 4]) {
    it(`10 in parallel answer the winner's result, one charge (round ${round})`, async () => {
      const creator = await makeCreator();
      const tier = await makeTier(creator, { price: 300 });
      const user = await createUser(`sub-same-key-${round}`);
      await fund(user.sub, 1000);
      const key = `same-${crypto.randomUUID()}`;
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          new Promise((r) => setTimeout(r, i * STAGGER_MS))
            .then(() => subscribeApi(user, tier.id, key))
            .then((r) => readJson<SubscribeBody>(r)),
        ),
      );
      expect(
        answers.map((a) => `${a.status}:${a.body.data.outcome}:${a.body.data.charged}`),
        answers.map((a) => a.text).join('\n'),
      ).toEqual(Array(10).fill('201:subscribed:300'));
      expect(new Set(answers.map((a) => a.body.data.subscription.id)).size).toBe(1);
      expect(await balanceOf(user.sub)).toBe(700);
      const rows = await db
        .select()
        .from(transfers)
        .where(eq(transfers.referenceId, answers[0].body.data.subscription.id));
      expect(rows).toHaveLength(2);
      const live = await db
        .select()
        .from(subscriptions)
        .where(eq(subscriptions.subscriberId, user.sub));
      expect(live).toHaveLength(1);
      // Another key for the tier now subscribed is a new request: 409, nothing charged.
      await expectError(
        await subscribeApi(user, tier.id, `other-${key}`),
        409,
        'ALREADY_SUBSCRIBED',
      );
      expect(await balanceOf(user.sub)).toBe(700);
    });
  }
});

describe('same Idempotency-Key: trial and upgrade', () => {
  for (const round of [1]) {
    it(`trial: 10 in parallel answer the winner (round ${round})`, async () => {
      const tier = await makeTier(await makeCreator(), { price: 300, trialPeriod: 7 });
      const user = await createUser(`sub-same-trial-${round}`);
      const key = `trial-${crypto.randomUUID()}`;
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          subscribeApi(user, tier.id, key).then((r) => readJson<SubscribeBody>(r)),
        ),
      );
      expect(
        answers.map((a) => `${a.status}:${a.body.data.outcome}:${a.body.data.charged}`),
        answers.map((a) => a.text).join('\n'),
      ).toEqual(Array(10).fill('201:trial:0'));
    });
    it(`upgrade: 10 in parallel answer the winner (round ${round})`, async () => {
      const creator = await makeCreator();
      const basic = await makeTier(creator, { price: 100, level: 1 });
      const premium = await makeTier(creator, { price: 400, level: 2 });
      const user = await createUser(`sub-same-up-${round}`);
      await fund(user.sub, 1000);
      expect((await subscribeApi(user, basic.id)).status).toBe(201);
      const key = `up-${crypto.randomUUID()}`;
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          subscribeApi(user, premium.id, key).then((r) => readJson<SubscribeBody>(r)),
        ),
      );
      const first = answers[0].body.data;
      expect(
        answers.map((a) => `${a.status}:${a.body.data.outcome}:${a.body.data.charged}`),
        answers.map((a) => a.text).join('\n'),
      ).toEqual(Array(10).fill(`201:upgraded:${first.charged}`));
      expect(await balanceOf(user.sub)).toBe(900 - first.charged);
    });
  }
});
