// Profiles: the viewer's own summary and a public profile by handle, each in a fixed number of queries.
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { grantsAccess } from './gate.ts';
import { tierView, type TierView } from './memberships.ts';
import { KNG_TOKEN_TYPE_ID } from '../db/reference-data.ts';
import {
  creatorCategories,
  creators,
  membershipItems,
  subscriptions,
  users,
  wallets,
  type User,
} from '../db/schema/index.ts';

export const DEFAULT_BIO = '소개글을 준비중입니다';

/** One query: the user row, whether they are a creator, and their KNG balance. */
export async function viewerSummary(
  db: Database,
  userId: string,
): Promise<{ user: User; isCreator: boolean; points: number } | null> {
  const [row] = await db
    .select({ user: users, creatorId: creators.id, balance: wallets.balance })
    .from(users)
    .leftJoin(creators, and(eq(creators.userId, users.id), eq(creators.isActive, true)))
    .leftJoin(
      wallets,
      and(eq(wallets.ownerId, users.id), eq(wallets.tokenTypeId, KNG_TOKEN_TYPE_ID)),
    )
    .where(eq(users.id, userId))
    .limit(1);
  if (!row) return null;
  return { user: row.user, isCreator: row.creatorId !== null, points: row.balance ?? 0 };
}

export interface ProfileView {
  id: string;
  handle: string;
  name: string;
  avatar: string | null;
  /** The cover image (3:1 banner), or the creator's older banner. */
  bannerImage: string | null;
  bio: string;
  isCreator: boolean;
  isVerified: boolean;
  followersCount: number;
  followingCount: number;
  postsCount: number;
  mediaCount: number;
  userSub: string;
  isFollowing: boolean;
  category: {
    id: string;
    name: string;
    description: string | null;
    color_code: string | null;
    icon: string | null;
    sort_order: number;
  } | null;
  membershipItems: TierView[];
  hasSubscription: boolean;
  subscribedMembershipIds: string[];
}

const n = (v: unknown) => Number(v ?? 0);

/** A public profile by handle: 3 queries (4 with a signed-in viewer), run in parallel after the first. */
export async function getProfile(
  db: Database,
  handle: string,
  viewerId: string | null,
  now: Date,
): Promise<ProfileView | null> {
  const [row] = await db
    .select({ user: users, creator: creators, category: creatorCategories })
    .from(users)
    .leftJoin(creators, and(eq(creators.userId, users.id), eq(creators.isActive, true)))
    .leftJoin(creatorCategories, eq(creatorCategories.id, creators.categoryId))
    .where(and(eq(users.handle, handle), eq(users.status, 'active')))
    .limit(1);
  if (!row) return null;
  const id = row.user.id;

  const countsQuery = db.execute(sql`select
      (select count(*) from user_follows where following_id = ${id}) as followers,
      (select count(*) from user_follows where follower_id = ${id}) as following,
      (select count(*) from postings where author_id = ${id} and status = 'published' and deleted_at is null
         and is_public = true and (publish_start_at is null or publish_start_at <= ${now})
         and (publish_end_at is null or publish_end_at > ${now})) as posts,
      (select count(*) from medias where owner_id = ${id} and deleted_at is null and status = 'ready') as media,
      ${viewerId ? sql`(select count(*) from user_follows where follower_id = ${viewerId} and following_id = ${id})` : sql`0`} as is_following`);
  const itemsQuery = row.creator
    ? db
        .select()
        .from(membershipItems)
        .where(
          and(
            eq(membershipItems.creatorId, id),
            isNull(membershipItems.deletedAt),
            eq(membershipItems.isActive, true),
          ),
        )
        .orderBy(asc(membershipItems.level))
    : Promise.resolve([]);
  const subscribedQuery = viewerId
    ? db
        .select({ itemId: subscriptions.membershipItemId })
        .from(subscriptions)
        .where(
          and(
            eq(subscriptions.subscriberId, viewerId),
            eq(subscriptions.creatorId, id),
            grantsAccess(now),
          ),
        )
    : Promise.resolve([]);
  const [counts, items, subscribed] = await Promise.all([countsQuery, itemsQuery, subscribedQuery]);
  const c = (counts.rows[0] ?? {}) as Record<string, unknown>;
  const subscribedIds = subscribed.map((s) => s.itemId);
  return {
    id,
    handle: row.user.handle,
    name: row.user.nickname,
    avatar: row.user.avatarUrl,
    bannerImage: row.user.coverUrl ?? row.creator?.bannerUrl ?? null,
    bio: row.user.bio ?? DEFAULT_BIO,
    isCreator: row.creator !== null,
    isVerified: false,
    followersCount: n(c.followers),
    followingCount: n(c.following),
    postsCount: n(c.posts),
    mediaCount: n(c.media),
    userSub: id,
    isFollowing: n(c.is_following) > 0,
    category: row.category
      ? {
          id: row.category.id,
          name: row.category.name,
          description: row.category.description,
          color_code: row.category.colorCode,
          icon: row.category.icon,
          sort_order: row.category.sortOrder,
        }
      : null,
    membershipItems: items.map(tierView),
    hasSubscription: subscribedIds.length > 0,
    subscribedMembershipIds: subscribedIds,
  };
}
