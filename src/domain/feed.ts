// Feeds. Personal: live postings of the creators the viewer follows or subscribes to; a viewer who follows
// no one gets the discover feed instead of an empty page. Public: live non-membership postings, newest or
// popular (likes and unique views with time decay). Every page goes through the gate (viewPostings) and costs a
// fixed number of queries whatever its size.
import { and, desc, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { postings, subscriptions, userFollows } from '../db/schema/index.ts';
import { encodeCursor, type Keyset } from '../lib/cursor.ts';
import { grantsAccess } from './gate.ts';
import { liveNow, viewPostings, type PostingView } from './postings.ts';

export type FeedFilter = 'all' | 'membership' | 'public';

export interface FeedPage {
  posts: PostingView[];
  source: 'personal' | 'discover' | 'public';
  pagination: { page: number | null; limit: number; hasMore: boolean; total: number | null; nextCursor: string | null };
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

/** Creators whose postings fill the viewer's personal feed: followed, or subscribed with access now. */
async function feedAuthors(db: Database, viewerId: string, now: Date): Promise<string[]> {
  const [followed, subscribed] = await Promise.all([
    db.select({ id: userFollows.followingId }).from(userFollows).where(eq(userFollows.followerId, viewerId)),
    db.select({ id: subscriptions.creatorId }).from(subscriptions).where(and(eq(subscriptions.subscriberId, viewerId), grantsAccess(now))),
  ]);
  return [...new Set([...followed, ...subscribed].map((r) => r.id))];
}

async function page(db: Database, where: ReturnType<typeof and>, q: FeedQuery, source: FeedPage['source']): Promise<FeedPage> {
  if (q.page !== undefined) {
    const [rows, [{ total }]] = await Promise.all([
      db.select().from(postings).where(where).orderBy(desc(postings.publishedAt), desc(postings.id)).limit(q.limit + 1).offset((q.page - 1) * q.limit),
      db.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(postings).where(where),
    ]);
    const shown = rows.slice(0, q.limit);
    const last = shown[shown.length - 1];
    return {
      posts: await viewPostings(db, q.viewerId, shown, q.now, q.apiBase),
      source,
      pagination: { page: q.page, limit: q.limit, hasMore: rows.length > q.limit, total, nextCursor: rows.length > q.limit && last?.publishedAt ? encodeCursor({ at: last.publishedAt, id: last.id }) : null },
    };
  }
  const keyset = q.after ? or(lt(postings.publishedAt, q.after.at), and(eq(postings.publishedAt, q.after.at), lt(postings.id, q.after.id))) : undefined;
  const rows = await db
    .select()
    .from(postings)
    .where(keyset ? and(where, keyset) : where)
    .orderBy(desc(postings.publishedAt), desc(postings.id))
    .limit(q.limit + 1);
  const shown = rows.slice(0, q.limit);
  const last = shown[shown.length - 1];
  const hasMore = rows.length > q.limit;
  return {
    posts: await viewPostings(db, q.viewerId, shown, q.now, q.apiBase),
    source,
    pagination: { page: null, limit: q.limit, hasMore, total: null, nextCursor: hasMore && last?.publishedAt ? encodeCursor({ at: last.publishedAt, id: last.id }) : null },
  };
}

function filtered(filter: FeedFilter) {
  if (filter === 'membership') return eq(postings.isMembership, true);
  if (filter === 'public') return eq(postings.isMembership, false);
  return undefined;
}

export async function personalFeed(db: Database, q: FeedQuery): Promise<FeedPage> {
  const authors = q.viewerId ? await feedAuthors(db, q.viewerId, q.now) : [];
  if (authors.length === 0) return page(db, and(liveNow(q.now), filtered(q.filter)), q, 'discover');
  return page(db, and(liveNow(q.now), inArray(postings.authorId, authors), filtered(q.filter)), q, 'personal');
}

export async function publicFeed(db: Database, q: FeedQuery & { sort: 'recent' | 'popular' }): Promise<FeedPage> {
  const base = and(liveNow(q.now), eq(postings.isMembership, false));
  if (q.sort === 'recent') return page(db, base, q, 'public');
  // Popular: (2 × likes + unique views) decayed by age in hours, over the last 30 days; offset pages.
  const since = new Date(q.now.getTime() - 30 * 86_400_000);
  const where = and(base, gt(postings.publishedAt, since));
  const score = sql`(${postings.likeCount} * 2 + ${postings.uniqueViewCount}) / power(timestampdiff(hour, ${postings.publishedAt}, ${q.now}) + 2, 1.5)`;
  const pageNo = q.page ?? 1;
  const rows = await db.select().from(postings).where(where).orderBy(desc(score), desc(postings.id)).limit(q.limit + 1).offset((pageNo - 1) * q.limit);
  const shown = rows.slice(0, q.limit);
  return {
    posts: await viewPostings(db, q.viewerId, shown, q.now, q.apiBase),
    source: 'public',
    pagination: { page: pageNo, limit: q.limit, hasMore: rows.length > q.limit, total: null, nextCursor: null },
  };
}
