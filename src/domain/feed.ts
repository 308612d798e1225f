// Feeds. Personal: live postings of the creators the viewer follows or subscribes to; a viewer who follows
// no one gets the discover feed instead of an empty page. Public: live non-membership postings, newest or
// popular (likes and unique views with time decay). Every page goes through the gate (viewPostings) and costs a
// fixed number of queries whatever its size.
import { and, desc, eq, gt, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { postings, subscriptions, userFollows } from '../db/schema/index.ts';
import type { Keyset } from '../lib/cursor.ts';
import { grantsAccess } from './gate.ts';
import { listPostings, liveNow, viewPostings, type PostingView } from './postings.ts';

export type FeedFilter = 'all' | 'membership' | 'public';

export interface FeedPage {
  posts: PostingView[];
  source: 'personal' | 'discover' | 'public';
  pagination: {
    page: number | null;
    limit: number;
    hasMore: boolean;
    total: number | null;
    nextCursor: string | null;
  };
}

interface FeedQuery {
  viewerId: string | null;
  filter: FeedFilter;
  page?: number;
  after: Keyset | null;
  limit: number;
  now: Date;
  apiBase: string;
}

/**
 * Creators whose postings fill the viewer's personal feed — followed, or subscribed with access now — as a
 * derived table the page query joins (no separate round trip, no id list in the SQL).
 */
export function feedAuthors(db: Database, viewerId: string, now: Date) {
  const followed = db
    .select({ authorId: userFollows.followingId })
    .from(userFollows)
    .where(eq(userFollows.followerId, viewerId));
  const subscribed = db
    .select({ authorId: subscriptions.creatorId })
    .from(subscriptions)
    .where(and(eq(subscriptions.subscriberId, viewerId), grantsAccess(now)));
  return followed.union(subscribed).as('feed_authors');
}
export type FeedAuthors = ReturnType<typeof feedAuthors>;

/** One page through `listPostings` (the same cursor and page/limit logic as every posting list). */
async function page(
  db: Database,
  q: FeedQuery,
  scope: { authors?: FeedAuthors; isMembership?: boolean },
  source: FeedPage['source'],
): Promise<FeedPage> {
  // No count(*) for feeds: the client reads only hasMore, and counting a followed set is the slow part.
  const r = await listPostings(db, {
    viewerId: q.viewerId,
    ...scope,
    page: q.page,
    withTotal: false,
    after: q.after,
    limit: q.limit,
    now: q.now,
    apiBase: q.apiBase,
  });
  return {
    posts: r.postings,
    source,
    pagination: {
      page: r.page ?? null,
      limit: r.limit,
      hasMore: r.hasMore,
      total: r.total ?? null,
      nextCursor: r.nextCursor,
    },
  };
}

const membershipFilter = (filter: FeedFilter) =>
  filter === 'all' ? undefined : filter === 'membership';

/**
 * The personal feed in one page query. When it has nothing at all to show — the viewer follows no one, or
 * only creators with nothing (in this filter) yet — the viewer gets the discover feed instead of an empty
 * page; later pages stay on discover, so paging never switches sources half-way.
 */
export async function personalFeed(db: Database, q: FeedQuery): Promise<FeedPage> {
  const isMembership = membershipFilter(q.filter);
  if (!q.viewerId) return page(db, q, { isMembership }, 'discover');
  const authors = feedAuthors(db, q.viewerId, q.now);
  const personal = await page(db, q, { authors, isMembership }, 'personal');
  if (personal.posts.length > 0 || personal.pagination.hasMore) return personal;
  const firstPage = !q.after && (q.page ?? 1) === 1;
  if (!firstPage && (await hasAnyPosting(db, authors, isMembership, q.now))) return personal;
  return page(db, q, { isMembership }, 'discover');
}

/** Whether the personal feed has any live posting at all (only asked when a later page came back empty). */
async function hasAnyPosting(
  db: Database,
  authors: FeedAuthors,
  isMembership: boolean | undefined,
  now: Date,
): Promise<boolean> {
  const filter =
    isMembership === undefined
      ? liveNow(now)
      : and(liveNow(now), eq(postings.isMembership, isMembership));
  const rows = await db
    .select({ id: postings.id })
    .from(postings)
    .innerJoin(authors, eq(authors.authorId, postings.authorId))
    .where(filter)
    .limit(1);
  return rows.length > 0;
}

export async function publicFeed(
  db: Database,
  q: FeedQuery & { sort: 'recent' | 'popular' },
): Promise<FeedPage> {
  if (q.sort === 'recent') return page(db, q, { isMembership: false }, 'public');
  const base = and(liveNow(q.now), eq(postings.isMembership, false));
  // Popular: (2 × likes + unique views) decayed by age in hours, over the last 30 days; offset pages.
  const since = new Date(q.now.getTime() - 30 * 86_400_000);
  const where = and(base, gt(postings.publishedAt, since));
  const score = sql`(${postings.likeCount} * 2 + ${postings.uniqueViewCount}) / power(timestampdiff(hour, ${postings.publishedAt}, ${q.now}) + 2, 1.5)`;
  const pageNo = q.page ?? 1;
  const rows = await db
    .select()
    .from(postings)
    .where(where)
    .orderBy(desc(score), desc(postings.id))
    .limit(q.limit + 1)
    .offset((pageNo - 1) * q.limit);
  const shown = rows.slice(0, q.limit);
  return {
    posts: await viewPostings(db, q.viewerId, shown, q.now, q.apiBase),
    source: 'public',
    pagination: {
      page: pageNo,
      limit: q.limit,
      hasMore: rows.length > q.limit,
      total: null,
      nextCursor: null,
    },
  };
}
