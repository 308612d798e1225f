// Helpers for economy tests: creators and tiers made directly through the domain (no Cognito needed for
// someone who is only paid), and fans funded the legitimate way (mint into the treasury, then a charge).
import { env } from 'cloudflare:workers';
import { uuidv7 } from 'uuidv7';
import { createDb } from '../../src/db/client.ts';
import { TREASURY_WALLET_ID } from '../../src/db/reference-data.ts';
import { creators, users } from '../../src/db/schema/index.ts';
import { changeSupply, transfer } from '../../src/domain/ledger.ts';
import { createTier, type TierInput } from '../../src/domain/memberships.ts';
import { ensureWallet, kngWallet } from '../../src/domain/wallets.ts';

export const db = createDb(env.DATABASE_URL);

export async function makeCreator(): Promise<string> {
  const id = crypto.randomUUID();
  await db.insert(users).values({
    id,
    email: `${id}@creators.test.crefans.local`,
    handle: `c${id.replace(/-/g, '').slice(0, 12)}`,
    nickname: `c${id.slice(0, 8)}`,
    name: 'creator',
    status: 'active',
    confirmedAt: new Date(),
  });
  await db.insert(creators).values({ userId: id });
  await ensureWallet(db, id);
  return id;
}

export async function makeTier(creatorId: string, patch: Partial<TierInput> = {}) {
  return createTier(db, creatorId, {
    name: `tier ${patch.level ?? 1}`,
    description: null,
    benefits: ['a', 'b'],
    level: 1,
    price: 1000,
    billingUnit: 'MONTH',
    billingPeriod: 1,
    trialUnit: 'DAY',
    trialPeriod: 0,
    isActive: true,
    ...patch,
  });
}

export async function walletIdOf(userId: string): Promise<string> {
  await ensureWallet(db, userId);
  const w = await kngWallet(db, userId);
  if (!w) throw new Error('no wallet');
  return w.id;
}

export async function balanceOf(userId: string): Promise<number> {
  return (await kngWallet(db, userId))?.balance ?? 0;
}

export async function fund(userId: string, amount: number): Promise<void> {
  const wallet = await walletIdOf(userId);
  const key = `test-fund:${uuidv7()}`;
  await changeSupply(db, { kind: 'mint', amount, idempotencyKey: `${key}:mint` });
  await transfer(db, {
    idempotencyKey: key,
    fromWalletId: TREASURY_WALLET_ID,
    toWalletId: wallet,
    amount,
    reason: 'charge',
  });
}
