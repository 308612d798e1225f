import {
  boolean,
  char,
  index,
  int,
  mysqlEnum,
  mysqlTable,
  text,
  uniqueIndex,
  varchar,
} from 'drizzle-orm/mysql-core';
import { at, createdAt, deletedAt, id, ref, timestamps } from './columns.ts';

/** Local mirror of the Cognito user pool, keyed by the Cognito `sub`. Handle and nickname live here. */
export const users = mysqlTable(
  'users',
  {
    id: char('id', { length: 36 }).primaryKey(),
    email: varchar('email', { length: 320 }).notNull(),
    handle: varchar('handle', { length: 32 }).notNull(),
    nickname: varchar('nickname', { length: 30 }).notNull(),
    name: varchar('name', { length: 100 }).notNull(),
    phoneNumber: varchar('phone_number', { length: 20 }),
    avatarUrl: varchar('avatar_url', { length: 1024 }),
    bio: text('bio'),
    status: mysqlEnum('status', ['pending', 'active', 'suspended', 'deleted'])
      .notNull()
      .default('pending'),
    role: mysqlEnum('role', ['user', 'admin']).notNull().default('user'),
    confirmedAt: at('confirmed_at'),
    deletedAt: deletedAt(),
    ...timestamps(),
    /** The profile picture and cover image (media of purpose avatar / cover); their URLs are in avatarUrl, coverUrl. */
    avatarMediaId: ref('avatar_media_id'),
    coverMediaId: ref('cover_media_id'),
    coverUrl: varchar('cover_url', { length: 1024 }),
  },
  (t) => [
    uniqueIndex('users_email_uq').on(t.email),
    uniqueIndex('users_handle_uq').on(t.handle),
    index('users_nickname_idx').on(t.nickname),
    // The wallet sweeper: confirmed users, oldest first.
    index('users_status_confirmed_idx').on(t.status, t.confirmedAt),
  ],
);

export const earlybirds = mysqlTable(
  'earlybirds',
  {
    id: id(),
    userId: ref('user_id').notNull(),
    joinedAt: createdAt(),
    rewardedAt: at('rewarded_at'),
  },
  (t) => [uniqueIndex('earlybirds_user_uq').on(t.userId)],
);

export const creatorCategories = mysqlTable(
  'creator_categories',
  {
    id: id(),
    name: varchar('name', { length: 50 }).notNull(),
    description: text('description'),
    colorCode: varchar('color_code', { length: 7 }),
    icon: varchar('icon', { length: 64 }),
    sortOrder: int('sort_order').notNull().default(0),
    isActive: boolean('is_active').notNull().default(true),
    deletedAt: deletedAt(),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('creator_categories_name_uq').on(t.name),
    index('creator_categories_active_sort_idx').on(t.isActive, t.sortOrder),
  ],
);

export const creators = mysqlTable(
  'creators',
  {
    id: id(),
    userId: ref('user_id').notNull(),
    categoryId: ref('category_id'),
    isActive: boolean('is_active').notNull().default(true),
    bannerUrl: varchar('banner_url', { length: 1024 }),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex('creators_user_uq').on(t.userId),
    // Explore: newest creators, overall and per category (keyset on created_at, id).
    index('creators_created_idx').on(t.createdAt, t.id),
    index('creators_category_created_idx').on(t.categoryId, t.createdAt, t.id),
  ],
);

export type User = typeof users.$inferSelect;
export type NewUser = typeof users.$inferInsert;
export type Creator = typeof creators.$inferSelect;
export type CreatorCategory = typeof creatorCategories.$inferSelect;
