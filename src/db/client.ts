// The database client, built per request from env: the PlanetScale driver is plain fetch, so there is
// no connection to keep, and a module-level singleton would leak one request's state into another.
import { Client } from '@planetscale/database';
import { drizzle } from 'drizzle-orm/planetscale-serverless';
import * as schema from './schema/index.ts';

export interface DbStats {
  /** HTTP round trips to the database made through this client. */
  roundTrips: number;
}

export function createDb(url: string, stats: DbStats = { roundTrips: 0 }) {
  const client = new Client({
    url,
    fetch: (input, init) => {
      stats.roundTrips++;
      return fetch(input, init);
    },
  });
  return drizzle({ client, schema });
}

export type Database = ReturnType<typeof createDb>;
