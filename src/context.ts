import type { RequestIdVariables } from 'hono/request-id';
import type { Database, DbStats } from './db/client.ts';
import type { Bindings, Env } from './env.ts';
import type { Logger } from './lib/logger.ts';

export interface Clock {
  now(): Date;
}

/** Per-request services, built by the init middleware. */
export interface Services {
  db: Database;
  dbStats: DbStats;
  logger: Logger;
  clock: Clock;
}

/** The signed-in user behind a request (from a verified Cognito access token). */
export interface Viewer {
  id: string;
  username: string;
  accessToken: string;
  expiresAt: Date;
  /**
   * The user's row as this request found it (null: no local mirror yet); read on every
   * authenticated request.
   */
  account?: { status: string; role: string; isCreator: boolean } | null;
}

export type AppEnv = {
  Bindings: Bindings;
  Variables: RequestIdVariables & {
    env: Env;
    services: Services;
    viewer: Viewer | null;
  };
};
