// Postings: writing them (author only), and reading them through the gate. Every read loads the gate's
// facts for the whole page at once and serialises only what `decide` lets through: a locked posting keeps
// its title and free-preview media, and carries the offer instead of its content.
import {
  and,
  desc,
  eq,
  getTableColumns,
  inArray,
  isNull,
  lt,
  or,
  sql,
  type SQL,
} from 'drizzle-orm';
import type { FeedAuthors } from './feed.ts';
import { mediaUrlOf, wireStatus } from './media-views.ts';
import { uuidv7 } from 'uuidv7';
import type { Database } from '../db/client.ts';
import {
  medias,
  postingLikes,
  postingMedias,
  postings,
  users,
  type Posting,
} from '../db/schema/index.ts';
import { encodeCursor, type Keyset } from '../lib/cursor.ts';
import { ApiError } from '../lib/errors.ts';
import { decide, loadGateFacts, type Decision } from './gate.ts';
import { krwForKng } from './memberships.ts';

export interface PostingInput {
  title: string;
  content: string;
  status: Posting['status'];
  isMembership: boolean;
  membershipLevel: number | null;
  publishStartAt: Date | null;
  publishEndAt: Date | null;
  allowIndividualPurchase: boolean;
  individualPurchasePrice: number | null;
  isPublic: boolean;
  isSensitive: boolean;
  allowComments: boolean;
  mediaIds: string[];
  freePreviewMediaIds: string[];
}

function validate(input: Partial<PostingInput>, isCreator: boolean): void {
  const monetised =
    input.isMembership ||
    input.allowIndividualPurchase ||
    (input.membershipLevel ?? null) !== null ||
    (input.individualPurchasePrice ?? null) !== null;
  if (monetised && !isCreator)
    throw new ApiError(
      'FORBIDDEN',
      '멤버십 전용 또는 유료 포스팅은 크리에이터만 만들 수 있습니다.',
    );
  if (input.allowIndividualPurchase && !input.individualPurchasePrice) {
    throw new ApiError('VALIDATION_FAILED', '개별 구매 가격을 입력해 주세요.', {
      details: [
        { path: 'individual_purchase_price', message: 'required when allow_individual_purchase' },
      ],
    });
  }
  if (input.publishStartAt && input.publishEndAt && input.publishEndAt <= input.publishStartAt) {
    throw new ApiError('VALIDATION_FAILED', '게시 종료 시각은 시작 시각보다 늦어야 합니다.', {
      details: [{ path: 'publish_end_at', message: 'must be after publish_start_at' }],
    });
  }
}

/** Media must be the author's own and not deleted; someone else's media is "not found". */
async function assertOwnMedia(db: Database, authorId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const own = await db
    .select({ id: medias.id })
    .from(medias)
    .where(and(inArray(medias.id, ids), eq(medias.ownerId, authorId), isNull(medias.deletedAt)));
  if (own.length !== new Set(ids).size)
    throw new ApiError('NOT_FOUND', '첨부한 미디어를 찾을 수 없습니다.');
}

function publishedAtFor(
  input: Pick<PostingInput, 'status' | 'publishStartAt'>,
  now: Date,
  previous: Date | null,
): Date | null {
  if (input.status !== 'published') return previous;
  return input.publishStartAt ?? previous ?? now;
}

export async function createPosting(
  db: Database,
  authorId: string,
  isCreator: boolean,
  input: PostingInput,
  now: Date,
): Promise<string> {
  validate(input, isCreator);
  await assertOwnMedia(db, authorId, input.mediaIds);
  const id = uuidv7();
  await db.transaction(async (tx) => {
    await tx.insert(postings).values({
      id,
      authorId,
      title: input.title,
      content: input.content,
      status: input.status,
      isPublic: input.isPublic,
      isMembership: input.isMembership,
      membershipLevel: input.isMembership ? (input.membershipLevel ?? 1) : null,
      allowIndividualPurchase: input.allowIndividualPurchase,
      individualPurchasePrice: input.allowIndividualPurchase ? input.individualPurchasePrice : null,
      isSensitive: input.isSensitive,
      allowComments: input.allowComments,
      publishStartAt: input.publishStartAt,
      publishEndAt: input.publishEndAt,
      publishedAt: publishedAtFor(input, now, null),
      archivedAt: input.status === 'archived' ? now : null,
    });
    await attachMedia(tx, id, input.mediaIds, input.freePreviewMediaIds);
  });
  return id;
}

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

async function attachMedia(
  tx: Tx,
  postingId: string,
  mediaIds: string[],
  freePreviewIds: string[],
): Promise<void> {
  for (const [i, mediaId] of mediaIds.entries()) {
    await tx.insert(postingMedias).values({
      postingId,
      mediaId,
      sortOrder: i,
      isFreePreview: freePreviewIds.includes(mediaId),
    });
  }
}

async function ownPosting(db: Database, authorId: string, id: string): Promise<Posting> {
  const [row] = await db
    .select()
    .from(postings)
    .where(and(eq(postings.id, id), eq(postings.authorId, authorId), isNull(postings.deletedAt)));
  // Someone else's posting is "not found", whatever its state.
  if (!row) throw new ApiError('NOT_FOUND', '포스팅을 찾을 수 없습니다.');
  return row;
}

export async function updatePosting(
  db: Database,
  authorId: string,
  isCreator: boolean,
  id: string,
  patch: Partial<PostingInput>,
  now: Date,
): Promise<void> {
  const current = await ownPosting(db, authorId, id);
  const merged = {
    status: patch.status ?? current.status,
    isMembership: patch.isMembership ?? current.isMembership,
    membershipLevel:
      patch.membershipLevel !== undefined ? patch.membershipLevel : current.membershipLevel,
    allowIndividualPurchase: patch.allowIndividualPurchase ?? current.allowIndividualPurchase,
    individualPurchasePrice:
      patch.individualPurchasePrice !== undefined
        ? patch.individualPurchasePrice
        : current.individualPurchasePrice,
    publishStartAt:
      patch.publishStartAt !== undefined ? patch.publishStartAt : current.publishStartAt,
    publishEndAt: patch.publishEndAt !== undefined ? patch.publishEndAt : current.publishEndAt,
  };
  validate(merged, isCreator || (!merged.isMembership && !merged.allowIndividualPurchase));
  if (patch.mediaIds) await assertOwnMedia(db, authorId, patch.mediaIds);
  await db.transaction(async (tx) => {
    await tx
      .update(postings)
      .set({
        ...(patch.title !== undefined ? { title: patch.title } : {}),
        ...(patch.content !== undefined ? { content: patch.content } : {}),
        ...(patch.isPublic !== undefined ? { isPublic: patch.isPublic } : {}),
        ...(patch.isSensitive !== undefined ? { isSensitive: patch.isSensitive } : {}),
        ...(patch.allowComments !== undefined ? { allowComments: patch.allowComments } : {}),
        status: merged.status,
        isMembership: merged.isMembership,
        membershipLevel: merged.isMembership ? (merged.membershipLevel ?? 1) : null,
        allowIndividualPurchase: merged.allowIndividualPurchase,
        individualPurchasePrice: merged.allowIndividualPurchase
          ? merged.individualPurchasePrice
          : null,
        publishStartAt: merged.publishStartAt,
        publishEndAt: merged.publishEndAt,
        publishedAt: publishedAtFor(merged, now, current.publishedAt),
        archivedAt: merged.status === 'archived' ? (current.archivedAt ?? now) : null,
      })
      .where(eq(postings.id, id));
    if (patch.mediaIds) {
      await tx.delete(postingMedias).where(eq(postingMedias.postingId, id));
      await attachMedia(tx, id, patch.mediaIds, patch.freePreviewMediaIds ?? []);
    }
  });
}

export async function deletePosting(
  db: Database,
  authorId: string,
  id: string,
  now: Date,
): Promise<void> {
  await ownPosting(db, authorId, id);
  await db
    .update(postings)
    .set({ deletedAt: now })
    .where(and(eq(postings.id, id), isNull(postings.deletedAt)));
}

type Author = { id: string; handle: string; nickname: string; avatarUrl: string | null };
type MediaRow = {
  postingId: string;
  id: string;
  type: string;
  originalName: string;
  status: string;
  isFreePreview: boolean;
  durationMs: number | null;
};

export interface PostingView {
  id: string;
  userSub: string;
  user: { id: string; handle: string; name: string; avatar: string | null };
  title: string;
  content: string;
  status: string;
  isMembership: boolean;
  isGotMembership: boolean;
  hasAccess: boolean;
  access: 'full' | 'preview';
  lockReason: string | null;
  offer: Extract<Decision, { access: 'preview' }>['offer'] | null;
  membershipLevel: number | null;
  publishStartAt: string | null;
  publishEndAt: string | null;
  allowIndividualPurchase: boolean;
  /** KRW, what the client shows with 원; `individualPurchasePriceKng` is what unlocking debits. */
  individualPurchasePrice: number | null;
  individualPurchasePriceKng: number | null;
  isPublic: boolean;
  isSensitive: boolean;
  totalViewCount: number;
  uniqueViewCount: number;
  likeCount: number;
  commentCount: number;
  allowComments: boolean;
  publishedAt: string | null;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  medias: Array<{
    id: string;
    type: string;
    originalName: string;
    mediaUrl: string;
    processingStatus: string;
    isFreePreview: boolean;
    duration: number | null;
  }>;
  isLiked: boolean;
  // The FeedPost names the web client reads on profile pages and feeds (same facts, its spelling).
  isMembershipOnly: boolean;
  creator: { id: string; handle: string; name: string; avatar: string | null };
  media: Array<{
    id: string;
    fileName: string;
    mediaUrl: string;
    type: string;
    processingStatus: string;
    thumbnailUrls: string[];
  }>;
  images: Array<{ url: string; isPublic: boolean }>;
  /** Derived from what the gate let through: shown text and media; the rest is counted as locked. */
  textLength: number;
  imageCount: number;
  videoCount: number;
  lockedMediaCount: number;
  // The creator centre's post table reads these snake_case names (the original's Prisma rows) and
  // calls .toLocaleString() on the counts: the same facts once more in that spelling.
  total_view_count: number;
  unique_view_count: number;
  like_count: number;
  comment_count: number;
  created_at: string;
  updated_at: string;
  published_at: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function serialize(
  p: Posting,
  author: Author,
  decision: Extract<Decision, { visible: true }>,
  mediaRows: MediaRow[],
  liked: boolean,
  apiBase: string,
): PostingView {
  const full = decision.access === 'full';
  // A locked posting shows only its free-preview media; URLs still go through the gate when fetched.
  const shown = mediaRows.filter((m) => full || m.isFreePreview);
  const content = full ? p.content : '';
  const urlOf = (m: MediaRow) => mediaUrlOf(apiBase, m);
  const user = {
    id: author.id,
    handle: author.handle,
    name: author.nickname,
    avatar: author.avatarUrl,
  };
  return {
    id: p.id,
    userSub: p.authorId,
    user,
    title: p.title,
    content,
    status: p.status.toUpperCase(),
    isMembership: p.isMembership,
    isGotMembership: full,
    hasAccess: full,
    access: decision.access,
    lockReason: full ? null : decision.reason,
    offer: full ? null : decision.offer,
    membershipLevel: p.membershipLevel,
    publishStartAt: iso(p.publishStartAt),
    publishEndAt: iso(p.publishEndAt),
    allowIndividualPurchase: p.allowIndividualPurchase,
    individualPurchasePrice:
      p.individualPurchasePrice === null ? null : krwForKng(p.individualPurchasePrice),
    individualPurchasePriceKng: p.individualPurchasePrice,
    isPublic: p.isPublic,
    isSensitive: p.isSensitive,
    totalViewCount: p.totalViewCount,
    uniqueViewCount: p.uniqueViewCount,
    likeCount: p.likeCount,
    commentCount: p.commentCount,
    allowComments: p.allowComments,
    publishedAt: iso(p.publishedAt),
    archivedAt: iso(p.archivedAt),
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    medias: shown.map((m) => ({
      id: m.id,
      type: m.type.toUpperCase(),
      originalName: m.originalName,
      mediaUrl: urlOf(m),
      processingStatus: wireStatus(m.status),
      isFreePreview: m.isFreePreview,
      duration: m.durationMs === null ? null : m.durationMs / 1000,
    })),
    isLiked: liked,
    isMembershipOnly: p.isMembership,
    creator: user,
    media: shown.map((m) => ({
      id: m.id,
      fileName: m.originalName,
      mediaUrl: urlOf(m),
      type: m.type.toUpperCase(),
      processingStatus: wireStatus(m.status),
      thumbnailUrls: [],
    })),
    images: shown
      .filter((m) => m.type === 'image')
      .map((m) => ({ url: urlOf(m), isPublic: m.isFreePreview })),
    textLength: content.length,
    imageCount: shown.filter((m) => m.type === 'image').length,
    videoCount: shown.filter((m) => m.type === 'video').length,
    lockedMediaCount: mediaRows.length - shown.length,
    total_view_count: p.totalViewCount,
    unique_view_count: p.uniqueViewCount,
    like_count: p.likeCount,
    comment_count: p.commentCount,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
    published_at: iso(p.publishedAt),
  };
}

/**
 * Serialises a page of postings for a viewer through the gate: authors, media, likes and the gate's facts
 * are loaded for the whole page at once (a fixed number of queries). Invisible postings are dropped.
 */
export async function viewPostings(
  db: Database,
  viewerId: string | null,
  rows: Posting[],
  now: Date,
  apiBase: string,
): Promise<PostingView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const authorIds = [...new Set(rows.map((r) => r.authorId))];
  const [gate, authors, mediaRows, likes] = await Promise.all([
    loadGateFacts(db, viewerId, rows, now),
    db
      .select({
        id: users.id,
        handle: users.handle,
        nickname: users.nickname,
        avatarUrl: users.avatarUrl,
      })
      .from(users)
      .where(inArray(users.id, authorIds)),
    db
      .select({
        postingId: postingMedias.postingId,
        id: medias.id,
        type: medias.type,
        originalName: medias.originalName,
        status: medias.status,
        isFreePreview: postingMedias.isFreePreview,
        durationMs: medias.durationMs,
      })
      .from(postingMedias)
      .innerJoin(medias, eq(medias.id, postingMedias.mediaId))
      .where(and(inArray(postingMedias.postingId, ids), isNull(medias.deletedAt)))
      .orderBy(postingMedias.sortOrder),
    viewerId
      ? db
          .select({ postingId: postingLikes.postingId })
          .from(postingLikes)
          .where(and(eq(postingLikes.userId, viewerId), inArray(postingLikes.postingId, ids)))
      : Promise.resolve([]),
  ]);
  const authorById = new Map(authors.map((a) => [a.id, a]));
  const likedIds = new Set(likes.map((l) => l.postingId));
  const out: PostingView[] = [];
  for (const row of rows) {
    const decision = decide(gate.viewer, row, gate.facts, now);
    const author = authorById.get(row.authorId);
    if (!decision.visible || !author) continue;
    out.push(
      serialize(
        row,
        author,
        decision,
        mediaRows.filter((m) => m.postingId === row.id),
        likedIds.has(row.id),
        apiBase,
      ),
    );
  }
  return out;
}

export async function getPostingView(
  db: Database,
  viewerId: string | null,
  id: string,
  now: Date,
  apiBase: string,
): Promise<PostingView> {
  const [row] = await db.select().from(postings).where(eq(postings.id, id));
  const [view] = row ? await viewPostings(db, viewerId, [row], now, apiBase) : [];
  if (!view) throw new ApiError('NOT_FOUND', '포스팅을 찾을 수 없습니다.');
  return view;
}

/** SQL for "live now": published, public, not deleted, inside the publishing window (the gate's isLive). */
export function liveNow(now: Date) {
  return and(
    eq(postings.status, 'published'),
    eq(postings.isPublic, true),
    isNull(postings.deletedAt),
    or(isNull(postings.publishStartAt), sql`${postings.publishStartAt} <= ${now}`),
    or(isNull(postings.publishEndAt), sql`${postings.publishEndAt} > ${now}`),
  );
}

export interface ListQuery {
  viewerId: string | null;
  /** Only this author's postings. */
  authorId?: string;
  /** Only the postings of the authors in this derived table (column `author_id`): a feed's authors. */
  authors?: FeedAuthors;
  /** The author's own list: every non-deleted posting (drafts included), newest written first. */
  own?: boolean;
  isMembership?: boolean;
  search?: string;
  /** Offset pages for the web client (`page`/`limit`); without it, keyset pages (`cursor`). */
  page?: number;
  /** With `page`: also count all matches (`total`, `totalPages`). Feeds skip it: the client reads only hasMore. */
  withTotal?: boolean;
  after?: Keyset | null;
  limit: number;
  now: Date;
  apiBase: string;
}

export interface ListResult {
  postings: PostingView[];
  limit: number;
  nextCursor: string | null;
  hasMore: boolean;
  page?: number;
  total?: number;
  totalPages?: number;
}

/**
 * The rows of one page, in two steps inside one statement: the page's ids come from a covering index (the
 * rows skipped by an offset or dropped by the filter are never read), then only those rows are read in full.
 * Page 50 costs about what page 1 does instead of reading 50 pages of wide rows.
 */
export function pageRows(
  db: Database,
  where: SQL | undefined,
  sortCol: typeof postings.publishedAt | typeof postings.createdAt,
  count: number,
  offset: number,
  authors?: FeedAuthors,
) {
  const base = db.select({ id: postings.id }).from(postings).$dynamic();
  const ids = (authors ? base.innerJoin(authors, eq(authors.authorId, postings.authorId)) : base)
    .where(where)
    .orderBy(desc(sortCol), desc(postings.id))
    .limit(count)
    .offset(offset)
    .as('page_ids');
  return db
    .select(getTableColumns(postings))
    .from(postings)
    .innerJoin(ids, eq(ids.id, postings.id))
    .orderBy(desc(sortCol), desc(postings.id));
}

/** Lists postings through the gate, by keyset cursor or by page; a fixed number of queries either way. */
export async function listPostings(db: Database, q: ListQuery): Promise<ListResult> {
  const own = Boolean(q.own && q.viewerId && q.authorId === q.viewerId);
  const conditions = [own ? isNull(postings.deletedAt) : liveNow(q.now)];
  if (q.authorId) conditions.push(eq(postings.authorId, q.authorId));
  if (q.isMembership !== undefined) conditions.push(eq(postings.isMembership, q.isMembership));
  if (q.search)
    conditions.push(
      sql`${postings.title} like ${`%${q.search.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`}`,
    );
  const where = and(...conditions);
  const sortCol = own ? postings.createdAt : postings.publishedAt;
  if (q.page !== undefined) {
    const withTotal = q.withTotal ?? true;
    const [rows, counted] = await Promise.all([
      pageRows(db, where, sortCol, q.limit + 1, (q.page - 1) * q.limit, q.authors),
      withTotal
        ? db
            .select({ total: sql<number>`count(*)`.mapWith(Number) })
            .from(postings)
            .where(where)
        : Promise.resolve(null),
    ]);
    const shown = rows.slice(0, q.limit);
    const items = await viewPostings(db, q.viewerId, shown, q.now, q.apiBase);
    const hasMore = rows.length > q.limit;
    if (!counted)
      return { postings: items, page: q.page, limit: q.limit, hasMore, nextCursor: null };
    const total = counted[0].total;
    return {
      postings: items,
      page: q.page,
      limit: q.limit,
      total,
      totalPages: Math.max(1, Math.ceil(total / q.limit)),
      hasMore,
      nextCursor: null,
    };
  }
  const keyset = q.after
    ? or(lt(sortCol, q.after.at), and(eq(sortCol, q.after.at), lt(postings.id, q.after.id)))
    : undefined;
  const rows = await pageRows(
    db,
    keyset ? and(where, keyset) : where,
    sortCol,
    q.limit + 1,
    0,
    q.authors,
  );
  const shown = rows.slice(0, q.limit);
  const items = await viewPostings(db, q.viewerId, shown, q.now, q.apiBase);
  const last = shown[shown.length - 1];
  const lastAt = last ? (own ? last.createdAt : last.publishedAt) : null;
  const hasMore = rows.length > q.limit;
  return {
    postings: items,
    limit: q.limit,
    hasMore,
    nextCursor: hasMore && last && lastAt ? encodeCursor({ at: lastAt, id: last.id }) : null,
  };
}
