// Demo data for the local stack: reference data plus a demo creator and a demo fan with known
// passwords (README "Demo accounts"). Idempotent: every row has a fixed key and is upserted.
import { eq } from 'drizzle-orm';
import type { Database } from '../../src/db/client.ts';
import { CREATOR_CATEGORIES, applyReferenceData } from '../../src/db/reference-data.ts';
import { creators, users } from '../../src/db/schema/index.ts';
import { cognitoCall, type CognitoInfo } from '../stack/cognito.ts';

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
  const attrs = (list: Array<{ Name: string; Value: string }> | undefined) => list?.find((a) => a.Name === 'sub')?.Value;
  try {
    const found = await cognitoCall<{ UserAttributes?: Array<{ Name: string; Value: string }> }>(cognito.endpoint, 'AdminGetUser', {
      UserPoolId: cognito.userPoolId,
      Username: account.email,
    });
    const sub = attrs(found.UserAttributes);
    if (sub) return sub;
  } catch (err) {
    if (!String(err).includes('UserNotFound')) throw err;
  }
  const created = await cognitoCall<{ User: { Attributes?: Array<{ Name: string; Value: string }> } }>(cognito.endpoint, 'AdminCreateUser', {
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
  const existing = await db.select({ id: creators.id }).from(creators).where(eq(creators.userId, creatorId));
  if (existing.length === 0) {
    await db
      .insert(creators)
      .values({ userId: creatorId, categoryId: CREATOR_CATEGORIES[4].id })
      .onDuplicateKeyUpdate({ set: { isActive: true } });
  }
  return { creatorId, fanId };
}
