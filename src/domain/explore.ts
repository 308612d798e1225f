// Explore: categories, and creators (newest, or by category) with their follower and post counts — three
// queries per page, no per-creator lookups.
import { and, asc, desc, eq, gt, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { creatorCategories, creators, postings, userFollows, users } from '../db/schema/index.ts';
import { encodeCursor, type Keyset } from '../lib/cursor.ts';
import { ApiError } from '../lib/errors.ts';
import { DEFAULT_BIO } from './profiles.ts';
import { liveNow } from './postings.ts';

export async function activeCategories(db: Database) {
  const rows = await db
    .select()
    .from(creatorCategories)
    .where(and(eq(creatorCategories.isActive, true), isNull(creatorCategories.deletedAt)))
    .orderBy(asc(creatorCategories.sortOrder));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    description: r.description,
    color_code: r.colorCode,
    icon: r.icon,
    sort_order: r.sortOrder,
    is_active: r.isActive,
  }));
}

const NEW_WINDOW_DAYS = 30;

export async function exploreCreators(
  db: Database,
  q: { categoryId?: string; newOnly: boolean; after: Keyset | null; limit: number; now: Date },
) {
  let category: Awaited<ReturnType<typeof activeCategories>>[number] | null = null;
  if (q.categoryId) {
    category = (await activeCategories(db)).find((c) => c.id === q.categoryId) ?? null;
    if (!category) throw new ApiError('NOT_FOUND', '카테고리를 찾을 수 없습니다.');
  }
  const since = new Date(q.now.getTime() - NEW_WINDOW_DAYS * 86_400_000);
  const conditions = [eq(creators.isActive, true), eq(users.status, 'active')];
  if (q.newOnly) conditions.push(gt(creators.createdAt, since));
  if (q.categoryId) conditions.push(eq(creators.categoryId, q.categoryId));
  if (q.after)
    conditions.push(
      or(
        lt(creators.createdAt, q.after.at),
        and(eq(creators.createdAt, q.after.at), lt(creators.id, q.after.id)),
      ) as ReturnType<typeof eq>,
    );
  const rows = await db
    .select({ creator: creators, user: users, category: creatorCategories })
    .from(creators)
    .innerJoin(users, eq(users.id, creators.userId))
    .leftJoin(creatorCategories, eq(creatorCategories.id, creators.categoryId))
    .where(and(...conditions))
    .orderBy(desc(creators.createdAt), desc(creators.id))
    .limit(q.limit + 1);
  const shown = rows.slice(0, q.limit);
  const ids = shown.map((r) => r.user.id);
  const [followers, posts] = ids.length
    ? await Promise.all([
        db
          .select({ id: userFollows.followingId, n: sql<number>`count(*)`.mapWith(Number) })
          .from(userFollows)
          .where(inArray(userFollows.followingId, ids))
          .groupBy(userFollows.followingId),
        db
          .select({ id: postings.authorId, n: sql<number>`count(*)`.mapWith(Number) })
          .from(postings)
          .where(and(inArray(postings.authorId, ids), liveNow(q.now)))
          .groupBy(postings.authorId),
      ])
    : [[], []];
  const followerCount = new Map(followers.map((f) => [f.id, f.n]));
  const postCount = new Map(posts.map((p) => [p.id, p.n]));
  const last = shown[shown.length - 1];
  return {
    ...(category ? { category } : {}),
    creators: shown.map(({ creator, user, category: cat }) => ({
      id: user.id,
      nickname: user.nickname,
      handle: user.handle,
      avatar: user.avatarUrl,
      bio: user.bio ?? DEFAULT_BIO,
      followerCount: followerCount.get(user.id) ?? 0,
      postCount: postCount.get(user.id) ?? 0,
      category: cat
        ? { id: cat.id, name: cat.name, color_code: cat.colorCode, icon: cat.icon }
        : null,
      isNew: creator.createdAt > since,
      bannerImage: user.coverUrl ?? creator.bannerUrl,
      created_at: creator.createdAt.toISOString(),
    })),
    nextCursor:
      rows.length > q.limit && last
        ? encodeCursor({ at: last.creator.createdAt, id: last.creator.id })
        : null,
    hasMore: rows.length > q.limit,
  };
}
