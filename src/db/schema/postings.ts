import {
  bigint,
  boolean,
  index,
  int,
  mediumtext,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  tinyint,
  uniqueIndex,
  varchar,
  date,
} from 'drizzle-orm/mysql-core';
import { at, createdAt, deletedAt, id, ref, timestamps } from './columns.ts';

export const POSTING_STATUSES = ['draft', 'published', 'archived'] as const;

export const postings = mysqlTable(
  'postings',
  {
    id: id(),
    authorId: ref('author_id').notNull(),
    title: varchar('title', { length: 200 }).notNull(),
    content: mediumtext('content').notNull(),
    status: mysqlEnum('status', POSTING_STATUSES).notNull().default('draft'),
    /** false = hidden: only the author and admins see it. */
    isPublic: boolean('is_public').notNull().default(true),
    isMembership: boolean('is_membership').notNull().default(false),
    membershipLevel: tinyint('membership_level', { unsigned: true }),
    allowIndividualPurchase: boolean('allow_individual_purchase').notNull().default(false),
    individualPurchasePrice: bigint('individual_purchase_price', {
      mode: 'number',
      unsigned: true,
    }),
    isSensitive: boolean('is_sensitive').notNull().default(false),
    allowComments: boolean('allow_comments').notNull().default(true),
    publishStartAt: at('publish_start_at'),
    publishEndAt: at('publish_end_at'),
    /** When it became (or becomes, if scheduled) visible: the feed's sort key. */
    publishedAt: at('published_at'),
    archivedAt: at('archived_at'),
    totalViewCount: int('total_view_count', { unsigned: true }).notNull().default(0),
    uniqueViewCount: int('unique_view_count', { unsigned: true }).notNull().default(0),
    likeCount: int('like_count', { unsigned: true }).notNull().default(0),
    commentCount: int('comment_count', { unsigned: true }).notNull().default(0),
    deletedAt: deletedAt(),
    ...timestamps(),
  },
  (t) => [
    // Public feed / explore: published postings, newest first (keyset on published_at, id). Both feed indexes
    // also carry every column of the "live now" filter, so a page's ids are found from the index alone (no
    // row reads for the postings skipped by an offset or filtered out); the page's rows are then read by id.
    index('postings_feed_idx').on(
      t.status,
      t.publishedAt,
      t.id,
      t.isPublic,
      t.isMembership,
      t.deletedAt,
      t.publishStartAt,
      t.publishEndAt,
    ),
    // A creator's page and the personal feed (a join over followed authors).
    index('postings_author_published_idx').on(
      t.authorId,
      t.publishedAt,
      t.id,
      t.status,
      t.isPublic,
      t.isMembership,
      t.deletedAt,
      t.publishStartAt,
      t.publishEndAt,
    ),
    // The author's own list, drafts included.
    index('postings_author_created_idx').on(t.authorId, t.createdAt, t.id),
    // Scheduled publishing cron.
    index('postings_scheduled_idx').on(t.status, t.publishStartAt),
  ],
);

export const postingMedias = mysqlTable(
  'posting_medias',
  {
    id: id(),
    postingId: ref('posting_id').notNull(),
    mediaId: ref('media_id').notNull(),
    sortOrder: int('sort_order', { unsigned: true }).notNull().default(0),
    isFreePreview: boolean('is_free_preview').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('posting_medias_posting_media_uq').on(t.postingId, t.mediaId),
    index('posting_medias_media_idx').on(t.mediaId),
  ],
);

/** One row per viewer per posting per UTC day: the unique-view counter's idempotency. */
export const postingViews = mysqlTable(
  'posting_views',
  {
    postingId: ref('posting_id').notNull(),
    /** The viewer's user id, or `ip:` + a keyed hash of the address for anonymous viewers. */
    viewerKey: varchar('viewer_key', { length: 80 }).notNull(),
    viewDay: date('view_day', { mode: 'string' }).notNull(),
    count: int('count', { unsigned: true }).notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'posting_views_pk', columns: [t.postingId, t.viewerKey, t.viewDay] }),
    index('posting_views_day_idx').on(t.viewDay),
  ],
);

export const postingLikes = mysqlTable(
  'posting_likes',
  {
    postingId: ref('posting_id').notNull(),
    userId: ref('user_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'posting_likes_pk', columns: [t.postingId, t.userId] }),
    index('posting_likes_user_idx').on(t.userId, t.createdAt),
  ],
);

export const postingPurchases = mysqlTable(
  'posting_purchases',
  {
    id: id(),
    postingId: ref('posting_id').notNull(),
    buyerId: ref('buyer_id').notNull(),
    price: bigint('price', { mode: 'number', unsigned: true }).notNull(),
    transferId: ref('transfer_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('posting_purchases_posting_buyer_uq').on(t.postingId, t.buyerId),
    index('posting_purchases_buyer_idx').on(t.buyerId, t.createdAt),
  ],
);

export const comments = mysqlTable(
  'comments',
  {
    id: id(),
    postingId: ref('posting_id').notNull(),
    authorId: ref('author_id').notNull(),
    /** Replies are one level deep: a reply's parent is always a top-level comment. */
    parentId: ref('parent_id'),
    taggedUserId: ref('tagged_user_id'),
    content: varchar('content', { length: 1000 }).notNull(),
    likeCount: int('like_count', { unsigned: true }).notNull().default(0),
    replyCount: int('reply_count', { unsigned: true }).notNull().default(0),
    deletedAt: deletedAt(),
    ...timestamps(),
  },
  (t) => [
    index('comments_posting_parent_idx').on(t.postingId, t.parentId, t.createdAt, t.id),
    index('comments_parent_idx').on(t.parentId, t.createdAt, t.id),
    index('comments_author_idx').on(t.authorId, t.createdAt),
  ],
);

export const commentLikes = mysqlTable(
  'comment_likes',
  {
    commentId: ref('comment_id').notNull(),
    userId: ref('user_id').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'comment_likes_pk', columns: [t.commentId, t.userId] }),
    index('comment_likes_user_idx').on(t.userId),
  ],
);

export type Posting = typeof postings.$inferSelect;
export type Comment = typeof comments.$inferSelect;
