// Handle and nickname rules, Cognito error mappings and abuse limits, each checked with the envelope.
import { createRoute, z } from '@hono/zod-openapi';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { CognitoError } from '../../src/auth/cognito.ts';
import { fromCognito } from '../../src/auth/cognito-errors.ts';
import { createApp } from '../../src/app.ts';
import {
  api,
  createUser,
  postJson,
  putJson,
  signUp,
  uniqueEmail,
  type TestUser,
} from './auth-helpers.ts';
import { expectError, readJson, type Envelope } from './helpers.ts';

let alice: TestUser;
let bob: TestUser;

beforeAll(async () => {
  alice = await createUser('alice');
  bob = await createUser('bob');
});

describe('handles', () => {
  it.each([
    ['one character', 'a'],
    ['sixteen characters', 'abcdefghijklmnop'],
    ['a space', 'ab cd'],
    ['a hyphen', 'ab-cd'],
    ['an emoji', 'ab😀'],
    ['only underscores', '___'],
    ['a reserved word', 'admin'],
    ['a reserved word in capitals', 'Crefans'],
  ])('refuses %s with 400 VALIDATION_FAILED', async (_case, handle) => {
    const body = await expectError(
      await putJson('/auth/handle', { preferredUsername: handle }, { cookies: alice.cookies }),
      400,
      'VALIDATION_FAILED',
    );
    expect(body.data.details?.[0]?.path).toBe('preferredUsername');
  });

  it('accepts Hangul, letters, digits and underscores, and the profile moves to the new handle', async () => {
    const handle = `한글_${Math.random().toString(36).slice(2, 8)}`;
    const res = await putJson(
      '/auth/handle',
      { preferredUsername: handle },
      { cookies: alice.cookies },
    );
    expect(res.status, await res.clone().text()).toBe(200);
    const profile = await readJson<Envelope<{ userSub: string; handle: string }>>(
      await api(`/user/profile/${encodeURIComponent(handle)}`),
    );
    expect(profile.body.data).toMatchObject({ userSub: alice.sub, handle });
  });

  it('refuses a handle someone else has with 409 HANDLE_TAKEN', async () => {
    const handle = `taken_${Math.random().toString(36).slice(2, 8)}`;
    expect(
      (await putJson('/auth/handle', { preferredUsername: handle }, { cookies: bob.cookies }))
        .status,
    ).toBe(200);
    await expectError(
      await putJson('/auth/handle', { preferredUsername: handle }, { cookies: alice.cookies }),
      409,
      'HANDLE_TAKEN',
    );
  });

  it('needs a signed-in user', async () => {
    await expectError(
      await putJson('/auth/handle', { preferredUsername: 'someone' }),
      401,
      'UNAUTHENTICATED',
    );
  });
});

describe('nicknames', () => {
  it.each([
    ['one character', 'a'],
    ['eleven characters', 'abcdefghijk'],
    ['an underscore', 'ab_cd'],
    ['a space', 'ab cd'],
  ])('refuses %s with 400', async (_case, nickname) => {
    await expectError(
      await putJson('/auth/nickname', { nickname }, { cookies: alice.cookies }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      await api(`/user/check-nickname?nickname=${encodeURIComponent(nickname)}`),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('changes the nickname (Hangul allowed) and reports it taken to others', async () => {
    const nickname = `닉${Math.random().toString(36).slice(2, 7)}`;
    const res = await putJson('/auth/nickname', { nickname }, { cookies: alice.cookies });
    expect(res.status, await res.clone().text()).toBe(200);
    const check = await readJson<Envelope<{ available: boolean }>>(
      await api(`/user/check-nickname?nickname=${encodeURIComponent(nickname)}`),
    );
    expect(check.body.data.available).toBe(false);
    await expectError(
      await putJson('/auth/nickname', { nickname }, { cookies: bob.cookies }),
      409,
      'NICKNAME_TAKEN',
    );
    const free = await readJson<Envelope<{ available: boolean }>>(
      await api(`/user/check-nickname?nickname=free${Math.random().toString(36).slice(2, 6)}`),
    );
    expect(free.body.data.available).toBe(true);
  });

  it('sign-up refuses a nickname in use', async () => {
    await expectError(
      await postJson('/auth/signup', {
        email: uniqueEmail('dupnick'),
        password: 'Str0ng-Passw0rd!',
        name: 'x',
        nickname: bob.nickname,
        phoneNumber: '+821011112222',
      }),
      409,
      'NICKNAME_TAKEN',
    );
  });
});

describe('sign-up validation', () => {
  const base = () => ({
    email: uniqueEmail('val'),
    password: 'Str0ng-Passw0rd!',
    name: '이름',
    nickname: `v${Math.random().toString(36).slice(2, 8)}`,
    phoneNumber: '+821012341234',
  });
  it.each([
    ['a malformed e-mail', { email: 'not-an-email' }, 'email'],
    ['a short password', { password: 'short' }, 'password'],
    ['a non-Korean phone number', { phoneNumber: '+15551234567' }, 'phoneNumber'],
    ['an empty name', { name: '' }, 'name'],
  ])('refuses %s with 400 naming the field', async (_case, patch, field) => {
    const body = await expectError(
      await postJson('/auth/signup', { ...base(), ...patch }),
      400,
      'VALIDATION_FAILED',
    );
    expect(body.data.details?.map((d) => d.path)).toContain(field);
  });
});

describe('Cognito errors through the real flow', () => {
  it('an e-mail that is already registered → 409 EMAIL_EXISTS', async () => {
    await expectError(
      await postJson('/auth/signup', {
        email: alice.email,
        password: 'Str0ng-Passw0rd!',
        name: 'x',
        nickname: `d${Math.random().toString(36).slice(2, 8)}`,
        phoneNumber: '+821011112222',
      }),
      409,
      'EMAIL_EXISTS',
    );
  });

  it('a wrong confirmation code → 400 INVALID_CODE, and nothing is activated', async () => {
    const { email } = await signUp(uniqueEmail('wrongcode'));
    await expectError(
      await postJson('/auth/confirm-signup', { email, confirmationCode: '000000' }),
      400,
      'INVALID_CODE',
    );
    await expectError(
      await postJson('/auth/signin', { email, password: 'Str0ng-Passw0rd!' }),
      403,
      'USER_NOT_CONFIRMED',
    );
  });
});

describe('every Cognito error type maps to a clear code', () => {
  const probe = createApp();
  probe.openapi(
    createRoute({
      method: 'get',
      path: '/__probe/cognito/{context}/{type}',
      request: { params: z.object({ context: z.string(), type: z.string() }) },
      responses: { 200: { description: 'never' } },
    }),
    (c) => {
      const { context, type } = c.req.valid('param');
      throw fromCognito(
        new CognitoError(type, `message for ${type}`, 400),
        context as Parameters<typeof fromCognito>[1],
      );
    },
  );
  it.each([
    ['signup', 'UsernameExistsException', 409, 'EMAIL_EXISTS'],
    ['signup', 'InvalidPasswordException', 400, 'INVALID_PASSWORD'],
    ['signup', 'InvalidParameterException', 400, 'VALIDATION_FAILED'],
    ['signin', 'InvalidPasswordException', 401, 'INVALID_CREDENTIALS'],
    ['resend', 'Unsupported', 503, 'SERVICE_UNAVAILABLE'],
    ['confirm', 'CodeMismatchException', 400, 'INVALID_CODE'],
    ['confirm', 'ExpiredCodeException', 400, 'CODE_EXPIRED'],
    ['confirm', 'UserNotFoundException', 400, 'INVALID_CODE'],
    ['signin', 'UserNotConfirmedException', 403, 'USER_NOT_CONFIRMED'],
    ['signin', 'NotAuthorizedException', 401, 'INVALID_CREDENTIALS'],
    ['signin', 'UserNotFoundException', 401, 'INVALID_CREDENTIALS'],
    ['signin', 'TooManyRequestsException', 429, 'RATE_LIMITED'],
    ['resend', 'LimitExceededException', 429, 'RATE_LIMITED'],
    ['signin', 'TooManyFailedAttemptsException', 429, 'RATE_LIMITED'],
    ['refresh', 'NotAuthorizedException', 401, 'SESSION_EXPIRED'],
    ['update', 'NotAuthorizedException', 401, 'UNAUTHENTICATED'],
    ['signin', 'ServiceUnavailable', 503, 'SERVICE_UNAVAILABLE'],
    ['signin', 'InternalErrorException', 500, 'INTERNAL_ERROR'],
  ])('%s / %s → %i %s', async (context, type, status, code) => {
    const body = await expectError(
      await probe.request(`/__probe/cognito/${context}/${type}`, {}, env),
      status,
      code,
    );
    expect(body.message).not.toContain('message for');
  });
});

describe('abuse limits', () => {
  it('check-email: the sixth request for one address within a minute → 429 with Retry-After', async () => {
    const email = uniqueEmail('limit');
    for (let i = 0; i < 5; i++)
      expect((await api(`/auth/check-email?email=${encodeURIComponent(email)}`)).status).toBe(200);
    const res = await api(`/auth/check-email?email=${encodeURIComponent(email)}`);
    await expectError(res, 429, 'RATE_LIMITED');
    expect(res.headers.get('retry-after')).toBe('60');
  });

  it('sign-in: one address many times → 429', async () => {
    const email = uniqueEmail('limit-signin');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push(
        (await postJson('/auth/signin', { email, password: 'Wr0ng-Password!' })).status,
      );
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
  });

  it('one client address across many e-mails → 429 from the per-IP limit', async () => {
    const ip = '203.0.113.77';
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++)
      statuses.push(
        (await api(`/auth/check-email?email=${encodeURIComponent(uniqueEmail('ip'))}`, { ip }))
          .status,
      );
    expect(statuses.filter((s) => s === 200)).toHaveLength(30);
    expect(statuses[30]).toBe(429);
  });

  it('sign-up and resend are limited per address too', async () => {
    const email = uniqueEmail('limit-resend');
    await signUp(email);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await postJson('/auth/resend-confirmation-code', { email })).status);
    expect(statuses[5]).toBe(429);
  });
});
