import {
  boolean,
  date,
  index,
  int,
  mediumtext,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  varchar,
} from 'drizzle-orm/mysql-core';
import { at, createdAt, deletedAt, id, ref, timestamps } from './columns.ts';

export const BOARD_CATEGORIES = ['notice', 'event'] as const;
export type BoardCategory = (typeof BOARD_CATEGORIES)[number];

/**
 * A notice on the public board (공지사항, 이벤트). Written by admins; every change records who made it
 * (created_by … restored_by) so that the audit log of a later issue can be filled from these
 * columns.
 */
export const boardPosts = mysqlTable(
  'board_posts',
  {
    id: id(),
    category: mysqlEnum('category', BOARD_CATEGORIES).notNull(),
    title: varchar('title', { length: 200 }).notNull(),
    content: mediumtext('content').notNull(),
    excerpt: varchar('excerpt', { length: 500 }),
    author: varchar('author', { length: 100 }).notNull().default('크리팬스 관리자'),
    isImportant: boolean('is_important').notNull().default(false),
    isPublished: boolean('is_published').notNull().default(true),
    publishedAt: at('published_at'),
    views: int('views', { unsigned: true }).notNull().default(0),
    createdBy: ref('created_by').notNull(),
    updatedBy: ref('updated_by'),
    deletedBy: ref('deleted_by'),
    deletedAt: deletedAt(),
    restoredBy: ref('restored_by'),
    restoredAt: at('restored_at'),
    ...timestamps(),
  },
  (t) => [
    // The public list: published, live, by category, pinned first, newest first.
    index('board_posts_public_idx').on(
      t.isPublished,
      t.deletedAt,
      t.category,
      t.isImportant,
      t.publishedAt,
      t.id,
    ),
    // The admin list, deleted included, newest first.
    index('board_posts_admin_idx').on(t.category, t.createdAt, t.id),
  ],
);

/** One row per viewer per notice per Korean calendar day: a view counts once, whatever the race. */
export const boardViews = mysqlTable(
  'board_views',
  {
    boardPostId: ref('board_post_id').notNull(),
    /** `u:` + user id, or `ip:` + a keyed hash of the address (see domain/views.ts viewerKey). */
    viewerKey: varchar('viewer_key', { length: 80 }).notNull(),
    viewDay: date('view_day', { mode: 'string' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'board_views_pk', columns: [t.boardPostId, t.viewerKey, t.viewDay] }),
    index('board_views_viewer_idx').on(t.viewerKey),
  ],
);

export type BoardPost = typeof boardPosts.$inferSelect;
