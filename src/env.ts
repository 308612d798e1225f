// The Worker's configuration, parsed once per bindings object. A missing or malformed variable fails
// with its name (see README "Configuration").
import { z } from 'zod';

const csv = z
  .string()
  .transform((value) => value.split(',').map((s) => s.trim()).filter(Boolean));

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
});

export type Env = z.infer<typeof envSchema>;

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
    const detail = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new EnvError(variables, detail);
  }
  parsed.set(bindings, result.data);
  return result.data;
}
