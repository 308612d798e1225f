// The whole identity flow against cognito-local, through the real Worker entry.
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import { createDb } from '../../src/db/client.ts';
import { earlybirds } from '../../src/db/schema/index.ts';
import { describe, expect, it } from 'vitest';
import {
  api,
  confirm,
  mailboxCode,
  parseSetCookies,
  postJson,
  signIn,
  signUp,
  uniqueEmail,
} from './auth-helpers.ts';
import { expectError, readJson, type Envelope } from './helpers.ts';

describe('sign-up → confirm → sign-in → me → refresh → sign-out', () => {
  it('works end to end with the cookie contract of the web client', async () => {
    const email = uniqueEmail('flow');
    const { sub, nickname } = await signUp(email);
    expect(sub).toMatch(/^[0-9a-f-]{36}$/);

    // Not confirmed yet: sign-in is refused with 403 and a clear code.
    await expectError(
      await postJson('/auth/signin', { email, password: 'Str0ng-Passw0rd!' }),
      403,
      'USER_NOT_CONFIRMED',
    );

    await confirm(email);
    const { res, cookies } = await signIn(email);
    const set = parseSetCookies(res);
    const access = set.get('access_token');
    const id = set.get('id_token');
    const refresh = set.get('refresh_token');
    expect(access?.attributes).toMatchObject({
      httponly: true,
      path: '/',
      samesite: 'Lax',
      'max-age': '3600',
    });
    expect(id?.attributes).toMatchObject({ path: '/', samesite: 'Lax', 'max-age': '3600' });
    expect(id?.attributes.httponly, 'id_token must be readable by the page').toBeUndefined();
    expect(refresh?.attributes).toMatchObject({
      httponly: true,
      path: '/',
      samesite: 'Lax',
      'max-age': String(30 * 24 * 3600),
    });
    // Plain http locally: no Secure, host-only (no Domain).
    for (const c of [access, id, refresh]) {
      expect(c?.attributes.secure).toBeUndefined();
      expect(c?.attributes.domain).toBeUndefined();
    }
    const idClaims = decodeJwt(cookies.id_token);
    expect(idClaims).toMatchObject({ sub, email, token_use: 'id' });

    // me: from the cookie alone (no Authorization header), no Cognito call needed.
    const me = await readJson<
      Envelope<{
        user: {
          username: string;
          isCreator: boolean;
          points: number;
          attributes: Record<string, unknown>;
        };
      }>
    >(await api('/auth/me', { cookies: { access_token: cookies.access_token } }));
    expect(me.status, me.text).toBe(200);
    expect(me.body.data.user).toMatchObject({
      username: sub,
      isCreator: false,
      points: 0,
      attributes: {
        email,
        email_verified: true,
        sub,
        nickname,
        name: '테스트 사용자',
        phone_number: '+821012345678',
      },
    });
    const session = await readJson<Envelope<{ sub: string; expiresAt: string }>>(
      await api('/auth/session', { cookies: { access_token: cookies.access_token } }),
    );
    expect(session.body.data.sub).toBe(sub);
    expect(new Date(session.body.data.expiresAt).getTime()).toBeGreaterThan(Date.now());
    // The same token as a Bearer header works too.
    expect(
      (await api('/auth/me', { headers: { Authorization: `Bearer ${cookies.access_token}` } }))
        .status,
    ).toBe(200);

    // Refresh after the id_token and access_token cookies expired: only the 30-day cookies remain.
    const refreshed = await api('/auth/refresh', {
      method: 'POST',
      cookies: { refresh_token: cookies.refresh_token, auth_user: cookies.auth_user },
    });
    expect(refreshed.status, await refreshed.clone().text()).toBe(201);
    const renewed = parseSetCookies(refreshed);
    expect(renewed.get('access_token')?.value).toMatch(/^ey/);
    expect(renewed.get('id_token')?.value).toMatch(/^ey/);
    expect(
      (
        await api('/auth/me', {
          cookies: { access_token: renewed.get('access_token')?.value ?? '' },
        })
      ).status,
    ).toBe(200);

    // Sign-out clears every cookie and revokes the refresh token.
    const out = await api('/auth/signout', { method: 'POST', cookies });
    expect(out.status).toBe(201);
    const cleared = parseSetCookies(out);
    for (const name of ['access_token', 'id_token', 'refresh_token', 'auth_user']) {
      expect(cleared.get(name)?.attributes['max-age'], name).toBe('0');
    }
    const after = await api('/auth/refresh', {
      method: 'POST',
      cookies: { refresh_token: cookies.refresh_token, auth_user: cookies.auth_user },
    });
    await expectError(after, 401, 'SESSION_EXPIRED');
    expect(parseSetCookies(after).get('refresh_token')?.attributes['max-age']).toBe('0');
  });

  it('confirms through the e-mail link too, and records early birds', async () => {
    const email = uniqueEmail('link');
    const res = await postJson('/auth/signup', {
      email,
      password: 'Str0ng-Passw0rd!',
      name: '링크',
      nickname: `l${Math.random().toString(36).slice(2, 9)}`,
      phoneNumber: '+821099998888',
      isEarlybird: true,
    });
    expect(res.status).toBe(201);
    const userSub = ((await res.json()) as { data: { user: { userSub: string } } }).data.user
      .userSub;
    const code = await mailboxCode(email);
    const confirmed = await api(
      `/auth/confirm-email-verification?email=${encodeURIComponent(email)}&code=${code}`,
    );
    expect(confirmed.status, await confirmed.clone().text()).toBe(200);
    await signIn(email);
    const birds = await createDb(env.DATABASE_URL)
      .select()
      .from(earlybirds)
      .where(eq(earlybirds.userId, userSub));
    expect(birds).toHaveLength(1);
  });

  it('refresh without cookies is 401 and clears cookies', async () => {
    const res = await api('/auth/refresh', { method: 'POST' });
    await expectError(res, 401, 'SESSION_EXPIRED');
  });

  it('resend reaches Cognito; cognito-local lacks the operation, which is answered as 503, not a 500', async () => {
    const email = uniqueEmail('resend');
    await signUp(email);
    // Cognito proper re-sends the code here (201); the local stand-in has no ResendConfirmationCode.
    await expectError(
      await postJson('/auth/resend-confirmation-code', { email }),
      503,
      'SERVICE_UNAVAILABLE',
    );
    await expectError(
      await postJson('/auth/resend-confirmation-code', { email: 'nope' }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('check-email says whether an address is registered', async () => {
    const email = uniqueEmail('check');
    const before = await readJson<Envelope<{ exists: boolean }>>(
      await api(`/auth/check-email?email=${encodeURIComponent(email)}`),
    );
    expect(before.body.data.exists).toBe(false);
    await signUp(email);
    const after = await readJson<Envelope<{ exists: boolean }>>(
      await api(`/auth/check-email?email=${encodeURIComponent(email.toUpperCase())}`),
    );
    expect(after.body.data.exists).toBe(true);
  });
});
