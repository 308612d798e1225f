// Test configuration: storage is the running test stack's (verifying) S3 when stack.json is there.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const SECRET = 'media-service-test-secret';

export function stackInfo(): {
  s3: {
    endpoint: string;
    bucket: string;
    region: string;
    accessKeyId: string;
    secretAccessKey: string;
  };
} | null {
  const file =
    process.env.CREFANS_STACK_FILE ?? resolve(import.meta.dirname, '../../.test-stack/stack.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
}

export function baseEnv(): NodeJS.ProcessEnv {
  const s3 = stackInfo()?.s3;
  return {
    MEDIA_SERVICE_SECRET: SECRET,
    S3_ENDPOINT: s3?.endpoint ?? 'http://127.0.0.1:9',
    S3_BUCKET: s3?.bucket ?? 'test',
    S3_REGION: s3?.region ?? 'us-east-1',
    S3_ACCESS_KEY_ID: s3?.accessKeyId ?? 'test',
    S3_SECRET_ACCESS_KEY: s3?.secretAccessKey ?? 'test',
  };
}
