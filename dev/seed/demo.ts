// Demo data for the local stack: reference data plus a demo creator and a demo fan with known
// passwords (README "Demo accounts"). Idempotent: every row has a fixed key and is upserted.
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { CREATOR_CATEGORIES, applyReferenceData } from '../../src/db/reference-data.ts';
import { TREASURY_WALLET_ID } from '../../src/db/reference-data.ts';
import { creators, membershipItems, users } from '../../src/db/schema/index.ts';
import { changeSupply, transfer } from '../../src/domain/ledger.ts';
import { ensureWallet, kngWallet } from '../../src/domain/wallets.ts';
import { cognitoCall, type CognitoInfo } from '../stack/cognito.ts';
import { seedNotices } from './notices.ts';

export const DEMO_PASSWORD = 'CrefansDemo1!';

export const DEMO_ACCOUNTS = {
  creator: {
    email: 'creator@demo.crefans.local',
    password: DEMO_PASSWORD,
    name: '데모 크리에이터',
    nickname: '데모크리에이터',
    handle: 'demo_creator',
    phoneNumber: '+821000000001',
  },
  fan: {
    email: 'fan@demo.crefans.local',
    password: DEMO_PASSWORD,
    name: '데모 팬',
    nickname: '데모팬',
    handle: 'demo_fan',
    phoneNumber: '+821000000002',
  },
} as const;

type DemoAccount = (typeof DEMO_ACCOUNTS)[keyof typeof DEMO_ACCOUNTS];

/** Creates (or finds) the Cognito user with a permanent password and returns its `sub`. */
async function ensureCognitoUser(cognito: CognitoInfo, account: DemoAccount): Promise<string> {
  const attrs = (list: Array<{ Name: string; Value: string }> | undefined) =>
    list?.find((a) => a.Name === 'sub')?.Value;
  try {
    const found = await cognitoCall<{ UserAttributes?: Array<{ Name: string; Value: string }> }>(
      cognito.endpoint,
      'AdminGetUser',
      {
        UserPoolId: cognito.userPoolId,
        Username: account.email,
      },
    );
    const sub = attrs(found.UserAttributes);
    if (sub) return sub;
  } catch (err) {
    if (!String(err).includes('UserNotFound')) throw err;
  }
  const created = await cognitoCall<{
    User: { Attributes?: Array<{ Name: string; Value: string }> };
  }>(cognito.endpoint, 'AdminCreateUser', {
    UserPoolId: cognito.userPoolId,
    Username: account.email,
    MessageAction: 'SUPPRESS',
    TemporaryPassword: account.password,
    UserAttributes: [
      { Name: 'email', Value: account.email },
      { Name: 'email_verified', Value: 'true' },
      { Name: 'name', Value: account.name },
      { Name: 'nickname', Value: account.nickname },
      { Name: 'preferred_username', Value: account.handle },
      { Name: 'phone_number', Value: account.phoneNumber },
    ],
  });
  await cognitoCall(cognito.endpoint, 'AdminSetUserPassword', {
    UserPoolId: cognito.userPoolId,
    Username: account.email,
    Password: account.password,
    Permanent: true,
  });
  const sub = attrs(created.User.Attributes);
  if (!sub) throw new Error(`cognito-local returned no sub for ${account.email}`);
  return sub;
}

async function upsertUser(db: Database, sub: string, account: DemoAccount): Promise<void> {
  const row = {
    id: sub,
    email: account.email,
    handle: account.handle,
    nickname: account.nickname,
    name: account.name,
    phoneNumber: account.phoneNumber,
    status: 'active' as const,
    confirmedAt: new Date('2026-01-01T00:00:00Z'),
  };
  const { id: _id, ...rest } = row;
  await db.insert(users).values(row).onDuplicateKeyUpdate({ set: rest });
}

/** The demo creator's tiers (whole KNG per month; 1 KNG = 100 KRW). */
export const DEMO_TIERS = [
  {
    id: '0190b5c0-0000-7000-8000-00000000d001',
    level: 1,
    name: '새싹 멤버',
    price: 30,
    trialPeriod: 7,
    benefits: ['멤버 전용 포스팅', '댓글 배지'],
  },
  {
    id: '0190b5c0-0000-7000-8000-00000000d002',
    level: 2,
    name: '열혈 멤버',
    price: 70,
    trialPeriod: 0,
    benefits: ['새싹 혜택 전부', '비하인드 영상'],
  },
  {
    id: '0190b5c0-0000-7000-8000-00000000d003',
    level: 3,
    name: 'VIP',
    price: 150,
    trialPeriod: 0,
    benefits: ['모든 혜택', '월간 라이브 참여'],
  },
] as const;

/** The demo fan's starting KNG balance (minted into the treasury, then a charge transfer). */
export const DEMO_FAN_BALANCE = 1000;

export interface DemoSeedResult {
  creatorId: string;
  fanId: string;
}

export async function seedDemo(db: Database, cognito: CognitoInfo): Promise<DemoSeedResult> {
  await applyReferenceData(db);
  const creatorId = await ensureCognitoUser(cognito, DEMO_ACCOUNTS.creator);
  const fanId = await ensureCognitoUser(cognito, DEMO_ACCOUNTS.fan);
  await upsertUser(db, creatorId, DEMO_ACCOUNTS.creator);
  await upsertUser(db, fanId, DEMO_ACCOUNTS.fan);
  const existing = await db
    .select({ id: creators.id })
    .from(creators)
    .where(eq(creators.userId, creatorId));
  if (existing.length === 0) {
    await db
      .insert(creators)
      .values({ userId: creatorId, categoryId: CREATOR_CATEGORIES[4].id })
      .onDuplicateKeyUpdate({ set: { isActive: true } });
  }
  for (const tier of DEMO_TIERS) {
    const row = {
      id: tier.id,
      creatorId,
      name: tier.name,
      description: `${tier.name} 멤버십`,
      benefits: [...tier.benefits],
      level: tier.level,
      price: tier.price,
      billingUnit: 'MONTH' as const,
      billingPeriod: 1,
      trialUnit: 'DAY' as const,
      trialPeriod: tier.trialPeriod,
      isActive: true,
    };
    const { id: _tierId, ...set } = row;
    await db.insert(membershipItems).values(row).onDuplicateKeyUpdate({ set });
  }
  await ensureWallet(db, creatorId);
  await ensureWallet(db, fanId);
  const fanWallet = await kngWallet(db, fanId);
  if (!fanWallet) throw new Error('demo fan has no wallet');
  // Fixed keys: seeding again mints and pays nothing twice.
  await changeSupply(db, {
    kind: 'mint',
    amount: DEMO_FAN_BALANCE,
    idempotencyKey: `seed:demo-fan:${fanId}:mint`,
  });
  await transfer(db, {
    idempotencyKey: `seed:demo-fan:${fanId}:charge`,
    fromWalletId: TREASURY_WALLET_ID,
    toWalletId: fanWallet.id,
    amount: DEMO_FAN_BALANCE,
    reason: 'charge',
    referenceType: 'seed',
  });
  await seedNotices(db);
  return { creatorId, fanId };
}
