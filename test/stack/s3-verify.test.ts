// The local object store behaves like S3 for signatures: the verifier in front of s3rver refuses unsigned,
// tampered, expired and foreign-key requests; our presigned URLs (src/lib/storage.ts, aws4fetch) are the
// same, byte for byte, as AWS's reference SigV4 signer (@smithy/signature-v4) produces for the same request.
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { AwsClient } from 'aws4fetch';
import { beforeAll, describe, expect, it } from 'vitest';
import { objectUrl, presign } from '../../src/lib/storage.ts';
import { readStackInfo } from '../stack-info.ts';

const info = readStackInfo();
const env = {
  S3_ENDPOINT: info.s3.endpoint,
  S3_BUCKET: info.s3.bucket,
  S3_REGION: info.s3.region,
  S3_ACCESS_KEY_ID: info.s3.accessKeyId,
  S3_SECRET_ACCESS_KEY: info.s3.secretAccessKey,
};
const s3 = new AwsClient({
  accessKeyId: env.S3_ACCESS_KEY_ID,
  secretAccessKey: env.S3_SECRET_ACCESS_KEY,
  region: env.S3_REGION,
  service: 's3',
});
const key = `verify-test/${Date.now()}/hello world.txt`;
const amzDate = (d: Date) => d.toISOString().replace(/[:-]|\.\d{3}/g, '');

async function codeOf(res: Response): Promise<string | null> {
  return /<Code>([^<]+)<\/Code>/.exec(await res.text())?.[1] ?? null;
}

beforeAll(async () => {
  const put = await s3.fetch(objectUrl(env, key), { method: 'PUT', body: 'hello' });
  expect(put.status).toBe(200);
});

describe('the local store verifies signatures', () => {
  it('serves header-signed requests and refuses unsigned reads and writes', async () => {
    expect(await (await s3.fetch(objectUrl(env, key))).text()).toBe('hello');
    const anonymousRead = await fetch(objectUrl(env, key));
    expect(anonymousRead.status).toBe(403);
    expect(await codeOf(anonymousRead)).toBe('AccessDenied');
    const anonymousWrite = await fetch(objectUrl(env, `${key}.evil`), { method: 'PUT', body: 'x' });
    expect(anonymousWrite.status).toBe(403);
    expect((await s3.fetch(objectUrl(env, `${key}.evil`))).status).toBe(404);
  });

  it('refuses a header-signed request whose signature or signed headers were changed', async () => {
    const signed = await s3.sign(objectUrl(env, key));
    const auth = signed.headers.get('authorization') ?? '';
    const tampered = auth.replace(
      /Signature=([0-9a-f])/,
      (_, c: string) => `Signature=${c === '0' ? '1' : '0'}`,
    );
    const res = await fetch(signed.url, {
      headers: { ...Object.fromEntries(signed.headers), authorization: tampered },
    });
    expect(res.status).toBe(403);
    expect(await codeOf(res)).toBe('SignatureDoesNotMatch');
    const wrongSecret = new AwsClient({
      accessKeyId: env.S3_ACCESS_KEY_ID,
      secretAccessKey: 'not-the-secret',
      region: env.S3_REGION,
      service: 's3',
    });
    expect(await codeOf(await wrongSecret.fetch(objectUrl(env, key)))).toBe(
      'SignatureDoesNotMatch',
    );
  });

  it('serves a valid presigned GET; refuses it tampered, for another key, expired, or signed with a foreign key', async () => {
    const url = await presign(env, key, { method: 'GET', expiresIn: 60 });
    expect(await (await fetch(url)).text()).toBe('hello');
    const sig = new URL(url).searchParams.get('X-Amz-Signature') ?? '';
    const flipped = url.replace(sig, `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`);
    expect(await codeOf(await fetch(flipped))).toBe('SignatureDoesNotMatch');
    // The same signature on another object (another user's key) is refused.
    const other = url.replace(encodeURIComponent('hello world.txt'), 'other.txt');
    expect(other).not.toBe(url);
    expect(await codeOf(await fetch(other))).toBe('SignatureDoesNotMatch');
    // A longer lifetime than was signed is refused too.
    expect(await codeOf(await fetch(url.replace('X-Amz-Expires=60', 'X-Amz-Expires=600')))).toBe(
      'SignatureDoesNotMatch',
    );
    const old = await presign(env, key, {
      method: 'GET',
      expiresIn: 60,
      datetime: amzDate(new Date(Date.now() - 120_000)),
    });
    const expired = await fetch(old);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain('Request has expired');
    const foreign = await presign(
      { ...env, S3_ACCESS_KEY_ID: 'AKIAFOREIGN', S3_SECRET_ACCESS_KEY: 'foreign' },
      key,
      { method: 'GET', expiresIn: 60 },
    );
    expect(await codeOf(await fetch(foreign))).toBe('InvalidAccessKeyId');
  });

  it('a presigned PUT accepts only the signed content type and length', async () => {
    const target = `${key}.upload`;
    const body = 'exactly these bytes';
    const headers = { 'content-type': 'text/plain', 'content-length': String(body.length) };
    const url = await presign(env, target, { method: 'PUT', expiresIn: 60, headers });
    const longer = await fetch(url, {
      method: 'PUT',
      body: `${body}!`,
      headers: { 'content-type': 'text/plain' },
    });
    expect(longer.status).toBe(403);
    const otherType = await fetch(url, {
      method: 'PUT',
      body,
      headers: { 'content-type': 'application/x-msdownload' },
    });
    expect(otherType.status).toBe(403);
    expect((await s3.fetch(objectUrl(env, target))).status).toBe(404);
    const ok = await fetch(url, { method: 'PUT', body, headers: { 'content-type': 'text/plain' } });
    expect(ok.status).toBe(200);
    expect(await (await s3.fetch(objectUrl(env, target))).text()).toBe(body);
  });
});

describe('our presigned URLs match AWS reference SigV4', () => {
  const signer = new SignatureV4({
    credentials: { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY },
    region: env.S3_REGION,
    service: 's3',
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
  const when = new Date(Date.UTC(2026, 10, 23, 9, 30, 0));
  const keep = new Set(['x-amz-content-sha256']);

  async function reference(
    method: string,
    k: string,
    expiresIn: number,
    headers: Record<string, string>,
    query: Record<string, string> = {},
  ): Promise<string> {
    const url = new URL(objectUrl(env, k));
    const request = new HttpRequest({
      method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query,
      headers: { host: url.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...headers },
    });
    const signed = await signer.presign(request, {
      signingDate: when,
      expiresIn,
      unsignableHeaders: keep,
      unhoistableHeaders: keep,
    });
    return String(signed.query?.['X-Amz-Signature']);
  }

  it.each([
    ['GET', 'uploads/u1/a b+c.jpg', 300, {}, {}],
    [
      'PUT',
      'uploads/u1/01.jpg',
      600,
      { 'content-type': 'image/jpeg', 'content-length': '12345' },
      {},
    ],
    [
      'PUT',
      'uploads/u1/big.mp4',
      3600,
      { 'content-length': '5242880' },
      { partNumber: '3', uploadId: 'abc~def' },
    ],
  ] as const)('%s %s', async (method, k, expiresIn, headers, query) => {
    const ours = await presign(env, k, {
      method,
      expiresIn,
      headers: { ...headers },
      query: { ...query },
      datetime: amzDate(when),
    });
    expect(new URL(ours).searchParams.get('X-Amz-Signature')).toBe(
      await reference(method, k, expiresIn, { ...headers }, { ...query }),
    );
  });
});
