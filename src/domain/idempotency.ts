// Idempotency-Key headers, one mechanism for every route that takes one (unlock, subscribe/upgrade,
// refund). A key belongs to the signed-in user and is bound, the first time it is seen, to the
// request it came with: the route (`scope`) and a fingerprint of its path parameters and body. The
// same key with the same request goes on to the domain, whose own keys (derived from the client's)
// replay the first result; the same key with anything else (another posting, another amount,
// another route) is 409 IDEMPOTENCY_CONFLICT before anything is read or written. Without a header
// the request gets a fresh random key (never a replay).
import { and, eq } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { idempotencyKeys } from '../db/schema/index.ts';
import { ApiError } from '../lib/errors.ts';

/** JSON with object keys sorted, so that `{a, b}` and `{b, a}` are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, v]) => v !== undefined,
    );
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export async function requestFingerprint(scope: string, request: unknown): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    new TextEncoder().encode(`${scope}\n${canonical(request)}`),
  );
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The key the domain should use for this request: the client's Idempotency-Key once it is bound to
 * this exact request (refused with IDEMPOTENCY_CONFLICT if it was first used for another), or a
 * random one.
 */
export async function requestKey(
  db: Database,
  input: { ownerId: string; header: string | undefined; scope: string; request: unknown },
): Promise<string> {
  if (!input.header) return crypto.randomUUID();
  const fingerprint = await requestFingerprint(input.scope, input.request);
  // INSERT IGNORE: the first request binds the key; concurrent twins all read the same winner back.
  await db
    .insert(idempotencyKeys)
    .ignore()
    .values({ ownerId: input.ownerId, clientKey: input.header, scope: input.scope, fingerprint });
  const [bound] = await db
    .select({ fingerprint: idempotencyKeys.fingerprint })
    .from(idempotencyKeys)
    .where(
      and(eq(idempotencyKeys.ownerId, input.ownerId), eq(idempotencyKeys.clientKey, input.header)),
    );
  if (!bound || bound.fingerprint !== fingerprint) {
    throw new ApiError(
      'IDEMPOTENCY_CONFLICT',
      '이 멱등성 키는 이미 다른 요청에 사용되었습니다. 새 키로 다시 시도해 주세요.',
    );
  }
  return input.header;
}
