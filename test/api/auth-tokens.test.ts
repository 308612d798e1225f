// Access tokens are verified in the Worker: every forged or misused token is a 401, and cached keys keep
// working while the JWKS endpoint is down.
import { env } from 'cloudflare:workers';
import { SignJWT, decodeJwt, generateKeyPair, importJWK, type JWK } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { cognitoCall } from '../../dev/stack/cognito.ts';
import { InvalidTokenError, verifyAccessToken } from '../../src/auth/jwt.ts';
import { api, createUser, postJson, stack, type TestUser } from './auth-helpers.ts';
import { expectError } from './helpers.ts';

let user: TestUser;
let access: string;
let idToken: string;

const b64url = (s: string) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const header = (h: Record<string, unknown>) => b64url(JSON.stringify(h));

async function signWithCognitoKey(
  claims: Record<string, unknown>,
  kid = 'CognitoLocal',
): Promise<string> {
  const key = await importJWK(JSON.parse(env.TEST_COGNITO_PRIVATE_JWK) as JWK, 'RS256');
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
}

function validClaims(): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: user.sub,
    iss: env.COGNITO_ISSUER,
    client_id: env.COGNITO_CLIENT_ID,
    token_use: 'access',
    username: user.sub,
    iat: now,
    exp: now + 600,
    jti: crypto.randomUUID(),
  };
}

beforeAll(async () => {
  user = await createUser('tokens');
  access = user.cookies.access_token;
  idToken = user.cookies.id_token;
});

describe('a token signed with the pool key and the right claims', () => {
  it('is accepted (the control case for the matrix below)', async () => {
    const token = await signWithCognitoKey(validClaims());
    expect((await api('/auth/me', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(
      200,
    );
    expect((await api('/auth/me', { cookies: { access_token: access } })).status).toBe(200);
  });

  it('is accepted with iat a few seconds ahead (clock skew within the leeway)', async () => {
    const token = await signWithCognitoKey({
      ...validClaims(),
      iat: Math.floor(Date.now() / 1000) + 2,
    });
    expect((await api('/auth/me', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(
      200,
    );
  });
});

describe('forged-token matrix → 401 UNAUTHENTICATED', () => {
  const cases: Array<[string, () => Promise<string>]> = [
    [
      'alg: none',
      async () =>
        `${header({ alg: 'none', typ: 'JWT' })}.${b64url(JSON.stringify(validClaims()))}.`,
    ],
    [
      'HS256 signed with the public key',
      async () => {
        const jwks = (await (
          await fetch(`${env.COGNITO_ISSUER}/.well-known/jwks.json`)
        ).json()) as { keys: JWK[] };
        const secret = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
        return new SignJWT(validClaims())
          .setProtectedHeader({ alg: 'HS256', kid: 'CognitoLocal' })
          .sign(secret);
      },
    ],
    [
      'unknown kid (a key the pool never published)',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT(validClaims())
          .setProtectedHeader({ alg: 'RS256', kid: 'not-a-pool-key' })
          .sign(privateKey);
      },
    ],
    [
      'a foreign key claiming the pool kid',
      async () => {
        const { privateKey } = await generateKeyPair('RS256');
        return new SignJWT(validClaims())
          .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' })
          .sign(privateKey);
      },
    ],
    [
      'wrong issuer',
      async () =>
        signWithCognitoKey({
          ...validClaims(),
          iss: 'https://cognito-idp.ap-northeast-2.amazonaws.com/ap-northeast-2_evil',
        }),
    ],
    ['an id token used as an access token', async () => idToken],
    [
      'token_use missing',
      async () => signWithCognitoKey({ ...validClaims(), token_use: undefined }),
    ],
    [
      'a token from another app client',
      async () => signWithCognitoKey({ ...validClaims(), client_id: 'some-other-client' }),
    ],
    [
      'expired (beyond the tolerance)',
      async () =>
        signWithCognitoKey({
          ...validClaims(),
          iat: Math.floor(Date.now() / 1000) - 7200,
          exp: Math.floor(Date.now() / 1000) - 60,
        }),
    ],
    [
      'not yet valid (nbf in the future)',
      async () =>
        signWithCognitoKey({ ...validClaims(), nbf: Math.floor(Date.now() / 1000) + 600 }),
    ],
    [
      'issued in the future (iat beyond the clock-skew leeway)',
      async () =>
        signWithCognitoKey({
          ...validClaims(),
          iat: Math.floor(Date.now() / 1000) + 600,
          exp: Math.floor(Date.now() / 1000) + 1800,
        }),
    ],
    [
      'issued a minute ahead (iat past the 5 s leeway)',
      async () => signWithCognitoKey({ ...validClaims(), iat: Math.floor(Date.now() / 1000) + 60 }),
    ],
    [
      'payload tampered (sub swapped, signature kept)',
      async () => {
        const [h, , s] = access.split('.');
        const claims = decodeJwt(access);
        return `${h}.${b64url(JSON.stringify({ ...claims, sub: '00000000-0000-4000-8000-000000000000' }))}.${s}`;
      },
    ],
    ['signature stripped', async () => `${access.split('.').slice(0, 2).join('.')}.`],
    ['garbage', async () => 'not.a.jwt'],
  ];

  it.each(cases)('%s', async (_name, make) => {
    const token = await make();
    await expectError(
      await api('/auth/me', { headers: { Authorization: `Bearer ${token}` } }),
      401,
      'UNAUTHENTICATED',
    );
    await expectError(
      await api('/auth/me', { cookies: { access_token: token } }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('a real token from another app client of the same pool', async () => {
    const created = await cognitoCall<{ UserPoolClient: { ClientId: string } }>(
      stack.cognito.endpoint,
      'CreateUserPoolClient',
      {
        UserPoolId: stack.cognito.userPoolId,
        ClientName: `other-${crypto.randomUUID()}`,
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
      },
    );
    const out = await cognitoCall<{ AuthenticationResult: { AccessToken: string } }>(
      stack.cognito.endpoint,
      'InitiateAuth',
      {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: created.UserPoolClient.ClientId,
        AuthParameters: { USERNAME: user.email, PASSWORD: user.password },
      },
    );
    const token = out.AuthenticationResult.AccessToken;
    expect(decodeJwt(token).client_id).toBe(created.UserPoolClient.ClientId);
    await expectError(
      await api('/auth/me', { headers: { Authorization: `Bearer ${token}` } }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('no token at all is 401 on a protected route', async () => {
    await expectError(await api('/auth/me'), 401, 'UNAUTHENTICATED');
  });

  it('sign-in with a wrong password or unknown account is 401 INVALID_CREDENTIALS (no enumeration)', async () => {
    await expectError(
      await postJson('/auth/signin', { email: user.email, password: 'Wr0ng-Password!' }),
      401,
      'INVALID_CREDENTIALS',
    );
    await expectError(
      await postJson('/auth/signin', {
        email: 'nobody-here@test.crefans.local',
        password: 'Wr0ng-Password!',
      }),
      401,
      'INVALID_CREDENTIALS',
    );
  });
});

describe('JWKS caching', () => {
  it('keeps verifying with cached keys while the JWKS endpoint is down, and refuses unknown keys', async () => {
    let down = false;
    let fetches = 0;
    const jwksUrl = `${env.COGNITO_ISSUER}/.well-known/jwks.json`;
    const flaky = async (url: string, init: RequestInit) => {
      fetches++;
      if (down) throw new TypeError('network down');
      return fetch(url, init);
    };
    const options = {
      issuer: env.COGNITO_ISSUER,
      jwksUrl: `${jwksUrl}?cache-test=${crypto.randomUUID()}`,
      allowedClientIds: [env.COGNITO_CLIENT_ID],
      fetch: flaky,
    };
    const first = await verifyAccessToken(access, options);
    expect(first.sub).toBe(user.sub);
    expect(fetches).toBe(1);
    down = true;
    for (let i = 0; i < 5; i++)
      expect((await verifyAccessToken(access, options)).sub).toBe(user.sub);
    expect(fetches, 'cached keys need no fetch').toBe(1);
    const { privateKey } = await generateKeyPair('RS256');
    const stranger = await new SignJWT(validClaims())
      .setProtectedHeader({ alg: 'RS256', kid: 'rotated-key' })
      .sign(privateKey);
    await expect(verifyAccessToken(stranger, options)).rejects.toThrow();
  });

  it.each([
    ['times out', async () => new Promise<Response>(() => undefined)],
    ['answers 503', async () => new Response('down', { status: 503 })],
    ['answers garbage', async () => new Response('<html>', { status: 200 })],
    ['refuses the connection', async () => Promise.reject(new TypeError('network down'))],
  ])(
    'with no cached keys, a JWKS endpoint that %s is "unavailable", never "invalid token"',
    async (_case, answer) => {
      const options = {
        issuer: env.COGNITO_ISSUER,
        jwksUrl: `${env.COGNITO_ISSUER}/.well-known/jwks.json?outage-test=${crypto.randomUUID()}`,
        allowedClientIds: [env.COGNITO_CLIENT_ID],
        fetch: (_url: string, init: RequestInit) =>
          new Promise<Response>((resolve, reject) => {
            init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
            answer().then(resolve, reject);
          }),
      };
      const err = await verifyAccessToken(access, options).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err).not.toBeInstanceOf(InvalidTokenError);
    },
    15_000,
  );
});
