// Follows: who follows whom, both ways, with the page/limit pagination the web client reads.
import { and, count, desc, eq, inArray, lt, or } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { userFollows, users } from '../db/schema/index.ts';
import { encodeCursor, type Keyset } from '../lib/cursor.ts';
import { ApiError } from '../lib/errors.ts';
import { isDuplicateKey } from './identity.ts';

async function assertUser(db: Database, userId: string): Promise<void> {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.status, 'active')))
    .limit(1);
  if (!row) throw new ApiError('NOT_FOUND', '사용자를 찾을 수 없습니다.');
}

/** Who follows (`followerId`) whom (`followingId`). */
export interface FollowEdge {
  followerId: string;
  followingId: string;
}

export async function follow(
  db: Database,
  { followerId, followingId }: FollowEdge,
): Promise<{ followId: string; followedAt: string }> {
  if (followerId === followingId)
    throw new ApiError('CANNOT_FOLLOW_SELF', '자기 자신은 팔로우할 수 없습니다.');
  await assertUser(db, followingId);
  try {
    await db.insert(userFollows).values({ followerId, followingId });
  } catch (err) {
    if (isDuplicateKey(err)) throw new ApiError('ALREADY_FOLLOWING', '이미 팔로우하고 있습니다.');
    throw err;
  }
  const [row] = await db
    .select()
    .from(userFollows)
    .where(and(eq(userFollows.followerId, followerId), eq(userFollows.followingId, followingId)));
  return { followId: `${followerId}:${followingId}`, followedAt: row.createdAt.toISOString() };
}

export async function unfollow(
  db: Database,
  { followerId, followingId }: FollowEdge,
): Promise<void> {
  const removed = await db
    .delete(userFollows)
    .where(and(eq(userFollows.followerId, followerId), eq(userFollows.followingId, followingId)));
  if (removed.rowsAffected !== 1) throw new ApiError('NOT_FOUND', '팔로우하고 있지 않습니다.');
}

export interface FollowPage {
  items: Array<{
    userId: string;
    nickname: string;
    handle: string;
    avatar: string | null;
    followedAt: string;
    isFollowedByRequester: boolean;
  }>;
  pagination: {
    page: number | null;
    limit: number;
    totalCount: number;
    totalPages: number;
    hasNext: boolean;
    hasPrev: boolean;
  };
  /** Keyset cursor for the next page (also given in page mode, so a client can switch). */
  nextCursor: string | null;
}

/** Which of `ids` the requester follows (one query; none without a requester). */
async function followedBy(db: Database, requesterId: string | null, ids: string[]) {
  if (!requesterId || !ids.length) return new Set<string>();
  const rows = await db
    .select({ id: userFollows.followingId })
    .from(userFollows)
    .where(and(eq(userFollows.followerId, requesterId), inArray(userFollows.followingId, ids)));
  return new Set(rows.map((r) => r.id));
}

function pagination(p: { page: number | null; limit: number; total: number; more: boolean }) {
  const { page, limit, total, more } = p;
  return {
    page,
    limit,
    totalCount: total,
    totalPages: Math.max(1, Math.ceil(total / limit)),
    hasNext: more,
    hasPrev: page ? page > 1 : true,
  };
}

export interface FollowListQuery {
  userId: string;
  direction: 'following' | 'followers';
  page?: number;
  after?: Keyset | null;
  limit: number;
  requesterId: string | null;
}

/**
 * `direction` 'following' lists whom `userId` follows; 'followers' lists who follows `userId`. Pages by
 * `page` (offset, as the web client asks) or by keyset cursor. Three queries.
 */
export async function followList(db: Database, q: FollowListQuery): Promise<FollowPage> {
  const { userId, direction, limit, requesterId } = q;
  await assertUser(db, userId);
  const mine =
    direction === 'following'
      ? eq(userFollows.followerId, userId)
      : eq(userFollows.followingId, userId);
  const other = direction === 'following' ? userFollows.followingId : userFollows.followerId;
  const after = q.after ?? null;
  const page = after ? null : (q.page ?? 1);
  const keyset = after
    ? or(
        lt(userFollows.createdAt, after.at),
        and(eq(userFollows.createdAt, after.at), lt(other, after.id)),
      )
    : undefined;
  const [fetched, [{ total }]] = await Promise.all([
    db
      .select({
        id: users.id,
        nickname: users.nickname,
        handle: users.handle,
        avatar: users.avatarUrl,
        followedAt: userFollows.createdAt,
      })
      .from(userFollows)
      .innerJoin(users, eq(users.id, other))
      .where(and(mine, keyset))
      .orderBy(desc(userFollows.createdAt), desc(other))
      .limit(limit + 1)
      .offset(page ? (page - 1) * limit : 0),
    db.select({ total: count() }).from(userFollows).where(mine),
  ]);
  const rows = fetched.slice(0, limit);
  const more = fetched.length > limit;
  const last = rows[rows.length - 1];
  const ids = rows.map((r) => r.id);
  const followedBack = await followedBy(db, requesterId, ids);
  return {
    items: rows.map((r) => ({
      userId: r.id,
      nickname: r.nickname,
      handle: r.handle,
      avatar: r.avatar,
      followedAt: r.followedAt.toISOString(),
      isFollowedByRequester: followedBack.has(r.id),
    })),
    pagination: pagination({ page, limit, total, more }),
    nextCursor: more && last ? encodeCursor({ at: last.followedAt, id: last.id }) : null,
  };
}
