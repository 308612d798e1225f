// The KNG ledger against the real database: exact balances, guarded debits, idempotency and atomicity
// under concurrency, and the invariants after every scenario.
import { env } from 'cloudflare:workers';
import { eq, inArray } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb } from '../../src/db/client.ts';
import { TREASURY_WALLET_ID } from '../../src/db/reference-data.ts';
import { transfers, wallets } from '../../src/db/schema/index.ts';
import {
  changeSupply,
  checkLedgerInvariants,
  postTransfers,
  supplyChangeInTx,
  transfer,
} from '../../src/domain/ledger.ts';
import { ensureWallet, kngWallet } from '../../src/domain/wallets.ts';
import { api, createUser } from './auth-helpers.ts';
import { code, readJson, type Envelope } from './helpers.ts';

const db = createDb(env.DATABASE_URL);

/** A wallet for a fresh owner, funded the only legitimate way: mint into the treasury, then a charge transfer. */
async function fundedWallet(amount: number, ownerId: string = uuidv7()): Promise<string> {
  await ensureWallet(db, ownerId);
  const wallet = await kngWallet(db, ownerId);
  if (!wallet) throw new Error('no wallet');
  if (amount > 0) {
    const key = `test-fund:${uuidv7()}`;
    await changeSupply(db, { kind: 'mint', amount, idempotencyKey: `${key}:mint` });
    await transfer(db, {
      idempotencyKey: key,
      fromWalletId: TREASURY_WALLET_ID,
      toWalletId: wallet.id,
      amount,
      reason: 'charge',
    });
  }
  return wallet.id;
}

async function balance(walletId: string): Promise<number> {
  const [row] = await db
    .select({ balance: wallets.balance })
    .from(wallets)
    .where(eq(wallets.id, walletId));
  return row.balance;
}

afterEach(async () => {
  const report = await checkLedgerInvariants(db);
  expect(report, JSON.stringify(report)).toMatchObject({
    ok: true,
    brokenTransfers: [],
    negativeWallets: [],
  });
});

describe('a transfer', () => {
  it('moves exact amounts and records both balances before and after', async () => {
    const from = await fundedWallet(1000);
    const to = await fundedWallet(0);
    const { transfer: t, replayed } = await transfer(db, {
      idempotencyKey: `t:${uuidv7()}`,
      fromWalletId: from,
      toWalletId: to,
      amount: 275,
      reason: 'donation',
      referenceType: 'test',
      referenceId: 'x',
    });
    expect(replayed).toBe(false);
    expect(t).toMatchObject({
      amount: 275,
      fromBalanceBefore: 1000,
      fromBalanceAfter: 725,
      toBalanceBefore: 0,
      toBalanceAfter: 275,
      referenceType: 'test',
    });
    expect(await balance(from)).toBe(725);
    expect(await balance(to)).toBe(275);
  });

  it('refuses more than the balance with INSUFFICIENT_BALANCE and changes nothing', async () => {
    const from = await fundedWallet(100);
    const to = await fundedWallet(0);
    const key = `t:${uuidv7()}`;
    expect(
      await code(
        transfer(db, {
          idempotencyKey: key,
          fromWalletId: from,
          toWalletId: to,
          amount: 101,
          reason: 'donation',
        }),
      ),
    ).toBe('INSUFFICIENT_BALANCE');
    expect(await balance(from)).toBe(100);
    expect(await balance(to)).toBe(0);
    expect(await db.select().from(transfers).where(eq(transfers.idempotencyKey, key))).toEqual([]);
  });

  it.each([
    ['zero', 0],
    ['negative', -5],
    ['fractional', 1.5],
    ['unsafe', Number.MAX_SAFE_INTEGER + 2],
  ])('refuses a %s amount', async (_c, amount) => {
    const from = await fundedWallet(10);
    const to = await fundedWallet(0);
    expect(
      await code(
        transfer(db, {
          idempotencyKey: `t:${uuidv7()}`,
          fromWalletId: from,
          toWalletId: to,
          amount,
          reason: 'donation',
        }),
      ),
    ).toBe('VALIDATION_FAILED');
  });

  it('refuses a transfer to the same wallet, or to a wallet that does not exist', async () => {
    const from = await fundedWallet(10);
    expect(
      await code(
        transfer(db, {
          idempotencyKey: `t:${uuidv7()}`,
          fromWalletId: from,
          toWalletId: from,
          amount: 1,
          reason: 'donation',
        }),
      ),
    ).toBe('VALIDATION_FAILED');
    expect(
      await code(
        transfer(db, {
          idempotencyKey: `t:${uuidv7()}`,
          fromWalletId: from,
          toWalletId: uuidv7(),
          amount: 1,
          reason: 'donation',
        }),
      ),
    ).toBe('NOT_FOUND');
    expect(await balance(from)).toBe(10);
  });
});

describe('concurrency', () => {
  it('100 parallel transfers from a wallet that covers exactly 10: exactly 10 succeed', async () => {
    const from = await fundedWallet(100);
    const to = await fundedWallet(0);
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, () =>
        code(
          transfer(db, {
            idempotencyKey: `p:${uuidv7()}`,
            fromWalletId: from,
            toWalletId: to,
            amount: 10,
            reason: 'donation',
          }),
        ),
      ),
    );
    expect(outcomes.filter((o) => o === 'OK')).toHaveLength(10);
    expect(outcomes.filter((o) => o === 'INSUFFICIENT_BALANCE')).toHaveLength(90);
    expect(await balance(from)).toBe(0);
    expect(await balance(to)).toBe(100);
  });

  it('the same idempotency key 20 times in parallel: one transfer, identical answers', async () => {
    const from = await fundedWallet(500);
    const to = await fundedWallet(0);
    const key = `same:${uuidv7()}`;
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        transfer(db, {
          idempotencyKey: key,
          fromWalletId: from,
          toWalletId: to,
          amount: 40,
          reason: 'donation',
        }),
      ),
    );
    expect(new Set(results.map((r) => r.transfer.id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed).length).toBeLessThanOrEqual(1);
    expect(await db.select().from(transfers).where(eq(transfers.idempotencyKey, key))).toHaveLength(
      1,
    );
    expect(await balance(from)).toBe(460);
    expect(await balance(to)).toBe(40);
  });

  it('a key reused for a different movement is refused', async () => {
    const from = await fundedWallet(100);
    const to = await fundedWallet(0);
    const key = `reuse:${uuidv7()}`;
    await transfer(db, {
      idempotencyKey: key,
      fromWalletId: from,
      toWalletId: to,
      amount: 10,
      reason: 'donation',
    });
    expect(
      await code(
        transfer(db, {
          idempotencyKey: key,
          fromWalletId: from,
          toWalletId: to,
          amount: 11,
          reason: 'donation',
        }),
      ),
    ).toBe('IDEMPOTENCY_CONFLICT');
    expect(await balance(from)).toBe(90);
  });

  it('opposite transfers between two wallets in parallel neither deadlock nor lose tokens', async () => {
    const a = await fundedWallet(1000);
    const b = await fundedWallet(1000);
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        code(
          transfer(db, {
            idempotencyKey: `x:${uuidv7()}`,
            fromWalletId: i % 2 ? a : b,
            toWalletId: i % 2 ? b : a,
            amount: 7,
            reason: 'donation',
          }),
        ),
      ),
    );
    expect(outcomes.every((o) => o === 'OK')).toBe(true);
    expect((await balance(a)) + (await balance(b))).toBe(2000);
  });
});

describe('several legs in one transaction', () => {
  it('all or nothing: a failing second leg undoes the first', async () => {
    const fan = await fundedWallet(100);
    const creator = await fundedWallet(0);
    const key = uuidv7();
    const result = await code(
      postTransfers(db, [
        {
          idempotencyKey: `${key}:a`,
          fromWalletId: fan,
          toWalletId: creator,
          amount: 80,
          reason: 'subscription',
        },
        {
          idempotencyKey: `${key}:b`,
          fromWalletId: fan,
          toWalletId: TREASURY_WALLET_ID,
          amount: 30,
          reason: 'platform_fee',
        },
      ]),
    );
    expect(result).toBe('INSUFFICIENT_BALANCE');
    expect(await balance(fan)).toBe(100);
    expect(await balance(creator)).toBe(0);
    expect(
      await db
        .select()
        .from(transfers)
        .where(inArray(transfers.idempotencyKey, [`${key}:a`, `${key}:b`])),
    ).toEqual([]);
  });
});

describe('reverse transfers (refunds)', () => {
  it('a transfer is never reversed beyond its amount, even by 10 parallel reversals', async () => {
    const fan = await fundedWallet(30);
    const creator = await fundedWallet(0);
    const { transfer: paid } = await transfer(db, {
      idempotencyKey: `pay:${uuidv7()}`,
      fromWalletId: fan,
      toWalletId: creator,
      amount: 30,
      reason: 'subscription',
    });
    const back = (amount: number) =>
      code(
        transfer(db, {
          idempotencyKey: `back:${uuidv7()}`,
          fromWalletId: creator,
          toWalletId: fan,
          amount,
          reason: 'refund',
          reversesTransferId: paid.id,
        }),
      );
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => back(10)));
    expect(outcomes.filter((o) => o === 'OK')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'NOTHING_TO_REFUND')).toHaveLength(7);
    expect(await back(1)).toBe('NOTHING_TO_REFUND');
    expect(await balance(fan)).toBe(30);
  });

  it('the invariant check reports an over-reversed transfer and a float left in the treasury', async () => {
    const from = await fundedWallet(40);
    const to = await fundedWallet(0);
    const { transfer: paid } = await transfer(db, {
      idempotencyKey: `pay:${uuidv7()}`,
      fromWalletId: from,
      toWalletId: to,
      amount: 20,
      reason: 'subscription',
    });
    const rollback = new Error('rollback');
    let report: Awaited<ReturnType<typeof checkLedgerInvariants>> | undefined;
    await db
      .transaction(async (tx) => {
        // Written by hand (as a buggy writer would): both balances consistent, but 21 back for 20
        // paid.
        await tx.insert(transfers).values({
          id: uuidv7(),
          idempotencyKey: `bogus:${uuidv7()}`,
          tokenTypeId: paid.tokenTypeId,
          fromWalletId: to,
          toWalletId: from,
          amount: 21,
          reasonId: 2,
          fromBalanceBefore: 21,
          fromBalanceAfter: 0,
          toBalanceBefore: 20,
          toBalanceAfter: 41,
          reversesTransferId: paid.id,
          createdAt: new Date(),
        });
        // KNG minted into the treasury and never paid out: the sum of wallets still matches the
        // supply.
        await supplyChangeInTx(tx, {
          kind: 'mint',
          amount: 5,
          idempotencyKey: `float:${uuidv7()}`,
        });
        report = await checkLedgerInvariants(tx as unknown as typeof db);
        throw rollback;
      })
      .catch((err: unknown) => {
        if (err !== rollback) throw err;
      });
    expect(report?.ok).toBe(false);
    expect(report?.overReversedTransfers).toEqual([paid.id]);
    expect(report?.totalBalance).toBe((report?.minted ?? 0) - (report?.burned ?? 0));
    const t = report?.treasury;
    const expected = (t?.feesCollected ?? 0) + (t?.forfeited ?? 0) - (t?.feesRefunded ?? 0);
    expect((t?.balance ?? 0) - expected).toBe(5);
  });
});

describe('supply', () => {
  it('mint and burn are idempotent and a burn cannot exceed the treasury', async () => {
    const key = `supply:${uuidv7()}`;
    expect(await changeSupply(db, { kind: 'mint', amount: 50, idempotencyKey: key })).toEqual({
      replayed: false,
    });
    expect(await changeSupply(db, { kind: 'mint', amount: 50, idempotencyKey: key })).toEqual({
      replayed: true,
    });
    expect(await code(changeSupply(db, { kind: 'mint', amount: 51, idempotencyKey: key }))).toBe(
      'IDEMPOTENCY_CONFLICT',
    );
    expect(
      await changeSupply(db, { kind: 'burn', amount: 50, idempotencyKey: `${key}:burn` }),
    ).toEqual({ replayed: false });
    expect(
      await code(
        changeSupply(db, {
          kind: 'burn',
          amount: Number.MAX_SAFE_INTEGER,
          idempotencyKey: `${key}:too-much`,
        }),
      ),
    ).toBe('INSUFFICIENT_BALANCE');
  });
});

describe('GET /wallet and /wallet/transfers', () => {
  it("shows the viewer's KNG balance and its KRW value, and pages the history with a cursor", async () => {
    const user = await createUser('wallet-view');
    await ensureWallet(db, user.sub);
    const own = await kngWallet(db, user.sub);
    if (!own) throw new Error('no wallet');
    const other = await fundedWallet(1000);
    for (let i = 1; i <= 5; i++)
      await transfer(db, {
        idempotencyKey: `h:${uuidv7()}`,
        fromWalletId: other,
        toWalletId: own.id,
        amount: i * 10,
        reason: 'donation',
      });
    const view = await readJson<
      Envelope<{
        wallets: Array<{
          address: string;
          amount: number;
          tokenType: { symbol: string; price: number };
        }>;
        totalValue: number;
      }>
    >(await api('/wallet', { cookies: user.cookies }));
    expect(view.status, view.text).toBe(200);
    expect(view.body.data.wallets).toEqual([
      expect.objectContaining({
        address: own.id,
        amount: 150,
        tokenType: { symbol: 'KNG', name: '콩', price: 100 },
      }),
    ]);
    expect(view.body.data.totalValue).toBe(15_000);

    type Page = {
      items: Array<{ id: string; amount: number; direction: string; balanceAfter: number }>;
      nextCursor: string | null;
      hasMore: boolean;
    };
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: Envelope<Page>; text: string } = await readJson<
        Envelope<Page>
      >(
        await api(`/wallet/transfers?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
          cookies: user.cookies,
        }),
      );
      expect(res.status, res.text).toBe(200);
      seen.push(...res.body.data.items.map((i) => i.amount));
      cursor = res.body.data.nextCursor;
      pages++;
      expect(res.body.data.hasMore).toBe(cursor !== null);
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toEqual([50, 40, 30, 20, 10]);
    const bad = await api('/wallet/transfers?cursor=not-a-cursor', { cookies: user.cookies });
    expect(bad.status).toBe(400);
    expect((await api('/wallet')).status).toBe(401);
  });
});
