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

/** One page through `listPostings` (the same cursor and page/limit logic as every posting list). */
async function page(db: Database, q: FeedQuery, scope: { authorIds?: string[]; isMembership?: boolean }, source: FeedPage['source']): Promise<FeedPage> {
  // No count(*) for feeds: the client reads only hasMore, and counting a followed set is the slow part.
  const r = await listPostings(db, { viewerId: q.viewerId, ...scope, page: q.page, withTotal: false, after: q.after, limit: q.limit, now: q.now, apiBase: q.apiBase });
  return { posts: r.postings, source, pagination: { page: r.page ?? null, limit: r.limit, hasMore: r.hasMore, total: r.total ?? null, nextCursor: r.nextCursor } };
}

const membershipFilter = (filter: FeedFilter) => (filter === 'all' ? undefined : filter === 'membership');

export async function personalFeed(db: Database, q: FeedQuery): Promise<FeedPage> {
  const authors = q.viewerId ? await feedAuthors(db, q.viewerId, q.now) : [];
  const isMembership = membershipFilter(q.filter);
  if (authors.length === 0) return page(db, q, { isMembership }, 'discover');
  return page(db, q, { authorIds: authors, isMembership }, 'personal');
}

export async function publicFeed(db: Database, q: FeedQuery & { sort: 'recent' | 'popular' }): Promise<FeedPage> {
  if (q.sort === 'recent') return page(db, q, { isMembership: false }, 'public');
  const base = and(liveNow(q.now), eq(postings.isMembership, false));
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
