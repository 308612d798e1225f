// Helpers for identity tests: requests through the real Worker entry, users created through the real
// sign-up flow (cognito-local + its mailbox), and cookie handling.
import { env, exports } from 'cloudflare:workers';
import { expect } from 'vitest';
import type { StackInfo } from '../../dev/stack/stack.ts';

export const stack = JSON.parse(env.TEST_STACK) as StackInfo;

let ipCounter = Math.floor(Math.random() * 200);
/** A distinct client address per call, so the per-IP abuse limit only bites where a test wants it. */
export function freshIp(): string {
  ipCounter = (ipCounter + 1) % 250;
  return `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${ipCounter + 1}`;
}

export function api(
  path: string,
  init: RequestInit & { ip?: string; cookies?: Record<string, string> } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('CF-Connecting-IP', init.ip ?? freshIp());
  if (init.cookies)
    headers.set(
      'Cookie',
      Object.entries(init.cookies)
        .map(([k, v]) => `${k}=${v}`)
        .join('; '),
    );
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  return exports.default.fetch(new Request(`http://api.test${path}`, { ...init, headers }));
}

export const postJson = (path: string, body: unknown, init: Parameters<typeof api>[1] = {}) =>
  api(path, { ...init, method: 'POST', body: JSON.stringify(body) });
export const putJson = (path: string, body: unknown, init: Parameters<typeof api>[1] = {}) =>
  api(path, { ...init, method: 'PUT', body: JSON.stringify(body) });

export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

export function parseSetCookies(res: Response): Map<string, SetCookie> {
  const out = new Map<string, SetCookie>();
  for (const header of res.headers.getSetCookie()) {
    const [pair, ...attrs] = header.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const attributes: Record<string, string | true> = {};
    for (const a of attrs) {
      const i = a.indexOf('=');
      if (i === -1) attributes[a.toLowerCase()] = true;
      else attributes[a.slice(0, i).toLowerCase()] = a.slice(i + 1);
    }
    out.set(name, { name, value: pair.slice(eq + 1), attributes });
  }
  return out;
}

export function uniqueEmail(tag: string): string {
  return `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@test.crefans.local`;
}

export function uniqueNickname(): string {
  return `n${Math.random().toString(36).slice(2, 10)}`;
}

export async function mailboxCode(email: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${stack.mailboxUrl}/codes/${encodeURIComponent(email)}`);
    if (res.ok) return ((await res.json()) as { code: string }).code;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no confirmation code delivered to ${email}`);
}

export const PASSWORD = 'Str0ng-Passw0rd!';

export interface TestUser {
  email: string;
  password: string;
  sub: string;
  nickname: string;
  cookies: Record<string, string>;
}

export async function signUp(
  email = uniqueEmail('user'),
  nickname = uniqueNickname(),
): Promise<{ email: string; sub: string; nickname: string }> {
  const res = await postJson('/auth/signup', {
    email,
    password: PASSWORD,
    name: '테스트 사용자',
    nickname,
    phoneNumber: '+821012345678',
  });
  const text = await res.text();
  expect(res.status, text).toBe(201);
  return {
    email,
    sub: (JSON.parse(text) as { data: { user: { userSub: string } } }).data.user.userSub,
    nickname,
  };
}

export async function confirm(email: string): Promise<void> {
  const res = await postJson('/auth/confirm-signup', {
    email,
    confirmationCode: await mailboxCode(email),
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

export async function signIn(
  email: string,
  password = PASSWORD,
): Promise<{ res: Response; cookies: Record<string, string> }> {
  const res = await postJson('/auth/signin', { email, password });
  expect(res.status, await res.clone().text()).toBe(201);
  const cookies = Object.fromEntries(
    [...parseSetCookies(res).values()].map((c) => [c.name, c.value]),
  );
  return { res, cookies };
}

/** A confirmed, signed-in user created through the real flow. */
export async function createUser(tag = 'user'): Promise<TestUser> {
  const { email, sub, nickname } = await signUp(uniqueEmail(tag));
  await confirm(email);
  const { cookies } = await signIn(email);
  return { email, password: PASSWORD, sub, nickname, cookies };
}

/**
 * An access token for a user created directly in the database (no Cognito sign-up), signed with
 * cognito-local's key so the Worker verifies it exactly like a real one. For tests that need many users.
 */
export async function tokenFor(userId: string): Promise<string> {
  const { SignJWT, importJWK } = await import('jose');
  const key = await importJWK(
    JSON.parse(env.TEST_COGNITO_PRIVATE_JWK) as Parameters<typeof importJWK>[0],
    'RS256',
  );
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ token_use: 'access', client_id: env.COGNITO_CLIENT_ID, username: userId })
    .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' })
    .setSubject(userId)
    .setIssuer(env.COGNITO_ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(key);
}
