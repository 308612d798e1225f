// Comments follow the gate: only a viewer with full access to a posting reads or writes its comments
// (invisible → 404, preview only → 403 CONTENT_LOCKED). Replies are one level deep; a deleted comment stays
// as a placeholder while it has replies; counts move only with real state changes.
import { and, desc, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Database } from '../db/client.ts';
import { commentLikes, comments, postings, users, type Comment } from '../db/schema/index.ts';
import { encodeCursor, type Keyset } from '../lib/cursor.ts';
import { ApiError } from '../lib/errors.ts';
import { gateFor } from './engagement.ts';

async function fullAccess(db: Database, viewerId: string | null, postingId: string, now: Date) {
  const { posting, decision } = await gateFor(db, viewerId, postingId, now);
  if (decision.access !== 'full')
    throw new ApiError('CONTENT_LOCKED', '멤버십 또는 구매가 필요한 포스팅입니다.');
  return posting;
}

async function commentOr404(db: Database, id: string): Promise<Comment> {
  const [row] = await db.select().from(comments).where(eq(comments.id, id));
  if (!row) throw new ApiError('NOT_FOUND', '댓글을 찾을 수 없습니다.');
  return row;
}

export async function createComment(
  db: Database,
  input: {
    authorId: string;
    postingId: string;
    content: string;
    parentId?: string | null;
    taggedUserId?: string | null;
    now: Date;
  },
) {
  const posting = await fullAccess(db, input.authorId, input.postingId, input.now);
  if (!posting.allowComments && posting.authorId !== input.authorId)
    throw new ApiError('COMMENTS_DISABLED', '댓글이 허용되지 않은 포스팅입니다.');
  if (input.parentId) {
    const parent = await commentOr404(db, input.parentId);
    if (parent.postingId !== posting.id || parent.parentId !== null || parent.deletedAt !== null) {
      throw new ApiError('VALIDATION_FAILED', '답글은 이 포스팅의 댓글에만 달 수 있습니다.', {
        details: [
          { path: 'parent_id', message: 'must be a live top-level comment of this posting' },
        ],
      });
    }
  }
  if (input.taggedUserId) {
    const [tagged] = await db
      .select({ id: users.id })
      .from(users)
      .where(eq(users.id, input.taggedUserId));
    if (!tagged) throw new ApiError('NOT_FOUND', '태그한 사용자를 찾을 수 없습니다.');
  }
  const id = uuidv7();
  await db.transaction(async (tx) => {
    await tx.insert(comments).values({
      id,
      postingId: posting.id,
      authorId: input.authorId,
      parentId: input.parentId ?? null,
      taggedUserId: input.taggedUserId ?? null,
      content: input.content,
    });
    await tx
      .update(postings)
      .set({ commentCount: sql`${postings.commentCount} + 1` })
      .where(eq(postings.id, posting.id));
    if (input.parentId)
      await tx
        .update(comments)
        .set({ replyCount: sql`${comments.replyCount} + 1` })
        .where(eq(comments.id, input.parentId));
  });
  return commentOr404(db, id);
}

/** Who acts on which comment, and when. */
export type CommentAction = { userId: string; commentId: string; now: Date };

export async function editComment(
  db: Database,
  {
    userId,
    commentId: id,
    now,
    ...patch
  }: CommentAction & {
    content: string;
    taggedUserId?: string | null;
  },
) {
  const row = await commentOr404(db, id);
  await fullAccess(db, userId, row.postingId, now);
  if (row.deletedAt) throw new ApiError('NOT_FOUND', '댓글을 찾을 수 없습니다.');
  if (row.authorId !== userId) throw new ApiError('FORBIDDEN', '자신의 댓글만 수정할 수 있습니다.');
  await db
    .update(comments)
    .set({
      content: patch.content,
      ...(patch.taggedUserId !== undefined ? { taggedUserId: patch.taggedUserId } : {}),
    })
    .where(eq(comments.id, id));
  return commentOr404(db, id);
}

/** Soft delete by the comment's author, the posting's author or an admin (the gate says who is admin). */
export async function deleteComment(
  db: Database,
  { userId, commentId: id, now }: CommentAction,
): Promise<void> {
  const row = await commentOr404(db, id);
  const { posting, decision } = await gateFor(db, userId, row.postingId, now);
  const moderator =
    decision.access === 'full' && (decision.reason === 'admin' || posting.authorId === userId);
  if (row.authorId !== userId && !moderator)
    throw new ApiError('FORBIDDEN', '자신의 댓글만 삭제할 수 있습니다.');
  await db.transaction(async (tx) => {
    const gone = await tx
      .update(comments)
      .set({ deletedAt: now })
      .where(and(eq(comments.id, id), isNull(comments.deletedAt)));
    if (gone.rowsAffected !== 1) return;
    await tx
      .update(postings)
      .set({ commentCount: sql`${postings.commentCount} - 1` })
      .where(and(eq(postings.id, row.postingId), sql`${postings.commentCount} > 0`));
    if (row.parentId)
      await tx
        .update(comments)
        .set({ replyCount: sql`${comments.replyCount} - 1` })
        .where(and(eq(comments.id, row.parentId), sql`${comments.replyCount} > 0`));
  });
}

export async function likeComment(
  db: Database,
  { userId, commentId: id, on, now }: CommentAction & { on: boolean },
): Promise<{ liked: boolean; likeCount: number }> {
  const row = await commentOr404(db, id);
  await fullAccess(db, userId, row.postingId, now);
  if (row.deletedAt) throw new ApiError('NOT_FOUND', '댓글을 찾을 수 없습니다.');
  await db.transaction(async (tx) => {
    // The liker's own row first (as for posting likes): one user's interleaved like and unlike
    // requests queue instead of deadlocking on the like row; the comment's counter row is locked
    // last.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
    if (on) {
      const added = await tx.insert(commentLikes).ignore().values({ commentId: id, userId });
      if (added.rowsAffected === 1)
        await tx
          .update(comments)
          .set({ likeCount: sql`${comments.likeCount} + 1` })
          .where(eq(comments.id, id));
    } else {
      const removed = await tx
        .delete(commentLikes)
        .where(and(eq(commentLikes.commentId, id), eq(commentLikes.userId, userId)));
      if (removed.rowsAffected === 1)
        await tx
          .update(comments)
          .set({ likeCount: sql`${comments.likeCount} - 1` })
          .where(and(eq(comments.id, id), sql`${comments.likeCount} > 0`));
    }
  });
  const [after] = await db
    .select({ n: comments.likeCount })
    .from(comments)
    .where(eq(comments.id, id));
  return { liked: on, likeCount: after?.n ?? 0 };
}

type Person = { userId: string; handle: string; name: string; avatar: string | null };

function rowView(c: Comment) {
  return {
    id: c.id,
    posting_id: c.postingId,
    author_id: c.authorId,
    parent_id: c.parentId,
    tagged_user_id: c.taggedUserId,
    content: c.deletedAt ? null : c.content,
    is_deleted: c.deletedAt !== null,
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
  };
}

/** Authors and tagged users of `rows`, and which of them the viewer liked (two queries at most). */
async function peopleAndLikes(db: Database, viewerId: string | null, rows: Comment[]) {
  const peopleIds = [
    ...new Set(
      rows.flatMap((r) => [r.authorId, r.taggedUserId]).filter((x): x is string => Boolean(x)),
    ),
  ];
  const ids = rows.map((r) => r.id);
  const [people, liked] = await Promise.all([
    peopleIds.length
      ? db
          .select({
            userId: users.id,
            handle: users.handle,
            name: users.nickname,
            avatar: users.avatarUrl,
          })
          .from(users)
          .where(inArray(users.id, peopleIds))
      : Promise.resolve([] as Person[]),
    viewerId && ids.length
      ? db
          .select({ id: commentLikes.commentId })
          .from(commentLikes)
          .where(and(eq(commentLikes.userId, viewerId), inArray(commentLikes.commentId, ids)))
      : Promise.resolve([]),
  ]);
  return {
    byId: new Map(people.map((p) => [p.userId, p])),
    likedIds: new Set(liked.map((l) => l.id)),
  };
}

/** One comment as the client reads it: deleted ones keep their place without content or author. */
function commentView(c: Comment, { byId, likedIds }: Awaited<ReturnType<typeof peopleAndLikes>>) {
  const tagged = c.taggedUserId ? byId.get(c.taggedUserId) : undefined;
  return {
    ...rowView(c),
    author: c.deletedAt ? null : (byId.get(c.authorId) ?? null),
    taggedUser:
      c.taggedUserId && tagged
        ? { userId: c.taggedUserId, handle: tagged.handle, name: tagged.name }
        : null,
    likeCount: c.likeCount,
    isLiked: likedIds.has(c.id),
  };
}

/**
 * A page of a posting's comments: top level newest first (keyset cursor), each with all its replies
 * oldest first — a fixed number of queries for any page size.
 */
export async function listComments(
  db: Database,
  q: {
    viewerId: string | null;
    postingId: string;
    now: Date;
    after?: Keyset | null;
    limit?: number;
  },
) {
  const { viewerId, postingId, now, after = null, limit = 50 } = q;
  await fullAccess(db, viewerId, postingId, now);
  const keyset = after
    ? or(
        lt(comments.createdAt, after.at),
        and(eq(comments.createdAt, after.at), lt(comments.id, after.id)),
      )
    : undefined;
  const topRows = await db
    .select()
    .from(comments)
    .where(and(eq(comments.postingId, postingId), isNull(comments.parentId), keyset))
    .orderBy(desc(comments.createdAt), desc(comments.id))
    .limit(limit + 1);
  const hasMore = topRows.length > limit;
  const tops = topRows.slice(0, limit);
  const lastTop = tops[tops.length - 1];
  const replyRows = tops.length
    ? await db
        .select()
        .from(comments)
        .where(
          and(
            eq(comments.postingId, postingId),
            inArray(
              comments.parentId,
              tops.map((t) => t.id),
            ),
          ),
        )
    : [];
  const known = await peopleAndLikes(db, viewerId, [...tops, ...replyRows]);
  const replies = replyRows
    .filter((r) => r.parentId !== null && r.deletedAt === null)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  const items = tops
    .map((top) => ({
      ...commentView(top, known),
      children: replies.filter((r) => r.parentId === top.id).map((r) => commentView(r, known)),
    }))
    .filter((top) => !top.is_deleted || top.children.length > 0);
  return {
    items,
    hasMore,
    nextCursor: hasMore && lastTop ? encodeCursor({ at: lastTop.createdAt, id: lastTop.id }) : null,
  };
}
