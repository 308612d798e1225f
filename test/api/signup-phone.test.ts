// Sign-up phone numbers: every form people type (and the web client's `"+82" + "010…"`) is stored as E.164
// in Cognito and in the local mirror; anything else is a 400 naming the field, with a correct message.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { cognitoCall } from '../../dev/stack/cognito.ts';
import { users } from '../../src/db/schema/index.ts';
import { normalizeKrMobile, PHONE_PROBLEM } from '../../src/domain/identity.ts';
import { PASSWORD, postJson, stack, uniqueEmail, uniqueNickname } from './auth-helpers.ts';
import { db } from './economy-helpers.ts';
import { expectError, readJson } from './helpers.ts';

const signUp = (email: string, phoneNumber: unknown) =>
  postJson('/auth/signup', {
    email,
    password: PASSWORD,
    name: '테스트',
    nickname: uniqueNickname(),
    phoneNumber,
    isEarlybird: false,
  });

async function cognitoPhone(email: string): Promise<string | undefined> {
  const user = await cognitoCall<{ UserAttributes: Array<{ Name: string; Value: string }> }>(
    stack.cognito.endpoint,
    'AdminGetUser',
    {
      UserPoolId: stack.cognito.userPoolId,
      Username: email,
    },
  );
  return user.UserAttributes.find((a) => a.Name === 'phone_number')?.Value;
}

const ACCEPTED: Array<[string, string]> = [
  ['the web client (+82 + 010…)', '+8201012345678'],
  ['dashed national', '010-1234-5678'],
  ['bare national', '01012345678'],
  ['spaced national', '010 1234 5678'],
  ['+82 with a space', '+82 10-1234-5678'],
  ['+82 dashed', '+82-10-1234-5678'],
  ['+82 with the trunk 0 and spaces', '+82 010 1234 5678'],
  ['already E.164', '+821012345678'],
];

describe('POST /auth/signup phone numbers', () => {
  it.each(ACCEPTED)(
    '%s (%s) is stored as +821012345678 in Cognito and locally',
    async (_label, phone) => {
      const email = uniqueEmail('phone');
      const res = await readJson<{ data: { user: { userSub: string } } }>(
        await signUp(email, phone),
      );
      expect(res.status, res.text).toBe(201);
      expect(await cognitoPhone(email)).toBe('+821012345678');
      const [row] = await db
        .select({ phone: users.phoneNumber })
        .from(users)
        .where(eq(users.id, res.body.data.user.userSub));
      expect(row?.phone).toBe('+821012345678');
    },
  );

  it.each([
    ['too short', '010-1234'],
    ['too long', '010-1234-56789'],
    ['a Seoul landline', '02-123-4567'],
    ['an internet phone (070)', '070-1234-5678'],
    ['a foreign mobile', '+1 650 253 0000'],
    ['letters', '010-abcd-5678'],
    ['empty', ''],
    ['only the country code', '+82'],
    ['with an extension', '010-1234-5678 ext 5'],
  ])('%s (%s) → 400 with the phone message, nothing created in Cognito', async (_label, phone) => {
    const email = uniqueEmail('badphone');
    const body = await expectError(await signUp(email, phone), 400, 'VALIDATION_FAILED');
    expect(body.message).toBe(PHONE_PROBLEM);
    expect(JSON.stringify(body)).toContain('phoneNumber');
    await expect(cognitoPhone(email)).rejects.toThrow(/UserNotFound/);
  });

  it('a non-string phone is a 400 too', async () => {
    await expectError(await signUp(uniqueEmail('badphone'), 1012345678), 400, 'VALIDATION_FAILED');
  });

  it('the rule: older 01X numbers are mobile, normalised the same way', () => {
    expect(normalizeKrMobile('011-123-4567')).toBe('+82111234567');
    expect(normalizeKrMobile('(010) 1234-5678')).toBe('+821012345678');
    expect(normalizeKrMobile('010.1234.5678')).toBe('+821012345678');
    expect(normalizeKrMobile('x'.repeat(40))).toBeNull();
  });
});
