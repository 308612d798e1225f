// The Worker's configuration, parsed once per bindings object. A missing or malformed variable fails
// with its name (see README "Configuration").
import { z } from 'zod';

const csv = z.string().transform((value) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

const queueBinding = z.custom<Queue<unknown>>(
  (v) => typeof (v as Queue<unknown> | undefined)?.send === 'function',
  {
    message: 'must be a Queue binding',
  },
);
const rateLimitBinding = z.custom<RateLimit>(
  (v) => typeof (v as RateLimit | undefined)?.limit === 'function',
  {
    message: 'must be a rate-limit binding',
  },
);

export const envSchema = z.object({
  APP_ENV: z.enum(['development', 'test', 'production']),
  /** PlanetScale connection URL: `mysql://user:pass@aws.connect.psdb.cloud/db`, or `http://user:pass@127.0.0.1:3900` locally. */
  DATABASE_URL: z.url(),
  /** Public base URL of this API; media URLs in responses are built from it. */
  API_BASE_URL: z.url(),
  /** Browser origins allowed to call the API with credentials. */
  CORS_ORIGINS: csv.pipe(z.array(z.url()).min(1)),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  /** Set at deploy time; reported by /health. */
  BUILD_VERSION: z.string().min(1).default('dev'),
  /** Largest accepted request body, in bytes. */
  MAX_BODY_BYTES: z.coerce.number().int().positive().default(1_048_576),

  COGNITO_REGION: z.string().min(1),
  COGNITO_USER_POOL_ID: z.string().min(1),
  COGNITO_CLIENT_ID: z.string().min(1),
  /** Only when the app client has a secret: every call then carries SECRET_HASH. */
  COGNITO_CLIENT_SECRET: z.string().min(1).optional(),
  /** The user-pool API; defaults to AWS's regional endpoint (cognito-local locally). */
  COGNITO_ENDPOINT: z.url().optional(),
  /** Token issuer; defaults to `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  COGNITO_ISSUER: z.url().optional(),
  /** App clients whose access tokens are accepted; defaults to COGNITO_CLIENT_ID. */
  COGNITO_ALLOWED_CLIENT_IDS: csv.optional(),

  /** Cookie attributes: `Domain` (e.g. `.crefans.com`) and `Secure` (default: on in production). */
  COOKIE_DOMAIN: z
    .string()
    .optional()
    .transform((v) => v || undefined),
  COOKIE_SECURE: bool.optional(),

  /** Platform fee on subscription and unlock payments, in basis points (1000 = 10 %). */
  PLATFORM_FEE_BPS: z.coerce.number().int().min(0).max(5000).default(1000),
  /** Days a subscription that could not be renewed keeps access before it expires. */
  SUBSCRIPTION_GRACE_DAYS: z.coerce.number().int().min(0).max(30).default(3),
  /** Days after a charge within which its creator may refund it (admins always may). */
  REFUND_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(7),

  /** Object storage (S3 or R2, S3 API): media are private and served by short-lived presigned GETs. */
  S3_ENDPOINT: z.url(),
  S3_BUCKET: z.string().min(1),
  S3_REGION: z.string().min(1).default('auto'),
  S3_ACCESS_KEY_ID: z.string().min(1),
  S3_SECRET_ACCESS_KEY: z.string().min(1),
  /** Lifetime of a presigned media URL, in seconds. */
  MEDIA_URL_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),

  /** Lifetime of a presigned upload URL (single PUT or multipart part), in seconds. */
  MEDIA_UPLOAD_URL_TTL_SECONDS: z.coerce.number().int().min(60).max(3600).default(900),
  /** Videos larger than this upload in parts (multipart); up to 5 GB. */
  MEDIA_MULTIPART_THRESHOLD_BYTES: z.coerce.number().int().min(5_242_880).default(104_857_600),
  /** Part size of a multipart upload (S3's minimum is 5 MiB). */
  MEDIA_MULTIPART_PART_BYTES: z.coerce.number().int().min(5_242_880).default(16_777_216),
  /** media-service: where processing jobs go, and the shared key that signs jobs and their callbacks. */
  MEDIA_SERVICE_URL: z.url(),
  MEDIA_SERVICE_SECRET: z.string().min(16),
  /** Key of the HLS token paths (HMAC of viewer, media and expiry) and their lifetime in seconds. */
  MEDIA_TOKEN_SECRET: z.string().min(16),
  MEDIA_HLS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  /**
   * Seconds a yes (or no) of the gate for one viewer and one video is trusted by HLS segment requests: the
   * bound on how long a viewer who lost access keeps getting segments. Playlists always ask the gate.
   */
  MEDIA_HLS_GRANT_TTL_SECONDS: z.coerce.number().int().min(1).max(300).default(30),
  /** Largest file `POST /media/upload` (the older multipart form upload) accepts, in bytes. */
  MEDIA_FORM_UPLOAD_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(1_048_576)
    .max(104_857_600)
    .default(52_428_800),
  /** A processing job not finished after this many minutes is dispatched again (capped attempts). */
  MEDIA_JOB_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(30),

  /** Toss Payments: API base, secret key (server), client key (handed to the payment widget), call timeout. */
  TOSS_API_URL: z.url().default('https://api.tosspayments.com'),
  TOSS_SECRET_KEY: z.string().min(1),
  TOSS_CLIENT_KEY: z.string().min(1),
  TOSS_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),

  /** Seconds an anonymous public feed or explore page may be served from the edge cache (the staleness bound). */
  PUBLIC_CACHE_TTL_SECONDS: z.coerce.number().int().min(1).max(600).default(30),

  /** Key for hashing anonymous viewers' addresses in view counts (set a random secret in production). */
  VIEWER_HASH_SECRET: z.string().min(8).default('crefans-local-view-key'),

  /**
   * Deadline of one database statement, in ms: past it the request answers 503 (docs: "Failure
   * behaviour").
   */
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  /** Days between a deletion request and the anonymisation; signing in within them cancels it. */
  ACCOUNT_DELETION_GRACE_DAYS: z.coerce.number().int().min(0).max(90).default(14),
  /** Deleting an account needs a sign-in at most this many minutes old (the token's auth_time). */
  ACCOUNT_DELETION_REAUTH_MINUTES: z.coerce.number().int().min(1).max(1440).default(10),
  /** IAM key for Cognito's admin API (AdminDeleteUser, SigV4); unset = unsigned (cognito-local). */
  COGNITO_ADMIN_ACCESS_KEY_ID: z.string().min(1).optional(),
  COGNITO_ADMIN_SECRET_ACCESS_KEY: z.string().min(1).optional(),

  WALLET_QUEUE: queueBinding,
  MEDIA_QUEUE: queueBinding,
  RL_AUTH_IP: rateLimitBinding,
  RL_AUTH_EMAIL: rateLimitBinding,
  RL_EXPORT: rateLimitBinding,
});

export type Env = z.infer<typeof envSchema>;

export interface CognitoSettings {
  region: string;
  userPoolId: string;
  clientId: string;
  clientSecret?: string;
  endpoint: string;
  issuer: string;
  jwksUrl: string;
  allowedClientIds: string[];
  /** Credentials for the admin operations (real Cognito needs them; cognito-local does not). */
  admin?: { accessKeyId: string; secretAccessKey: string };
}

export function cognitoSettings(env: Env): CognitoSettings {
  const issuer =
    env.COGNITO_ISSUER ??
    `https://cognito-idp.${env.COGNITO_REGION}.amazonaws.com/${env.COGNITO_USER_POOL_ID}`;
  return {
    region: env.COGNITO_REGION,
    userPoolId: env.COGNITO_USER_POOL_ID,
    clientId: env.COGNITO_CLIENT_ID,
    clientSecret: env.COGNITO_CLIENT_SECRET,
    endpoint: env.COGNITO_ENDPOINT ?? `https://cognito-idp.${env.COGNITO_REGION}.amazonaws.com/`,
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    allowedClientIds: env.COGNITO_ALLOWED_CLIENT_IDS ?? [env.COGNITO_CLIENT_ID],
    ...(env.COGNITO_ADMIN_ACCESS_KEY_ID && env.COGNITO_ADMIN_SECRET_ACCESS_KEY
      ? {
          admin: {
            accessKeyId: env.COGNITO_ADMIN_ACCESS_KEY_ID,
            secretAccessKey: env.COGNITO_ADMIN_SECRET_ACCESS_KEY,
          },
        }
      : {}),
  };
}

/** The raw bindings workerd hands us: variables and secrets as strings, plus service bindings. */
export type Bindings = Record<string, unknown>;

export class EnvError extends Error {
  readonly variables: string[];

  constructor(variables: string[], detail: string) {
    super(`invalid Worker configuration: ${detail}`);
    this.variables = variables;
  }
}

// Isolate-wide cache: bindings objects are stable per isolate, so parse each once.
const parsed = new WeakMap<object, Env>();

export function parseEnv(bindings: Bindings): Env {
  const hit = parsed.get(bindings);
  if (hit) return hit;
  const result = envSchema.safeParse(bindings);
  if (!result.success) {
    const variables = [...new Set(result.error.issues.map((issue) => String(issue.path[0])))];
    const detail = result.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new EnvError(variables, detail);
  }
  parsed.set(bindings, result.data);
  return result.data;
}
