// Follows: who follows whom, both ways, with the page/limit pagination the web client reads.
import { and, count, desc, eq, inArray } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { userFollows, users } from '../db/schema/index.ts';
import { ApiError } from '../lib/errors.ts';
import { isDuplicateKey } from './identity.ts';

async function assertUser(db: Database, userId: string): Promise<void> {
  const [row] = await db.select({ id: users.id }).from(users).where(and(eq(users.id, userId), eq(users.status, 'active'))).limit(1);
  if (!row) throw new ApiError('NOT_FOUND', '사용자를 찾을 수 없습니다.');
}

export async function follow(db: Database, followerId: string, followingId: string): Promise<{ followId: string; followedAt: string }> {
  if (followerId === followingId) throw new ApiError('CANNOT_FOLLOW_SELF', '자기 자신은 팔로우할 수 없습니다.');
  await assertUser(db, followingId);
  try {
    await db.insert(userFollows).values({ followerId, followingId });
  } catch (err) {
    if (isDuplicateKey(err)) throw new ApiError('ALREADY_FOLLOWING', '이미 팔로우하고 있습니다.');
    throw err;
  }
  const [row] = await db.select().from(userFollows).where(and(eq(userFollows.followerId, followerId), eq(userFollows.followingId, followingId)));
  return { followId: `${followerId}:${followingId}`, followedAt: row.createdAt.toISOString() };
}

export async function unfollow(db: Database, followerId: string, followingId: string): Promise<void> {
  const removed = await db.delete(userFollows).where(and(eq(userFollows.followerId, followerId), eq(userFollows.followingId, followingId)));
  if (removed.rowsAffected !== 1) throw new ApiError('NOT_FOUND', '팔로우하고 있지 않습니다.');
}

export interface FollowPage {
  items: Array<{ userId: string; nickname: string; handle: string; avatar: string | null; followedAt: string; isFollowedByRequester: boolean }>;
  pagination: { page: number; limit: number; totalCount: number; totalPages: number; hasNext: boolean; hasPrev: boolean };
}

/** `direction` 'following' lists whom `userId` follows; 'followers' lists who follows `userId`. Three queries. */
export async function followList(db: Database, userId: string, direction: 'following' | 'followers', page: number, limit: number, requesterId: string | null): Promise<FollowPage> {
  await assertUser(db, userId);
  const mine = direction === 'following' ? eq(userFollows.followerId, userId) : eq(userFollows.followingId, userId);
  const other = direction === 'following' ? userFollows.followingId : userFollows.followerId;
  const [rows, [{ total }]] = await Promise.all([
    db
      .select({ id: users.id, nickname: users.nickname, handle: users.handle, avatar: users.avatarUrl, followedAt: userFollows.createdAt })
      .from(userFollows)
      .innerJoin(users, eq(users.id, other))
      .where(mine)
      .orderBy(desc(userFollows.createdAt), desc(other))
      .limit(limit)
      .offset((page - 1) * limit),
    db.select({ total: count() }).from(userFollows).where(mine),
  ]);
  const ids = rows.map((r) => r.id);
  const followedBack =
    requesterId && ids.length
      ? new Set(
          (await db.select({ id: userFollows.followingId }).from(userFollows).where(and(eq(userFollows.followerId, requesterId), inArray(userFollows.followingId, ids)))).map(
            (r) => r.id,
          ),
        )
      : new Set<string>();
  const totalPages = Math.max(1, Math.ceil(total / limit));
  return {
    items: rows.map((r) => ({ userId: r.id, nickname: r.nickname, handle: r.handle, avatar: r.avatar, followedAt: r.followedAt.toISOString(), isFollowedByRequester: followedBack.has(r.id) })),
    pagination: { page, limit, totalCount: total, totalPages, hasNext: page < totalPages, hasPrev: page > 1 },
  };
}
