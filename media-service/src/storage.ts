// Reads originals and writes outputs with aws4fetch (SigV4; retries with backoff on 5xx and network errors).
import { readFile } from 'node:fs/promises';
import { AwsClient } from 'aws4fetch';
import type { MediaServiceConfig } from './config.ts';

export class Storage {
  private readonly client: AwsClient;
  private readonly base: string;

  constructor(config: MediaServiceConfig) {
    this.client = new AwsClient({
      accessKeyId: config.S3_ACCESS_KEY_ID,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY,
      region: config.S3_REGION,
      service: 's3',
      retries: 5,
      initRetryMs: 200,
    });
    this.base = `${config.S3_ENDPOINT.replace(/\/$/, '')}/${config.S3_BUCKET}/`;
  }

  url(key: string): string {
    return this.base + key.split('/').map(encodeURIComponent).join('/');
  }

  async get(key: string): Promise<Buffer> {
    const res = await this.client.fetch(this.url(key));
    if (!res.ok) throw new Error(`storage GET ${key}: ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }

  /** The first bytes of an object (for sniffing its type without downloading it). */
  async head(key: string, bytes = 4100): Promise<Buffer> {
    const res = await this.client.fetch(this.url(key), {
      headers: { range: `bytes=0-${bytes - 1}` },
    });
    if (!res.ok) throw new Error(`storage GET ${key} (range): ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }

  /** A presigned GET, for tools that read the object themselves (ffprobe). */
  async presignedGet(key: string, expiresIn = 900): Promise<string> {
    const url = new URL(this.url(key));
    url.searchParams.set('X-Amz-Expires', String(expiresIn));
    return (await this.client.sign(url.toString(), { method: 'GET', aws: { signQuery: true } }))
      .url;
  }

  async put(key: string, body: Buffer | Uint8Array, contentType: string): Promise<void> {
    const res = await this.client.fetch(this.url(key), {
      method: 'PUT',
      body,
      headers: { 'content-type': contentType },
    });
    if (!res.ok) throw new Error(`storage PUT ${key}: ${res.status}`);
  }

  async putFile(key: string, path: string, contentType: string): Promise<void> {
    await this.put(key, await readFile(path), contentType);
  }
}
