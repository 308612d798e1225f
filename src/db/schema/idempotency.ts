import { char, index, mysqlTable, primaryKey, varchar } from 'drizzle-orm/mysql-core';
import { createdAt } from './columns.ts';

/**
 * Idempotency-Key headers, one row per (user, key): the request the key was first used for (its
 * route as `scope`, and a SHA-256 fingerprint of route, path parameters and body). A key sent again
 * with another request is refused (409 IDEMPOTENCY_CONFLICT); the same request is replayed by the
 * domain's own keys.
 */
export const idempotencyKeys = mysqlTable(
  'idempotency_keys',
  {
    ownerId: char('owner_id', { length: 36 }).notNull(),
    clientKey: varchar('client_key', { length: 100 }).notNull(),
    scope: varchar('scope', { length: 64 }).notNull(),
    fingerprint: char('fingerprint', { length: 64 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'idempotency_keys_pk', columns: [t.ownerId, t.clientKey] }),
    index('idempotency_keys_created_idx').on(t.createdAt),
  ],
);
