// The local S3-compatible object store: s3rver (bucket and CORS rules configured at start) on an internal port,
// behind dev/s3-verify, which refuses unsigned, tampered, expired and foreign-key requests as S3 does (s3rver
// itself checks only the access key id). Everything else talks to the verifier's port.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { StackConfig } from './config.ts';
import { httpReady, waitFor, type Managed, type Supervisor } from './processes.ts';

export interface S3Info {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
}

export function corsXml(origins: string[]): string {
  const rules = origins
    .map(
      (origin) => `  <CORSRule>
    <AllowedOrigin>${origin}</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3000</MaxAgeSeconds>
  </CORSRule>`,
    )
    .join('\n');
  return `<CORSConfiguration>\n${rules}\n</CORSConfiguration>\n`;
}

export async function startS3(
  sup: Supervisor,
  cfg: StackConfig,
): Promise<{ managed: Managed; info: S3Info }> {
  const dir = join(cfg.stateDir, 's3');
  mkdirSync(dir, { recursive: true });
  const corsFile = join(cfg.stateDir, 's3-cors.xml');
  writeFileSync(corsFile, corsXml(cfg.webOrigins));
  const require = createRequire(import.meta.url);
  const bin = join(require.resolve('s3rver/package.json'), '..', 'bin', 's3rver.js');
  const endpoint = `http://127.0.0.1:${cfg.ports.s3}`;
  const store = sup.start('s3-store', process.execPath, [
    bin,
    '-d',
    dir,
    '-a',
    '127.0.0.1',
    '-p',
    String(cfg.ports.s3Store),
    '--no-vhost-buckets',
    '--configure-bucket',
    cfg.s3.bucket,
    corsFile,
  ]);
  // Any HTTP answer (even 403 for an unsigned request) means the server is up.
  await waitFor(
    's3 store',
    () => httpReady(`http://127.0.0.1:${cfg.ports.s3Store}/`),
    30_000,
    store.exited,
  );
  const managed = sup.start('s3', process.execPath, [join(cfg.root, 'dev/s3-verify/src/main.ts')], {
    env: {
      S3_VERIFY_PORT: String(cfg.ports.s3),
      S3_BACKEND_PORT: String(cfg.ports.s3Store),
      S3_ACCESS_KEY_ID: cfg.s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: cfg.s3.secretAccessKey,
    },
  });
  await waitFor('s3', () => httpReady(`${endpoint}/`), 30_000, managed.exited);
  return { managed, info: { endpoint, ...cfg.s3 } };
}
