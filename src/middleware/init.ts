// Parses env once per isolate, builds the request's services and writes one access-log line.
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context.ts';
import { createDb, type DbStats } from '../db/client.ts';
import { parseEnv } from '../env.ts';
import { createLogger } from '../lib/logger.ts';

export const systemClock = { now: () => new Date() };

export const init = createMiddleware<AppEnv>(async (c, next) => {
  const started = performance.now();
  const env = parseEnv(c.env);
  const logger = createLogger(env.LOG_LEVEL, { requestId: c.get('requestId') });
  const dbStats: DbStats = { roundTrips: 0 };
  c.set('env', env);
  // A per-request client: every statement has the configured deadline, and after the first outage
  // the request's later statements fail at once (it answers 503 within about one deadline).
  const db = createDb(env.DATABASE_URL, dbStats, {
    timeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
    failFast: true,
    background: (work) => {
      try {
        c.executionCtx.waitUntil(work);
      } catch {
        // No execution context (app.request in tests): the promise runs on its own.
      }
    },
  });
  c.set('services', { db, dbStats, logger, clock: systemClock });
  await next();
  // Outside production, every response says how many database round trips it cost (tests count them).
  if (env.APP_ENV !== 'production') c.header('X-Db-Round-Trips', String(dbStats.roundTrips));
  logger.info('request', {
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    ms: Math.round((performance.now() - started) * 100) / 100,
    dbRoundTrips: dbStats.roundTrips,
  });
});
