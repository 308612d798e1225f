import { sql } from 'drizzle-orm';
import {
  index,
  json,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  tinyint,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core';
import { at, createdAt, id, ref, timestamps } from './columns.ts';

export const userFollows = mysqlTable(
  'user_follows',
  {
    followerId: ref('follower_id').notNull(),
    followingId: ref('following_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'user_follows_pk', columns: [t.followerId, t.followingId] }),
    // Both directions, newest first.
    index('user_follows_follower_created_idx').on(t.followerId, t.createdAt),
    index('user_follows_following_created_idx').on(t.followingId, t.createdAt),
  ],
);

export const REPORT_TARGETS = ['user', 'posting', 'comment'] as const;
export const REPORT_REASONS = [
  'spam',
  'harassment',
  'inappropriate',
  'copyright',
  'fraud',
  'other',
] as const;
export const REPORT_STATUSES = ['pending', 'reviewing', 'resolved', 'rejected'] as const;

export const reports = mysqlTable(
  'reports',
  {
    id: id(),
    reporterId: ref('reporter_id').notNull(),
    targetType: mysqlEnum('target_type', REPORT_TARGETS).notNull(),
    targetId: ref('target_id').notNull(),
    reason: mysqlEnum('reason', REPORT_REASONS).notNull(),
    description: varchar('description', { length: 1000 }),
    status: mysqlEnum('status', REPORT_STATUSES).notNull().default('pending'),
    resolvedBy: ref('resolved_by'),
    resolvedAt: at('resolved_at'),
    adminNote: varchar('admin_note', { length: 1000 }),
    // 1 while open, NULL once closed: one open report per reporter and target.
    openFlag: tinyint('open_flag').generatedAlwaysAs(
      sql`(case when status in ('pending','reviewing') then 1 end)`,
      {
        mode: 'stored',
      },
    ),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('reports_one_open_uq').on(t.reporterId, t.targetType, t.targetId, t.openFlag),
    index('reports_status_created_idx').on(t.status, t.createdAt),
    index('reports_target_idx').on(t.targetType, t.targetId),
  ],
);

export const notifications = mysqlTable(
  'notifications',
  {
    id: id(),
    userId: ref('user_id').notNull(),
    type: varchar('type', { length: 50 }).notNull(),
    title: varchar('title', { length: 200 }).notNull(),
    body: varchar('body', { length: 1000 }),
    data: json('data').$type<Record<string, unknown>>(),
    readAt: at('read_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('notifications_user_created_idx').on(t.userId, t.createdAt, t.id),
    index('notifications_user_read_idx').on(t.userId, t.readAt),
  ],
);
