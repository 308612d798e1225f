// Column helpers shared by every table: time-ordered ids, UTC millisecond timestamps, soft delete.
import { sql } from 'drizzle-orm';
import { char, datetime } from 'drizzle-orm/mysql-core';
import { uuidv7 } from 'uuidv7';

/** UUIDv7 primary key: sorts by creation, so it doubles as the cursor tie-breaker. */
export const id = () =>
  char('id', { length: 36 })
    .primaryKey()
    .$defaultFn(() => uuidv7());

/** A reference to another row's id (UUIDv7 or Cognito sub); integrity is kept by the domain, not FKs (PlanetScale). */
export const ref = (name: string) => char(name, { length: 36 });

export const at = (name: string) => datetime(name, { mode: 'date', fsp: 3 });

export const createdAt = () =>
  at('created_at')
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`);

export const updatedAt = () =>
  at('updated_at')
    .notNull()
    .default(sql`CURRENT_TIMESTAMP(3)`)
    .$onUpdate(() => new Date());

export const timestamps = () => ({ createdAt: createdAt(), updatedAt: updatedAt() });

export const deletedAt = () => at('deleted_at');

export const PERIOD_UNITS = ['DAY', 'WEEK', 'MONTH', 'YEAR'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];
