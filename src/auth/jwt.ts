// Access-token verification in the Worker: no Cognito call on an ordinary request.
// RS256 only, exact issuer, token_use === 'access', client_id in the allow-list, exp/nbf with a small
// tolerance, and iat not in the future beyond that tolerance (nor older than Cognito's longest access-token
// validity, a day). Keys come from the pool's JWKS, cached per isolate.
import { createRemoteJWKSet, customFetch, errors, jwtVerify, type JWTPayload } from 'jose';

const CLOCK_TOLERANCE_S = 5;
/**
 * Cognito access tokens live at most a day; `maxTokenAge` also makes jose refuse an `iat` in the
 * future.
 */
const MAX_TOKEN_AGE_S = 24 * 60 * 60;

// Isolate-wide: one JWKS cache per URL, shared by every request of this isolate. Keys are kept for a day;
// an unknown `kid` triggers a refetch at most every 30 s, so a rotation is picked up quickly and an
// unreachable JWKS endpoint does not break requests whose keys are cached.
const jwksCache = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

function jwksFor(url: string, fetchImpl?: FetchLike) {
  const cacheKey = fetchImpl ? `${url}#custom` : url;
  let jwks = jwksCache.get(cacheKey);
  if (!jwks) {
    jwks = createRemoteJWKSet(new URL(url), {
      cacheMaxAge: 24 * 60 * 60 * 1000,
      cooldownDuration: 30_000,
      timeoutDuration: 5_000,
      ...(fetchImpl ? { [customFetch]: fetchImpl } : {}),
    });
    jwksCache.set(cacheKey, jwks);
  }
  return jwks;
}

/** Test hook: forget cached key sets (e.g. between tests that swap the JWKS fetcher). */
export function resetJwksCache(): void {
  jwksCache.clear();
}

export interface VerifyOptions {
  issuer: string;
  jwksUrl: string;
  allowedClientIds: readonly string[];
  /** Replaces fetch for the JWKS (tests only). */
  fetch?: FetchLike;
}

export interface AccessClaims extends JWTPayload {
  sub: string;
  client_id: string;
  token_use: 'access';
  username?: string;
  'cognito:groups'?: string[];
}

export class InvalidTokenError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidTokenError';
  }
}

export async function verifyAccessToken(
  token: string,
  options: VerifyOptions,
): Promise<AccessClaims> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, jwksFor(options.jwksUrl, options.fetch), {
      issuer: options.issuer,
      algorithms: ['RS256'],
      clockTolerance: CLOCK_TOLERANCE_S,
      maxTokenAge: MAX_TOKEN_AGE_S,
      requiredClaims: ['sub', 'exp', 'iat'],
    }));
  } catch (err) {
    // The key set could not be had (timeout, non-200, not JSON): that says nothing about the token
    // — the caller answers 503, not 401 (a 401 would send the client into a refresh loop).
    if (
      err instanceof errors.JOSEError &&
      (err.code === 'ERR_JWKS_TIMEOUT' || err.code === 'ERR_JOSE_GENERIC')
    ) {
      throw new Error(`JWKS unavailable: ${err.message}`, { cause: err });
    }
    if (err instanceof errors.JOSEError) throw new InvalidTokenError(err.code);
    throw err;
  }
  if (payload.token_use !== 'access') throw new InvalidTokenError('token_use is not access');
  if (
    typeof payload.client_id !== 'string' ||
    !options.allowedClientIds.includes(payload.client_id)
  ) {
    throw new InvalidTokenError('client_id not allowed');
  }
  return payload as AccessClaims;
}
