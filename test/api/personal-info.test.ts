// My-page personal information: PATCH /user/me changes the name at once; a new phone number goes through
// Cognito's attribute verification (UpdateUserAttributes, then VerifyUserAttribute with the code) and only
// then becomes the user's number, in E.164, in Cognito and in the database.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { cognitoCall } from '../../dev/stack/cognito.ts';
import { users } from '../../src/db/schema/index.ts';
import { PHONE_PROBLEM } from '../../src/domain/identity.ts';
import { api, createUser, postJson, stack } from './auth-helpers.ts';
import { db } from './economy-helpers.ts';
import { expectError, readJson, type Envelope } from './helpers.ts';

interface Info {
  name: string;
  phoneNumber: string | null;
  pendingPhoneNumber: string | null;
  phoneVerificationRequired: boolean;
}
const patch = (body: unknown, cookies?: Record<string, string>) =>
  api('/user/me', { method: 'PATCH', body: JSON.stringify(body), cookies });

async function cognitoAttributes(email: string): Promise<Record<string, string>> {
  const out = await cognitoCall<{ UserAttributes: Array<{ Name: string; Value: string }> }>(
    stack.cognito.endpoint,
    'AdminGetUser',
    { UserPoolId: stack.cognito.userPoolId, Username: email },
  );
  return Object.fromEntries(out.UserAttributes.map((a) => [a.Name, a.Value]));
}

async function attributeCode(email: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`${stack.mailboxUrl}/attribute-codes/${encodeURIComponent(email)}`);
    if (res.ok) return ((await res.json()) as { code: string }).code;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no attribute code for ${email}`);
}

describe('PATCH /user/me and POST /user/me/phone/verify', () => {
  it('changes the name in the database, in Cognito and in /auth/me', async () => {
    const u = await createUser('name');
    const res = await readJson<Envelope<Info>>(await patch({ name: '  새 이름 ' }, u.cookies));
    expect(res.status, res.text).toBe(200);
    expect(res.body.data).toMatchObject({
      name: '새 이름',
      phoneNumber: '+821012345678',
      phoneVerificationRequired: false,
    });
    expect((await cognitoAttributes(u.email)).name).toBe('새 이름');
    const me = await readJson<Envelope<{ user: { attributes: { name: string } } }>>(
      await api('/auth/me', { cookies: u.cookies }),
    );
    expect(me.body.data.user.attributes.name).toBe('새 이름');
  });

  it('a new phone number counts only after its code: wrong code 400, right code → E.164 everywhere', async () => {
    const u = await createUser('phone');
    const res = await readJson<Envelope<Info>>(
      await patch({ phoneNumber: '010-9876-5432' }, u.cookies),
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body.data).toMatchObject({
      phoneNumber: '+821012345678',
      pendingPhoneNumber: '+821098765432',
      phoneVerificationRequired: true,
    });
    const [before] = await db
      .select({ phone: users.phoneNumber })
      .from(users)
      .where(eq(users.id, u.sub));
    expect(before.phone).toBe('+821012345678');
    const code = await attributeCode(u.email);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(code.length, '0');
    await expectError(
      await postJson('/user/me/phone/verify', { code: wrong }, { cookies: u.cookies }),
      400,
      'INVALID_CODE',
    );
    const ok = await readJson<Envelope<Info>>(
      await postJson('/user/me/phone/verify', { code }, { cookies: u.cookies }),
    );
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body.data).toMatchObject({
      phoneNumber: '+821098765432',
      phoneVerificationRequired: false,
    });
    const attrs = await cognitoAttributes(u.email);
    expect(attrs).toMatchObject({ phone_number: '+821098765432', phone_number_verified: 'true' });
    const [after] = await db
      .select({ phone: users.phoneNumber })
      .from(users)
      .where(eq(users.id, u.sub));
    expect(after.phone).toBe('+821098765432');
  });

  it('refuses a malformed phone, an empty edit, unknown fields and anonymous callers', async () => {
    const u = await createUser('badme');
    const bad = await expectError(
      await patch({ phoneNumber: '02-123-4567' }, u.cookies),
      400,
      'VALIDATION_FAILED',
    );
    expect(bad.message).toBe(PHONE_PROBLEM);
    await expectError(await patch({}, u.cookies), 400, 'VALIDATION_FAILED');
    await expectError(await patch({ name: '' }, u.cookies), 400, 'VALIDATION_FAILED');
    await expectError(await patch({ email: 'x@example.com' }, u.cookies), 400, 'VALIDATION_FAILED');
    await expectError(await patch({ name: '누구' }), 401, 'UNAUTHENTICATED');
    await expectError(
      await postJson('/user/me/phone/verify', { code: '123456' }),
      401,
      'UNAUTHENTICATED',
    );
    await expectError(
      await postJson('/user/me/phone/verify', { code: 'abc' }, { cookies: u.cookies }),
      400,
      'VALIDATION_FAILED',
    );
  });
});
