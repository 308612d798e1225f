// The notices board (공지사항, 이벤트): public reading, views counted once per viewer per Korean day, and
// admin writing with soft delete and restore. Every admin change names its admin (created_by …
// restored_by).
import { and, count, desc, eq, isNotNull, isNull, lte, type SQL, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Database } from '../db/client.ts';
import { boardPosts, boardViews, type BoardCategory, type BoardPost } from '../db/schema/index.ts';
import { ApiError } from '../lib/errors.ts';

export const BOARD_CATEGORY_NAMES: Record<BoardCategory, string> = {
  notice: '공지사항',
  event: '이벤트',
};
export const DEFAULT_BOARD_AUTHOR = '크리팬스 관리자';

const EXCERPT_CHARS = 120;
const KST_OFFSET_MS = 9 * 60 * 60 * 1000;

/**
 * The calendar day in Korea (UTC+9, no daylight saving), as `YYYY-MM-DD`: the unit of "once a day".
 */
export function kstDay(now: Date): string {
  return new Date(now.getTime() + KST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The stored excerpt, or the start of the content when the admin left it empty. */
export function excerptOf(post: Pick<BoardPost, 'excerpt' | 'content'>): string {
  if (post.excerpt) return post.excerpt;
  const flat = post.content.replace(/\s+/g, ' ').trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS)}…` : flat;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * A list row as the web client's board page reads it (category in lower case, snake_case dates).
 */
export function publicListItem(p: BoardPost) {
  return {
    id: p.id,
    title: p.title,
    category: p.category,
    categoryName: BOARD_CATEGORY_NAMES[p.category],
    created_at: p.createdAt.toISOString(),
    published_at: iso(p.publishedAt),
    views: p.views,
    is_important: p.isImportant,
    excerpt: excerptOf(p),
    author: p.author,
  };
}

export function publicDetail(p: BoardPost) {
  return {
    ...publicListItem(p),
    content: p.content,
    updated_at: p.updatedAt.toISOString(),
    is_published: true as const,
  };
}

/**
 * A row as the admin client reads it: category as `{ code, name }`, state flags, and who changed
 * it.
 */
export function adminView(p: BoardPost) {
  return {
    id: p.id,
    title: p.title,
    content: p.content,
    excerpt: p.excerpt,
    category: { code: p.category.toUpperCase(), name: BOARD_CATEGORY_NAMES[p.category] },
    is_important: p.isImportant,
    is_published: p.isPublished,
    views: p.views,
    author: p.author,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
    published_at: iso(p.publishedAt),
    is_deleted: p.deletedAt !== null,
    deleted_at: iso(p.deletedAt),
    created_by: p.createdBy,
    updated_by: p.updatedBy,
    deleted_by: p.deletedBy,
    restored_by: p.restoredBy,
    restored_at: iso(p.restoredAt),
  };
}

export interface PageQuery {
  page: number;
  limit: number;
}

function pagination(q: PageQuery, total: number) {
  return { page: q.page, limit: q.limit, total, totalPages: Math.ceil(total / q.limit) };
}

/** What the public may read: published, not deleted, and its publication time has come. */
function publicWhere(now: Date): SQL {
  return and(
    eq(boardPosts.isPublished, true),
    isNull(boardPosts.deletedAt),
    isNotNull(boardPosts.publishedAt),
    lte(boardPosts.publishedAt, now),
  ) as SQL;
}

/** Pinned (important) notices first, then newest first; page/limit as the client pages. */
export async function listPublicPosts(
  db: Database,
  q: PageQuery & { category?: BoardCategory; now: Date },
) {
  const where = q.category
    ? and(publicWhere(q.now), eq(boardPosts.category, q.category))
    : publicWhere(q.now);
  const [rows, [{ total }]] = await Promise.all([
    db
      .select()
      .from(boardPosts)
      .where(where)
      .orderBy(desc(boardPosts.isImportant), desc(boardPosts.publishedAt), desc(boardPosts.id))
      .limit(q.limit)
      .offset((q.page - 1) * q.limit),
    db.select({ total: count() }).from(boardPosts).where(where),
  ]);
  return { posts: rows.map(publicListItem), pagination: pagination(q, total) };
}

export async function publicPost(db: Database, id: string, now: Date): Promise<BoardPost> {
  const [row] = await db
    .select()
    .from(boardPosts)
    .where(and(eq(boardPosts.id, id), publicWhere(now)))
    .limit(1);
  if (!row) throw new ApiError('NOT_FOUND', '게시글을 찾을 수 없습니다.');
  return row;
}

/**
 * Counts a view of a public notice once per viewer and Korean day. The (notice, viewer, day)
 * primary key decides: of parallel requests only the one whose insert lands adds to `views`.
 */
export async function recordBoardView(
  db: Database,
  id: string,
  viewerKey: string,
  now: Date,
): Promise<{ counted: boolean; views: number; post: BoardPost }> {
  const post = await publicPost(db, id, now);
  const counted = await db.transaction(async (tx) => {
    const r = await tx
      .insert(boardViews)
      .ignore()
      .values({ boardPostId: id, viewerKey, viewDay: kstDay(now) });
    if (r.rowsAffected !== 1) return false;
    await tx
      .update(boardPosts)
      .set({ views: sql`${boardPosts.views} + 1`, updatedAt: post.updatedAt })
      .where(eq(boardPosts.id, id));
    return true;
  });
  const views = post.views + (counted ? 1 : 0);
  return { counted, views, post: { ...post, views } };
}

export async function listAdminPosts(
  db: Database,
  q: PageQuery & { category?: BoardCategory; includeDeleted: boolean },
) {
  const conditions: SQL[] = [];
  if (q.category) conditions.push(eq(boardPosts.category, q.category));
  if (!q.includeDeleted) conditions.push(isNull(boardPosts.deletedAt));
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [{ total }]] = await Promise.all([
    db
      .select()
      .from(boardPosts)
      .where(where)
      .orderBy(desc(boardPosts.createdAt), desc(boardPosts.id))
      .limit(q.limit)
      .offset((q.page - 1) * q.limit),
    db.select({ total: count() }).from(boardPosts).where(where),
  ]);
  return { posts: rows.map(adminView), pagination: pagination(q, total) };
}

export async function adminPost(db: Database, id: string): Promise<BoardPost> {
  const [row] = await db.select().from(boardPosts).where(eq(boardPosts.id, id)).limit(1);
  if (!row) throw new ApiError('NOT_FOUND', '게시글을 찾을 수 없습니다.');
  return row;
}

export interface BoardPostInput {
  title: string;
  content: string;
  category: BoardCategory;
  isImportant?: boolean;
  excerpt?: string | null;
  author?: string;
  /** true (the admin form's default) publishes now; false keeps it unpublished. */
  publishNow?: boolean;
}

export async function createBoardPost(
  db: Database,
  adminId: string,
  input: BoardPostInput,
  now: Date,
): Promise<BoardPost> {
  const publish = input.publishNow ?? true;
  const postId = uuidv7();
  await db.insert(boardPosts).values({
    id: postId,
    category: input.category,
    title: input.title,
    content: input.content,
    excerpt: input.excerpt || null,
    author: input.author || DEFAULT_BOARD_AUTHOR,
    isImportant: input.isImportant ?? false,
    isPublished: publish,
    publishedAt: publish ? now : null,
    createdBy: adminId,
    createdAt: now,
    updatedAt: now,
  });
  return adminPost(db, postId);
}

export async function updateBoardPost(
  db: Database,
  adminId: string,
  id: string,
  patch: Partial<BoardPostInput>,
  now: Date,
): Promise<BoardPost> {
  const post = await adminPost(db, id);
  if (post.deletedAt)
    throw new ApiError('INVALID_STATE', '삭제된 게시글은 복원한 뒤 수정할 수 있습니다.');
  const publish = patch.publishNow;
  await db
    .update(boardPosts)
    .set({
      ...(patch.title !== undefined ? { title: patch.title } : {}),
      ...(patch.content !== undefined ? { content: patch.content } : {}),
      ...(patch.category !== undefined ? { category: patch.category } : {}),
      ...(patch.isImportant !== undefined ? { isImportant: patch.isImportant } : {}),
      ...(patch.excerpt !== undefined ? { excerpt: patch.excerpt || null } : {}),
      ...(patch.author !== undefined ? { author: patch.author || DEFAULT_BOARD_AUTHOR } : {}),
      ...(publish === true ? { isPublished: true, publishedAt: post.publishedAt ?? now } : {}),
      ...(publish === false ? { isPublished: false } : {}),
      updatedBy: adminId,
      updatedAt: now,
    })
    .where(eq(boardPosts.id, id));
  return adminPost(db, id);
}

/** Soft delete: hidden from the public and from the admin list unless it asks for deleted ones. */
export async function deleteBoardPost(
  db: Database,
  adminId: string,
  id: string,
  now: Date,
): Promise<BoardPost> {
  const post = await adminPost(db, id);
  if (!post.deletedAt) {
    await db
      .update(boardPosts)
      .set({ deletedAt: now, deletedBy: adminId, updatedAt: now })
      .where(and(eq(boardPosts.id, id), isNull(boardPosts.deletedAt)));
  }
  return adminPost(db, id);
}

export async function restoreBoardPost(
  db: Database,
  adminId: string,
  id: string,
  now: Date,
): Promise<BoardPost> {
  const post = await adminPost(db, id);
  if (post.deletedAt) {
    await db
      .update(boardPosts)
      .set({ deletedAt: null, restoredBy: adminId, restoredAt: now, updatedAt: now })
      .where(and(eq(boardPosts.id, id), isNotNull(boardPosts.deletedAt)));
  }
  return adminPost(db, id);
}
