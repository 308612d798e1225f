import { sql } from 'drizzle-orm';
import {
  bigint,
  index,
  json,
  mysqlEnum,
  mysqlTable,
  tinyint,
  uniqueIndex,
} from 'drizzle-orm/mysql-core';
import { at, id, ref, timestamps } from './columns.ts';

/**
 * A subscription whose renewal the deletion request turned off, and the status to give back on
 * cancel.
 */
export interface StoppedSubscription {
  id: string;
  status: 'trialing' | 'active' | 'grace';
}

/**
 * A request to delete an account: pending through the grace period (signing in cancels it), then
 * claimed by the cron (processing: no longer cancellable), which removes the Cognito user,
 * anonymises the data and marks it completed, re-keyed to the anonymous id like every other
 * retained row.
 */
export const accountDeletions = mysqlTable(
  'account_deletions',
  {
    id: id(),
    userId: ref('user_id').notNull(),
    status: mysqlEnum('status', ['pending', 'processing', 'canceled', 'completed'])
      .notNull()
      .default('pending'),
    requestedAt: at('requested_at').notNull(),
    scheduledAt: at('scheduled_at').notNull(),
    canceledAt: at('canceled_at'),
    completedAt: at('completed_at'),
    stoppedSubscriptions: json('stopped_subscriptions').$type<StoppedSubscription[]>(),
    forfeitedAmount: bigint('forfeited_amount', { mode: 'number', unsigned: true })
      .notNull()
      .default(0),
    // 1 while pending or processing, NULL otherwise: at most one open request per user.
    liveFlag: tinyint('live_flag', { unsigned: true }).generatedAlwaysAs(
      sql`(case when status in ('pending','processing') then 1 end)`,
      {
        mode: 'stored',
      },
    ),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('account_deletions_one_pending_uq').on(t.userId, t.liveFlag),
    // The cron: pending requests whose grace period is over.
    index('account_deletions_due_idx').on(t.status, t.scheduledAt),
  ],
);

export type AccountDeletion = typeof accountDeletions.$inferSelect;
