// Abuse limits on the auth endpoints, with Cloudflare's Rate Limiting bindings (per location, 60-second
// windows; limits in wrangler.toml). Answered with 429 and Retry-After.
import type { Context } from 'hono';
import type { AppEnv } from '../context.ts';
import { ApiError } from './errors.ts';

const WINDOW_SECONDS = 60;

export function clientIp(c: Context<AppEnv>): string {
  // Set by Cloudflare's edge and not forgeable by the client there; absent locally.
  return c.req.header('cf-connecting-ip') ?? 'local';
}

export async function limitAuth(c: Context<AppEnv>, action: string, email?: string): Promise<void> {
  const env = c.get('env');
  const checks: Array<Promise<{ success: boolean }>> = [
    env.RL_AUTH_IP.limit({ key: `${action}:ip:${clientIp(c)}` }),
  ];
  if (email)
    checks.push(env.RL_AUTH_EMAIL.limit({ key: `${action}:email:${email.toLowerCase()}` }));
  const results = await Promise.all(checks);
  if (results.some((r) => !r.success)) {
    throw new ApiError('RATE_LIMITED', '요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.', {
      headers: { 'Retry-After': String(WINDOW_SECONDS) },
    });
  }
}
