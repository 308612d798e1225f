// Starts the whole local stack in order and describes it in <state dir>/stack.json.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDb } from '../../src/db/client.ts';
import { applyMigrations } from '../db/migrate.ts';
import { DEMO_ACCOUNTS, seedDemo } from '../seed/demo.ts';
import { startCognito, type CognitoInfo } from './cognito.ts';
import { Mailbox } from './mailbox.ts';
import type { StackConfig } from './config.ts';
import { startMariadb } from './mariadb.ts';
import { httpReady, waitFor, type Supervisor } from './processes.ts';
import { startS3, type S3Info } from './s3.ts';
import { SYSTEM_NEEDS, TEST_SYSTEM_NEEDS, ensureSystemPackages } from './system.ts';

export interface StackInfo {
  profile: string;
  stateDir: string;
  apiUrl: string;
  gatewayUrl: string;
  databaseUrl: string;
  mysql: { host: string; port: number; user: string; password: string; database: string };
  cognito: CognitoInfo;
  s3: S3Info;
  mediaServiceUrl: string;
  /** The local Toss Payments stand-in (dev/fake-toss): its API, the keys, and the payment-window controls. */
  toss: { endpoint: string; secretKey: string; clientKey: string; windowApproveUrl: string };
  /** GET <mailboxUrl>/codes/<email> → the latest confirmation code cognito-local "sent" there. */
  mailboxUrl: string;
  confirmationCodesFile: string;
  demo: {
    creator: { email: string; password: string; handle: string };
    fan: { email: string; password: string; handle: string };
  };
  webOrigins: string[];
  logs: string;
}

export const stackFile = (cfg: StackConfig): string => join(cfg.stateDir, 'stack.json');

export async function startStack(
  sup: Supervisor,
  cfg: StackConfig,
  log: (line: string) => void,
): Promise<StackInfo> {
  ensureSystemPackages(log, cfg.profile === 'test' ? TEST_SYSTEM_NEEDS : SYSTEM_NEEDS);
  sup.reapLeftovers();
  const fresh = cfg.profile === 'test';
  if (fresh) {
    // Every `npm test` starts from empty identity, storage and database state (MariaDB's files are kept:
    // initialising them is the slow part).
    for (const dir of ['cognito', 's3'])
      rmSync(join(cfg.stateDir, dir), { recursive: true, force: true });
    rmSync(join(cfg.stateDir, 'confirmation-codes.jsonl'), { force: true });
  }

  log('starting MariaDB');
  await startMariadb(
    sup,
    {
      stateDir: cfg.stateDir,
      port: cfg.ports.mysql,
      user: cfg.mysql.user,
      password: cfg.mysql.password,
      databases: [cfg.mysql.database],
      // Not UTC on purpose: every connection through the gateway must still run in UTC.
      defaultTimeZone: '+09:00',
      fresh,
    },
    log,
  );

  log('starting the PlanetScale gateway');
  const gatewayBase = `http://127.0.0.1:${cfg.ports.gateway}`;
  const gateway = sup.start(
    'psdb-gateway',
    process.execPath,
    [join(cfg.root, 'dev/psdb-gateway/src/main.ts')],
    {
      env: {
        PSDB_GATEWAY_PORT: String(cfg.ports.gateway),
        PSDB_GATEWAY_USER: cfg.gateway.user,
        PSDB_GATEWAY_PASSWORD: cfg.gateway.password,
        MYSQL_HOST: '127.0.0.1',
        MYSQL_PORT: String(cfg.ports.mysql),
        MYSQL_USER: cfg.mysql.user,
        MYSQL_PASSWORD: cfg.mysql.password,
        MYSQL_DATABASE: cfg.mysql.database,
      },
    },
  );
  await waitFor('psdb-gateway', () => httpReady(`${gatewayBase}/`), 30_000, gateway.exited);
  const databaseUrl = `http://${cfg.gateway.user}:${cfg.gateway.password}@127.0.0.1:${cfg.ports.gateway}`;

  log('starting cognito-local, its mailbox and the S3 store');
  // In dev the codes are printed for whoever signs up by hand; tests read them from the mailbox.
  const mailbox = new Mailbox(cfg.stateDir, cfg.profile === 'dev' ? log : () => undefined);
  const mailboxUrl = await mailbox.listen(cfg.ports.mailbox);
  sup.onStop(() => mailbox.close());
  const [{ info: cognito }, { info: s3 }] = await Promise.all([
    startCognito(sup, cfg, (line) => mailbox.observe(line)),
    startS3(sup, cfg),
  ]);
  mailbox.useUserStore(join(cfg.stateDir, 'cognito'), cognito.userPoolId);

  log('starting media-service');
  const mediaServiceUrl = `http://127.0.0.1:${cfg.ports.media}`;
  const media = sup.start(
    'media-service',
    process.execPath,
    [join(cfg.root, 'media-service/src/main.ts')],
    {
      cwd: join(cfg.root, 'media-service'),
      env: {
        PORT: String(cfg.ports.media),
        HOST: '127.0.0.1',
        MEDIA_SERVICE_SECRET: LOCAL_MEDIA_SECRET,
        MEDIACONVERT_EVENTS_TOKEN: LOCAL_EVENTS_TOKEN,
        S3_ENDPOINT: s3.endpoint,
        S3_BUCKET: s3.bucket,
        S3_REGION: s3.region,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
      },
    },
  );
  await waitFor(
    'media-service',
    () => httpReady(`${mediaServiceUrl}/health`),
    30_000,
    media.exited,
  );

  log('starting the Toss Payments stand-in');
  const tossUrl = `http://127.0.0.1:${cfg.ports.toss}`;
  const toss = sup.start(
    'fake-toss',
    process.execPath,
    [join(cfg.root, 'dev/fake-toss/src/main.ts')],
    {
      env: { FAKE_TOSS_PORT: String(cfg.ports.toss), TOSS_SECRET_KEY: LOCAL_TOSS_SECRET_KEY },
    },
  );
  await waitFor('fake Toss', () => httpReady(`${tossUrl}/_fake/calls`), 20_000, toss.exited);

  log('applying migrations');
  await applyMigrations(databaseUrl);
  log('seeding demo data');
  await seedDemo(createDb(databaseUrl), cognito);

  const info: StackInfo = {
    profile: cfg.profile,
    stateDir: cfg.stateDir,
    apiUrl: `http://127.0.0.1:${cfg.ports.api}`,
    gatewayUrl: databaseUrl,
    databaseUrl,
    mysql: { host: '127.0.0.1', port: cfg.ports.mysql, ...cfg.mysql },
    cognito,
    s3,
    mediaServiceUrl,
    toss: {
      endpoint: tossUrl,
      secretKey: LOCAL_TOSS_SECRET_KEY,
      clientKey: LOCAL_TOSS_CLIENT_KEY,
      windowApproveUrl: `${tossUrl}/_fake/window/approve`,
    },
    mailboxUrl,
    confirmationCodesFile: join(cfg.stateDir, 'confirmation-codes.jsonl'),
    demo: {
      creator: {
        email: DEMO_ACCOUNTS.creator.email,
        password: DEMO_ACCOUNTS.creator.password,
        handle: DEMO_ACCOUNTS.creator.handle,
      },
      fan: {
        email: DEMO_ACCOUNTS.fan.email,
        password: DEMO_ACCOUNTS.fan.password,
        handle: DEMO_ACCOUNTS.fan.handle,
      },
    },
    webOrigins: cfg.webOrigins,
    logs: sup.logDir,
  };
  writeFileSync(stackFile(cfg), `${JSON.stringify(info, null, 2)}\n`);
  return info;
}

/** Signs jobs (Worker → media-service) and callbacks (media-service → Worker) locally; a secret in production. */
export const LOCAL_MEDIA_SECRET = 'crefans-local-media-service-key';
/** Test keys in Toss's format, for the local stand-in only. */
export const LOCAL_TOSS_SECRET_KEY = 'test_sk_crefansLocalStandIn0000';
export const LOCAL_TOSS_CLIENT_KEY = 'test_ck_crefansLocalStandIn0000';
/** The header value EventBridge's API destination sends to media-service's /events/mediaconvert locally. */
export const LOCAL_EVENTS_TOKEN = 'crefans-local-events-token';

/** The Worker's variables for this stack (wrangler dev and the workerd test pool use the same). */
export function workerVars(
  info: StackInfo,
  appEnv: 'development' | 'test',
): Record<string, string> {
  return {
    APP_ENV: appEnv,
    DATABASE_URL: info.databaseUrl,
    API_BASE_URL: info.apiUrl,
    CORS_ORIGINS: info.webOrigins.join(','),
    LOG_LEVEL: appEnv === 'test' ? 'warn' : 'info',
    BUILD_VERSION: 'local',
    COGNITO_REGION: info.cognito.region,
    COGNITO_USER_POOL_ID: info.cognito.userPoolId,
    COGNITO_CLIENT_ID: info.cognito.clientId,
    COGNITO_ENDPOINT: `${info.cognito.endpoint}/`,
    COGNITO_ISSUER: info.cognito.issuer,
    S3_ENDPOINT: info.s3.endpoint,
    S3_BUCKET: info.s3.bucket,
    S3_REGION: info.s3.region,
    S3_ACCESS_KEY_ID: info.s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: info.s3.secretAccessKey,
    // Host-only cookies on plain http://127.0.0.1 (wrangler.toml's production Domain does not apply here).
    COOKIE_DOMAIN: '',
    COOKIE_SECURE: 'false',
    MEDIA_SERVICE_URL: info.mediaServiceUrl,
    TOSS_API_URL: info.toss.endpoint,
    TOSS_SECRET_KEY: info.toss.secretKey,
    TOSS_CLIENT_KEY: info.toss.clientKey,
    // Short in tests, where the stand-in is told to hang.
    TOSS_TIMEOUT_MS: appEnv === 'test' ? '1500' : '10000',
    MEDIA_SERVICE_SECRET: LOCAL_MEDIA_SECRET,
    MEDIA_TOKEN_SECRET: 'crefans-local-media-token-key',
    // Multipart from 5 MiB in tests, so that a test uploads a few small parts instead of 100 MB.
    ...(appEnv === 'test'
      ? { MEDIA_MULTIPART_THRESHOLD_BYTES: '5242880', MEDIA_MULTIPART_PART_BYTES: '5242880' }
      : {}),
    // Short in tests so that the staleness bound can be waited out.
    PUBLIC_CACHE_TTL_SECONDS: appEnv === 'test' ? '2' : '30',
    // Short in tests so that the HLS revocation bound can be waited out.
    MEDIA_HLS_GRANT_TTL_SECONDS: appEnv === 'test' ? '2' : '30',
    // A 16 MiB cap on form uploads in tests, so that a test can go past it.
    ...(appEnv === 'test' ? { MEDIA_FORM_UPLOAD_MAX_BYTES: '16777216' } : {}),
  };
}
