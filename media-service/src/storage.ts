// Reads originals and writes outputs with aws4fetch (SigV4; retries with backoff on 5xx and network errors).
import { readFile } from 'node:fs/promises';
import { AwsClient } from 'aws4fetch';
import type { MediaServiceConfig } from './config.ts';

export class Storage {
  private readonly client: AwsClient;
  private readonly base: string;

  constructor(config: MediaServiceConfig) {
    this.client = new AwsClient({ accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY, region: config.S3_REGION, service: 's3', retries: 5, initRetryMs: 200 });
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

  async put(key: string, body: Buffer | Uint8Array, contentType: string): Promise<void> {
    const res = await this.client.fetch(this.url(key), { method: 'PUT', body, headers: { 'content-type': contentType } });
    if (!res.ok) throw new Error(`storage PUT ${key}: ${res.status}`);
  }

  async putFile(key: string, path: string, contentType: string): Promise<void> {
    await this.put(key, await readFile(path), contentType);
  }
}
