// The Worker ↔ media-service signatures: HMAC-SHA256 over `<purpose>:<unix seconds>.<raw body>`, hex, in
// X-Crefans-Timestamp / X-Crefans-Signature; five minutes of tolerance.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-crefans-timestamp';
export const SIGNATURE_HEADER = 'x-crefans-signature';
export const TOLERANCE_SECONDS = 300;

export function sign(
  secret: string,
  purpose: 'job' | 'callback',
  ts: string,
  body: string,
): string {
  return createHmac('sha256', secret).update(`${purpose}:${ts}.${body}`).digest('hex');
}

export function signedHeaders(
  secret: string,
  purpose: 'job' | 'callback',
  body: string,
  now = Date.now(),
): Record<string, string> {
  const ts = String(Math.floor(now / 1000));
  return {
    'content-type': 'application/json',
    [TIMESTAMP_HEADER]: ts,
    [SIGNATURE_HEADER]: sign(secret, purpose, ts, body),
  };
}

export function verify(
  secret: string,
  purpose: 'job' | 'callback',
  ts: string | undefined,
  signature: string | undefined,
  body: string,
  now = Date.now(),
): 'ok' | 'missing' | 'stale' | 'bad' {
  if (!ts || !signature || !/^\d{1,12}$/.test(ts)) return 'missing';
  if (Math.abs(now / 1000 - Number(ts)) > TOLERANCE_SECONDS) return 'stale';
  const expected = Buffer.from(sign(secret, purpose, ts, body));
  const given = Buffer.from(signature.toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given) ? 'ok' : 'bad';
}
