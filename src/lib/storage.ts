// Object storage signed with aws4fetch (S3 or R2 through the S3 API). Media keys are private; readers get
// short-lived presigned GETs only after the gate has said yes, and uploaders presigned PUTs that pin the
// content type and length the server accepted.
import { AwsClient } from 'aws4fetch';
import { XMLParser } from 'fast-xml-parser';
import type { Env } from '../env.ts';
import { ApiError } from './errors.ts';

type StorageEnv = Pick<
  Env,
  'S3_ENDPOINT' | 'S3_BUCKET' | 'S3_REGION' | 'S3_ACCESS_KEY_ID' | 'S3_SECRET_ACCESS_KEY'
>;

export function storageClient(env: StorageEnv): AwsClient {
  // Retries (with backoff) on 5xx and network errors are aws4fetch's own.
  return new AwsClient({
    accessKeyId: env.S3_ACCESS_KEY_ID,
    secretAccessKey: env.S3_SECRET_ACCESS_KEY,
    region: env.S3_REGION,
    service: 's3',
    retries: 3,
    initRetryMs: 100,
  });
}

export function objectUrl(env: StorageEnv, key: string): string {
  const path = key.split('/').map(encodeURIComponent).join('/');
  return `${env.S3_ENDPOINT.replace(/\/$/, '')}/${env.S3_BUCKET}/${path}`;
}

export interface PresignOptions {
  method: 'GET' | 'PUT';
  expiresIn: number;
  /** Headers the request must carry exactly (signed): e.g. content-type and content-length of an upload. */
  headers?: Record<string, string>;
  /** Extra query parameters (signed): e.g. partNumber and uploadId of a multipart part. */
  query?: Record<string, string>;
  /** Signing time as `YYYYMMDDTHHMMSSZ` (tests pin it to compare with AWS's reference signer). */
  datetime?: string;
}

export async function presign(env: StorageEnv, key: string, opts: PresignOptions): Promise<string> {
  const url = new URL(objectUrl(env, key));
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  url.searchParams.set('X-Amz-Expires', String(opts.expiresIn));
  const signed = await storageClient(env).sign(url.toString(), {
    method: opts.method,
    headers: opts.headers,
    aws: { signQuery: true, allHeaders: true, datetime: opts.datetime },
  });
  return signed.url;
}

export async function presignGet(env: Env, key: string): Promise<string> {
  return presign(env, key, { method: 'GET', expiresIn: env.MEDIA_URL_TTL_SECONDS });
}

/** Deadline of one storage call, retries included (an upload part of 16 MiB fits well inside). */
export const STORAGE_TIMEOUT_MS = 30_000;

async function send(
  env: StorageEnv,
  key: string,
  init: RequestInit & { query?: Record<string, string> } = {},
): Promise<Response> {
  const url = new URL(objectUrl(env, key));
  for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
  try {
    // A deadline over the whole call (aws4fetch's retries included): a frozen store answers 503
    // instead of holding the request.
    const signal = init.signal ?? AbortSignal.timeout(STORAGE_TIMEOUT_MS);
    return await storageClient(env).fetch(url.toString(), { ...init, signal });
  } catch (err) {
    throw new ApiError(
      'STORAGE_UNAVAILABLE',
      '저장소에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.',
      { cause: err },
    );
  }
}

async function expectOk(res: Response, what: string): Promise<Response> {
  if (res.ok) return res;
  const body = await res.text().catch(() => '');
  if (res.status >= 500)
    throw new ApiError(
      'STORAGE_UNAVAILABLE',
      '저장소에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.',
      { cause: new Error(`${what}: ${res.status} ${body.slice(0, 200)}`) },
    );
  throw new Error(`storage ${what} failed: ${res.status} ${body.slice(0, 200)}`);
}

/** HEAD of an object: its size and type, or null when it does not exist. */
export async function headObject(
  env: StorageEnv,
  key: string,
): Promise<{ size: number; contentType: string | null } | null> {
  const res = await send(env, key, { method: 'HEAD' });
  if (res.status === 404) return null;
  await expectOk(res, 'HEAD');
  return {
    size: Number(res.headers.get('content-length') ?? -1),
    contentType: res.headers.get('content-type'),
  };
}

/** GET of an object, passing a Range through; 404 → null. */
export async function getObject(
  env: StorageEnv,
  key: string,
  range?: string | null,
): Promise<Response | null> {
  const res = await send(env, key, { method: 'GET', headers: range ? { range } : {} });
  if (res.status === 404) return null;
  if (res.status === 416) return res;
  return expectOk(res, 'GET');
}

export async function deleteObject(env: StorageEnv, key: string): Promise<void> {
  const res = await send(env, key, { method: 'DELETE' });
  if (res.status !== 404) await expectOk(res, 'DELETE');
}

const xml = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  isArray: (name) => name === 'Contents',
});

/** Every key under a prefix (ListObjectsV2, following continuation tokens). */
export async function listKeys(env: StorageEnv, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const url = new URL(`${env.S3_ENDPOINT.replace(/\/$/, '')}/${env.S3_BUCKET}`);
    url.searchParams.set('list-type', '2');
    url.searchParams.set('prefix', prefix);
    if (token) url.searchParams.set('continuation-token', token);
    let res: Response;
    try {
      res = await storageClient(env).fetch(url.toString(), {
        signal: AbortSignal.timeout(STORAGE_TIMEOUT_MS),
      });
    } catch (err) {
      throw new ApiError(
        'STORAGE_UNAVAILABLE',
        '저장소에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.',
        { cause: err },
      );
    }
    const doc = xml.parse(await (await expectOk(res, 'ListObjectsV2')).text()) as {
      ListBucketResult?: {
        Contents?: Array<{ Key: string }>;
        IsTruncated?: string;
        NextContinuationToken?: string;
      };
    };
    const result = doc.ListBucketResult;
    for (const c of result?.Contents ?? []) keys.push(String(c.Key));
    token = result?.IsTruncated === 'true' ? result.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

export async function createMultipartUpload(
  env: StorageEnv,
  key: string,
  contentType: string,
): Promise<string> {
  const res = await expectOk(
    await send(env, key, {
      method: 'POST',
      query: { uploads: '' },
      headers: { 'content-type': contentType },
    }),
    'CreateMultipartUpload',
  );
  const doc = xml.parse(await res.text()) as {
    InitiateMultipartUploadResult?: { UploadId?: string };
  };
  const id = doc.InitiateMultipartUploadResult?.UploadId;
  if (!id) throw new Error('storage CreateMultipartUpload answered without an UploadId');
  return id;
}

export async function completeMultipartUpload(
  env: StorageEnv,
  key: string,
  uploadId: string,
  parts: Array<{ partNumber: number; etag: string }>,
): Promise<'ok' | 'invalid'> {
  const body = `<CompleteMultipartUpload>${parts
    .map(
      (p) =>
        `<Part><PartNumber>${p.partNumber}</PartNumber><ETag>${p.etag.replace(/[<>&]/g, '')}</ETag></Part>`,
    )
    .join('')}</CompleteMultipartUpload>`;
  const res = await send(env, key, {
    method: 'POST',
    query: { uploadId },
    body,
    headers: { 'content-type': 'application/xml' },
  });
  if (res.status === 400 || res.status === 404) return 'invalid';
  const text = await (await expectOk(res, 'CompleteMultipartUpload')).text();
  // S3 may answer 200 with an <Error> body.
  return /<Error>/.test(text) ? 'invalid' : 'ok';
}

export async function abortMultipartUpload(
  env: StorageEnv,
  key: string,
  uploadId: string,
): Promise<void> {
  const res = await send(env, key, { method: 'DELETE', query: { uploadId } });
  if (res.status !== 404) await expectOk(res, 'AbortMultipartUpload');
}

/** PUT of an object the Worker holds (a small form upload). */
export async function putObject(
  env: StorageEnv,
  key: string,
  body: Uint8Array,
  contentType: string,
): Promise<void> {
  await expectOk(
    await send(env, key, { method: 'PUT', body, headers: { 'content-type': contentType } }),
    'PUT',
  );
}

/** One part of a multipart upload the Worker streams (every part but the last ≥ 5 MiB); its ETag. */
export async function uploadPart(
  env: StorageEnv,
  key: string,
  uploadId: string,
  partNumber: number,
  body: Uint8Array,
): Promise<string> {
  const res = await expectOk(
    await send(env, key, {
      method: 'PUT',
      body,
      query: { partNumber: String(partNumber), uploadId },
    }),
    'UploadPart',
  );
  const etag = res.headers.get('etag');
  if (!etag) throw new Error('storage UploadPart answered without an ETag');
  return etag;
}
