// The shared security test, generated from the route table (like Unkey's common-tests.ts): every
// operation of the served OpenAPI document needs a valid access token unless it is listed as public
// below, so a new route that forgets its auth middleware fails here until someone decides it is
// public. Each protected operation answers 401 without a token and with forged ones (before any
// validation: auth middleware runs first); role-only operations answer 403 to a signed-in user
// without the role. Routes hidden from the document (webhooks, media-service callbacks) have their
// own tests.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { SignJWT, generateKeyPair } from 'jose';
import { createDb } from '../../src/db/client.ts';
import { users } from '../../src/db/schema/index.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, createUser, type TestUser } from './auth-helpers.ts';
import { expectError, readJson } from './helpers.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Answer without an access token (some read one if present: optional auth). */
const PUBLIC = new Set([
  'GET /',
  'GET /health',
  'POST /auth/signup',
  'POST /auth/confirm-signup',
  'GET /auth/confirm-email-verification',
  'POST /auth/resend-confirmation-code',
  'POST /auth/signin',
  'POST /auth/signout',
  'GET /auth/check-email',
  'GET /user/check-nickname',
  'GET /user/profile/{handle}',
  'GET /user/posts/{handle}',
  'GET /user/creator-categories',
  'GET /membership/creator/{creatorId}',
  'GET /postings',
  'GET /postings/{id}',
  'GET /comments/posting/{postingId}',
  'GET /follow/public/user/{userId}/followers',
  'GET /follow/public/user/{userId}/following',
  'GET /media/image/{id}',
  'GET /media/video/{id}',
  'GET /media/{mediaId}/playback',
  'GET /feed',
  'GET /feed/personal',
  'GET /feed/public',
  'GET /explore/categories',
  'GET /explore/creators/new',
  'GET /explore/creators/by-category/{categoryId}',
  'GET /payment/products',
  'GET /board',
  'GET /board/{id}',
  'PATCH /board/{id}/views',
]);

/** Authenticated by the refresh cookie, not by an access token. */
const REFRESH = new Set(['POST /auth/refresh']);

/** Need a role on top of a valid token: a signed-in user without it gets 403. */
const ROLE_ONLY: Record<string, 'creator' | 'admin'> = {
  'POST /membership': 'creator',
  'GET /membership': 'creator',
  'GET /membership/{id}': 'creator',
  'PUT /membership/{id}': 'creator',
  'PATCH /membership/{id}/toggle-active': 'creator',
  'DELETE /membership/{id}': 'creator',
  'GET /admin/board': 'admin',
  'POST /admin/board': 'admin',
  'GET /admin/board/{id}': 'admin',
  'PUT /admin/board/{id}': 'admin',
  'DELETE /admin/board/{id}': 'admin',
  'PUT /admin/board/{id}/restore': 'admin',
};

interface Operation {
  key: string;
  method: Method;
  path: string;
}

const doc = await readJson<{ paths: Record<string, Partial<Record<Method, unknown>>> }>(
  await api('/openapi.json'),
);
const operations: Operation[] = Object.entries(doc.body.paths).flatMap(([path, item]) =>
  (Object.keys(item) as Method[]).map((method) => ({
    key: `${method.toUpperCase()} ${path}`,
    method,
    path,
  })),
);
const protectedOps = operations.filter((op) => !PUBLIC.has(op.key) && !REFRESH.has(op.key));

// Any well-formed id: the answer must come from the auth check, before a lookup could matter.
const SOME_ID = '0190c0de-0000-7000-8000-000000000000';
const concrete = (path: string) => path.replace(/\{[^}]+\}/g, SOME_ID);
const send = (op: Operation, init: Parameters<typeof api>[1] = {}) =>
  api(concrete(op.path), { ...init, method: op.method.toUpperCase() });

let forgedBearer: string;
let forgedCookie: string;
let plainUser: TestUser;
let suspendedUser: TestUser;

beforeAll(async () => {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: crypto.randomUUID(),
    client_id: env.COGNITO_CLIENT_ID,
    token_use: 'access',
    iat: now,
    exp: now + 600,
  };
  // Right claims, right kid, the attacker's own key.
  const { privateKey } = await generateKeyPair('RS256');
  forgedBearer = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' })
    .setIssuer(env.COGNITO_ISSUER)
    .sign(privateKey);
  // Unsigned.
  const b64url = (v: unknown) =>
    btoa(JSON.stringify(v)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const unsigned = { ...claims, iss: env.COGNITO_ISSUER };
  forgedCookie = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(unsigned)}.`;
  plainUser = await createUser('route-security');
  suspendedUser = await createUser('route-security-suspended');
  await createDb(env.DATABASE_URL)
    .update(users)
    .set({ status: 'suspended' })
    .where(eq(users.id, suspendedUser.sub));
});

describe('the route table', () => {
  it('is read from the served OpenAPI document', () => {
    expect(operations.length).toBeGreaterThan(50);
    expect(protectedOps.length).toBeGreaterThan(30);
  });

  it('lists only operations that exist (no stale entries)', () => {
    const keys = new Set(operations.map((op) => op.key));
    const listed = [...PUBLIC, ...REFRESH, ...Object.keys(ROLE_ONLY)];
    expect(listed.filter((key) => !keys.has(key))).toEqual([]);
    expect(Object.keys(ROLE_ONLY).filter((key) => PUBLIC.has(key))).toEqual([]);
  });
});

describe.each(protectedOps)('$key', (op) => {
  it('without a token → 401', async () => {
    await expectError(await send(op), 401, 'UNAUTHENTICATED');
  });

  it('with a forged bearer token (foreign key, pool kid) → 401', async () => {
    const res = await send(op, { headers: { Authorization: `Bearer ${forgedBearer}` } });
    await expectError(res, 401, 'UNAUTHENTICATED');
  });

  it("with a suspended account's valid token → 403 ACCOUNT_DISABLED", async () => {
    const res = await send(op, { cookies: { access_token: suspendedUser.cookies.access_token } });
    await expectError(res, 403, 'ACCOUNT_DISABLED');
  });

  it('with an unsigned (alg: none) token in the cookie → 401', async () => {
    await expectError(
      await send(op, { cookies: { access_token: forgedCookie } }),
      401,
      'UNAUTHENTICATED',
    );
  });
});

const roleOps = protectedOps
  .map((op) => ({ ...op, role: ROLE_ONLY[op.key] }))
  .filter((op) => op.role);

describe.each(roleOps)('$key ($role only)', (op) => {
  it(`a signed-in user without the role → 403`, async () => {
    const res = await send(op, { cookies: { access_token: plainUser.cookies.access_token } });
    await expectError(res, 403, 'FORBIDDEN');
  });
});

describe.each(operations.filter((op) => PUBLIC.has(op.key)))('$key (public)', (op) => {
  it('answers without a token, and never 401 or 5xx', async () => {
    const res = await send(op);
    const text = await res.text();
    expect(res.status, text).not.toBe(401);
    expect(res.status, text).toBeLessThan(500);
  });
});

describe('POST /auth/refresh', () => {
  it('without the refresh cookie → 401', async () => {
    await expectError(await api('/auth/refresh', { method: 'POST' }), 401, 'SESSION_EXPIRED');
  });
});
