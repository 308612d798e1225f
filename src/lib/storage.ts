// Object storage signed with aws4fetch (S3 or R2 through the S3 API). Media keys are private; readers get
// short-lived presigned GETs only after the gate has said yes.
import { AwsClient } from 'aws4fetch';
import type { Env } from '../env.ts';

export function storageClient(env: Env): AwsClient {
  return new AwsClient({ accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY, region: env.S3_REGION, service: 's3' });
}

export function objectUrl(env: Env, key: string): string {
  const path = key.split('/').map(encodeURIComponent).join('/');
  return `${env.S3_ENDPOINT.replace(/\/$/, '')}/${env.S3_BUCKET}/${path}`;
}

export async function presignGet(env: Env, key: string): Promise<string> {
  const url = new URL(objectUrl(env, key));
  url.searchParams.set('X-Amz-Expires', String(env.MEDIA_URL_TTL_SECONDS));
  const signed = await storageClient(env).sign(url.toString(), { method: 'GET', aws: { signQuery: true } });
  return signed.url;
}
