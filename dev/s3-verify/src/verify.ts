// SigV4 verification of S3 requests with AWS's own signer (@smithy/signature-v4): the request is rebuilt from
// the headers it claims to have signed and signed again with the same date; the signatures must match byte for
// byte. Covers presigned URLs (query signing) and Authorization-header requests. Payload hashes are taken as
// declared (x-amz-content-sha256), as S3 does for UNSIGNED-PAYLOAD; the body itself is not re-hashed.
import { timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface IncomingSigned {
  method: string;
  /** Path and query exactly as received (still percent-encoded). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

export type Verdict =
  { ok: true } | { ok: false; status: 400 | 403; code: string; message: string };

const MAX_SKEW_MS = 15 * 60_000;
const deny = (code: string, message: string, status: 400 | 403 = 403): Verdict => ({
  ok: false,
  status,
  code,
  message,
});

function parseAmzDate(s: string | null | undefined): Date | null {
  const m = s ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s) : null;
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : null;
}

function header(h: IncomingSigned['headers'], name: string): string | undefined {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v.join(',') : v;
}

function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The credential scope `AKID/date/region/s3/aws4_request`, checked against the one key this store knows. */
function scope(credential: string, creds: Credentials): { region: string } | Verdict {
  const [keyId, , region, service, terminator] = credential.split('/');
  if (keyId !== creds.accessKeyId)
    return deny(
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
    );
  if (!region || service !== 's3' || terminator !== 'aws4_request')
    return deny('AuthorizationQueryParametersError', 'Malformed credential scope.', 400);
  return { region };
}

function rebuild(
  incoming: IncomingSigned,
  signedHeaders: string[],
  query: URLSearchParams,
  extraHeaders: Record<string, string>,
): HttpRequest {
  const [path] = incoming.url.split('?');
  const host = header(incoming.headers, 'host') ?? '';
  const headers: Record<string, string> = { ...extraHeaders };
  for (const name of signedHeaders) {
    const value = header(incoming.headers, name);
    if (value !== undefined) headers[name] = value.trim().replace(/\s+/g, ' ');
  }
  const q: Record<string, string | string[]> = {};
  for (const [k, v] of query) {
    const prev = q[k];
    q[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  const [hostname, port] = host.split(':');
  return new HttpRequest({
    method: incoming.method,
    protocol: 'http:',
    hostname,
    port: port ? Number(port) : undefined,
    path,
    query: q,
    headers,
  });
}

export async function verifyRequest(
  incoming: IncomingSigned,
  creds: Credentials,
  now = new Date(),
): Promise<Verdict> {
  const query = new URLSearchParams(
    incoming.url.includes('?') ? incoming.url.slice(incoming.url.indexOf('?') + 1) : '',
  );
  const auth = header(incoming.headers, 'authorization');
  if (query.has('X-Amz-Signature')) return verifyPresigned(incoming, query, creds, now);
  if (auth) return verifyHeader(incoming, auth, query, creds, now);
  return deny(
    'AccessDenied',
    'Anonymous requests are not allowed: sign the request or use a presigned URL.',
  );
}

async function verifyPresigned(
  incoming: IncomingSigned,
  query: URLSearchParams,
  creds: Credentials,
  now: Date,
): Promise<Verdict> {
  if (query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256')
    return deny('AuthorizationQueryParametersError', 'Only AWS4-HMAC-SHA256 is supported.', 400);
  const sc = scope(query.get('X-Amz-Credential') ?? '', creds);
  if (!('region' in sc)) return sc;
  const signingDate = parseAmzDate(query.get('X-Amz-Date'));
  const expires = Number(query.get('X-Amz-Expires'));
  if (!signingDate || !Number.isInteger(expires) || expires < 1 || expires > 604_800)
    return deny(
      'AuthorizationQueryParametersError',
      'X-Amz-Date and X-Amz-Expires (1 to 604800) are required.',
      400,
    );
  if (now.getTime() > signingDate.getTime() + expires * 1000)
    return deny('AccessDenied', 'Request has expired');
  if (signingDate.getTime() > now.getTime() + MAX_SKEW_MS)
    return deny('AccessDenied', 'Request is not yet valid');
  const signedHeaders = (query.get('X-Amz-SignedHeaders') ?? '').split(';').filter(Boolean);
  if (!signedHeaders.includes('host'))
    return deny('AuthorizationQueryParametersError', 'host must be a signed header.', 400);
  const given = query.get('X-Amz-Signature') ?? '';
  query.delete('X-Amz-Signature');
  // S3 presigned URLs sign an unsigned payload; the marker header is neither signed nor moved into the query.
  const payloadMarker = { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' };
  const request = rebuild(incoming, signedHeaders, query, payloadMarker);
  const signer = new SignatureV4({
    credentials: creds,
    region: sc.region,
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const keep = new Set(['x-amz-content-sha256']);
  const signed = await signer.presign(request, {
    signingDate,
    expiresIn: expires,
    unsignableHeaders: keep,
    unhoistableHeaders: keep,
  });
  const expected = signed.query?.['X-Amz-Signature'];
  if (typeof expected !== 'string' || !sameSignature(expected, given)) {
    return deny(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
    );
  }
  return { ok: true };
}

async function verifyHeader(
  incoming: IncomingSigned,
  auth: string,
  query: URLSearchParams,
  creds: Credentials,
  now: Date,
): Promise<Verdict> {
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)$/.exec(
      auth.trim(),
    );
  if (!m)
    return deny('AuthorizationHeaderMalformed', 'The authorization header is malformed.', 400);
  const sc = scope(m[1], creds);
  if (!('region' in sc)) return sc;
  const signingDate = parseAmzDate(header(incoming.headers, 'x-amz-date'));
  if (!signingDate) return deny('AccessDenied', 'x-amz-date is required.');
  if (Math.abs(now.getTime() - signingDate.getTime()) > MAX_SKEW_MS)
    return deny(
      'RequestTimeTooSkewed',
      'The difference between the request time and the current time is too large.',
    );
  const signedHeaders = m[2].split(';');
  if (!signedHeaders.includes('host'))
    return deny('AuthorizationHeaderMalformed', 'host must be a signed header.', 400);
  const request = rebuild(incoming, signedHeaders, query, {});
  const signer = new SignatureV4({
    credentials: creds,
    region: sc.region,
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const signed = await signer.sign(request, { signingDate });
  const expected =
    /Signature=([0-9a-f]+)/.exec(
      String(signed.headers.authorization ?? signed.headers.Authorization),
    )?.[1] ?? '';
  if (!sameSignature(expected, m[3]))
    return deny(
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided.',
    );
  return { ok: true };
}

export function errorXml(code: string, message: string, requestId: string): string {
  const esc = (s: string) =>
    s.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c] ?? c);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${esc(code)}</Code><Message>${esc(message)}</Message><RequestId>${requestId}</RequestId></Error>`;
}
