// Property: whatever sequence of subscribe, upgrade, cancel, renew and refund happens across many users,
// the ledger invariants hold after every step and nobody's balance goes negative.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkLedgerInvariants } from '../../src/domain/ledger.ts';
import { refundLatestCharge } from '../../src/domain/refunds.ts';
import { runRenewals } from '../../src/domain/renewals.ts';
import { cancel, subscribe } from '../../src/domain/subscriptions.ts';
import { ApiError } from '../../src/lib/errors.ts';
import { balanceOf, db, fund, makeCreator, makeTier } from './economy-helpers.ts';

const settings = { feeBps: 1000, graceDays: 3 };
// Errors the rules are expected to produce on random input; anything else fails the property.
const EXPECTED = new Set([
  'INSUFFICIENT_BALANCE',
  'ALREADY_SUBSCRIBED',
  'NOT_FOUND',
  'NOTHING_TO_REFUND',
  'CONFLICT',
  'VALIDATION_FAILED',
]);

const op = fc.oneof(
  fc.record({
    kind: fc.constant('subscribe' as const),
    fan: fc.nat(3),
    creator: fc.nat(2),
    tier: fc.nat(2),
  }),
  fc.record({
    kind: fc.constant('cancel' as const),
    fan: fc.nat(3),
    creator: fc.nat(2),
    tier: fc.nat(2),
  }),
  fc.record({ kind: fc.constant('renew' as const), days: fc.integer({ min: 1, max: 70 }) }),
  fc.record({
    kind: fc.constant('refund' as const),
    fan: fc.nat(3),
    creator: fc.nat(2),
    amount: fc.option(fc.integer({ min: 1, max: 400 }), { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('fund' as const),
    fan: fc.nat(3),
    amount: fc.integer({ min: 1, max: 2000 }),
  }),
);

describe('ledger invariants under random operation sequences', () => {
  it('hold after every step', { timeout: 240_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 25 }), async (ops) => {
        const creators = [await makeCreator(), await makeCreator(), await makeCreator()];
        const tiers = [];
        for (const c of creators)
          tiers.push([
            await makeTier(c, { level: 1, price: 300 }),
            await makeTier(c, { level: 2, price: 700 }),
            await makeTier(c, { level: 3, price: 1200, trialPeriod: 3 }),
          ]);
        const fans = [
          await makeCreator(),
          await makeCreator(),
          await makeCreator(),
          await makeCreator(),
        ];
        for (const f of fans) await fund(f, 1500);
        const subs = new Map<string, string>();
        let now = new Date(Date.UTC(2040, 0, 1) + Math.floor(Math.random() * 1e9));
        for (const o of ops) {
          try {
            if (o.kind === 'subscribe') {
              const r = await subscribe(
                db,
                {
                  fanId: fans[o.fan],
                  tierId: tiers[o.creator][o.tier].id,
                  clientKey: crypto.randomUUID(),
                  now,
                },
                settings,
              );
              subs.set(`${o.fan}:${o.creator}`, r.subscription.id);
            } else if (o.kind === 'cancel') {
              await cancel(db, fans[o.fan], tiers[o.creator][o.tier].id, now);
            } else if (o.kind === 'renew') {
              now = new Date(now.getTime() + o.days * 86_400_000);
              await runRenewals(db, now, settings, { only: [...subs.values()] });
            } else if (o.kind === 'refund') {
              const id = subs.get(`${o.fan}:${o.creator}`);
              if (id)
                await refundLatestCharge(db, {
                  actorId: creators[o.creator],
                  actorIsAdmin: true,
                  subscriptionId: id,
                  amount: o.amount,
                  clientKey: crypto.randomUUID(),
                  now,
                  windowDays: 7,
                });
            } else {
              await fund(fans[o.fan], o.amount);
            }
          } catch (err) {
            if (!(err instanceof ApiError && EXPECTED.has(err.code))) throw err;
          }
          const report = await checkLedgerInvariants(db);
          expect(report, `${JSON.stringify(o)} → ${JSON.stringify(report)}`).toMatchObject({
            ok: true,
          });
          for (const f of fans) expect(await balanceOf(f)).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 6 },
    );
  });
});
