// The one access gate. Whether a viewer may see a posting at all, see it in full, or only its preview — and
// why — is decided here and nowhere else. Every channel (detail, lists, user pages, feeds, comments, media
// URLs, search, notifications) asks `decide` with facts loaded in bulk by `loadGateFacts`, then serialises
// only what the decision lets through.
import { and, asc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import {
  membershipItems,
  postingPurchases,
  subscriptions,
  users,
  type Posting,
} from '../db/schema/index.ts';
import { krwForKng, tierPriceKrw } from './memberships.ts';

export type GatePosting = Pick<
  Posting,
  | 'id'
  | 'authorId'
  | 'status'
  | 'isPublic'
  | 'isMembership'
  | 'membershipLevel'
  | 'allowIndividualPurchase'
  | 'individualPurchasePrice'
  | 'publishStartAt'
  | 'publishEndAt'
  | 'deletedAt'
>;

export interface GateViewer {
  id: string | null;
  isAdmin: boolean;
}

export interface OfferTier {
  id: string;
  name: string;
  level: number;
  /** KRW, what a card pays (the client shows it with 원); `priceKng` is the KNG price. */
  price: number;
  priceKng?: number;
}

export interface GateFacts {
  /** The viewer's active membership level per creator (absent = none). */
  levelByCreator: Map<string, number>;
  /** Postings the viewer bought. */
  purchased: Set<string>;
  /** Each creator's tiers on sale, by level ascending (for the "subscribe or upgrade" offer). */
  tiersByCreator: Map<string, OfferTier[]>;
}

export type FullReason = 'author' | 'admin' | 'free' | 'subscription' | 'purchase';

export type Decision =
  | { visible: false }
  | { visible: true; access: 'full'; reason: FullReason }
  | {
      visible: true;
      access: 'preview';
      reason: 'membership_required' | 'purchase_required';
      offer: {
        /** KRW (the client shows it with 원); `unlockPriceKng` is what unlocking debits. */
        unlockPrice: number | null;
        unlockPriceKng: number | null;
        requiredLevel: number | null;
        cheapestTier: OfferTier | null;
      };
    };

/** Published, public, not deleted, inside its publishing window. */
export function isLive(p: GatePosting, now: Date): boolean {
  return (
    p.deletedAt === null &&
    p.status === 'published' &&
    p.isPublic &&
    (p.publishStartAt === null || p.publishStartAt <= now) &&
    (p.publishEndAt === null || p.publishEndAt > now)
  );
}

export function requiredLevel(p: GatePosting): number | null {
  return p.isMembership ? Math.max(1, p.membershipLevel ?? 1) : null;
}

export function decide(viewer: GateViewer, p: GatePosting, facts: GateFacts, now: Date): Decision {
  if (p.deletedAt !== null) return { visible: false };
  if (viewer.id !== null && viewer.id === p.authorId)
    return { visible: true, access: 'full', reason: 'author' };
  if (viewer.isAdmin) return { visible: true, access: 'full', reason: 'admin' };
  if (!isLive(p, now)) return { visible: false };
  const level = requiredLevel(p);
  const purchaseOnly = !p.isMembership && p.allowIndividualPurchase;
  if (level === null && !purchaseOnly) return { visible: true, access: 'full', reason: 'free' };
  if (facts.purchased.has(p.id)) return { visible: true, access: 'full', reason: 'purchase' };
  if (level !== null && (facts.levelByCreator.get(p.authorId) ?? 0) >= level) {
    return { visible: true, access: 'full', reason: 'subscription' };
  }
  const unlockPriceKng =
    p.allowIndividualPurchase && p.individualPurchasePrice !== null
      ? p.individualPurchasePrice
      : null;
  const unlockPrice = unlockPriceKng === null ? null : krwForKng(unlockPriceKng);
  const cheapestTier =
    level === null
      ? null
      : ((facts.tiersByCreator.get(p.authorId) ?? []).find((t) => t.level >= level) ?? null);
  return {
    visible: true,
    access: 'preview',
    reason: level === null ? 'purchase_required' : 'membership_required',
    offer: { unlockPrice, unlockPriceKng, requiredLevel: level, cheapestTier },
  };
}

/** A subscription row that gives access at `now`: its paid or trial period is running, or its grace is. */
export function subscriptionGrantsAccess(
  s: { status: string; currentPeriodEnd: Date; graceEndsAt: Date | null },
  now: Date,
): boolean {
  if (s.status === 'grace') return s.graceEndsAt !== null && s.graceEndsAt > now;
  return (
    (s.status === 'trialing' || s.status === 'active' || s.status === 'canceled') &&
    s.currentPeriodEnd > now
  );
}

/** The same rule in SQL (keep the two together). */
export function grantsAccess(now: Date) {
  return or(
    and(
      inArray(subscriptions.status, ['trialing', 'active', 'canceled']),
      gt(subscriptions.currentPeriodEnd, now),
    ),
    and(eq(subscriptions.status, 'grace'), gt(subscriptions.graceEndsAt, now)),
  );
}

/**
 * Everything `decide` needs for a page of postings, in at most four queries whatever the page size:
 * the viewer's role, their levels with the authors, their purchases among the postings, the authors' tiers.
 */
export async function loadGateFacts(
  db: Database,
  viewerId: string | null,
  postings: ReadonlyArray<Pick<GatePosting, 'id' | 'authorId'>>,
  now: Date,
): Promise<{ viewer: GateViewer; facts: GateFacts }> {
  const authorIds = [...new Set(postings.map((p) => p.authorId))];
  const postingIds = postings.map((p) => p.id);
  const facts: GateFacts = {
    levelByCreator: new Map(),
    purchased: new Set(),
    tiersByCreator: new Map(),
  };
  if (authorIds.length === 0) return { viewer: { id: viewerId, isAdmin: false }, facts };
  const [role, levels, bought, tiers] = await Promise.all([
    viewerId
      ? db.select({ role: users.role }).from(users).where(eq(users.id, viewerId)).limit(1)
      : Promise.resolve([]),
    viewerId
      ? db
          .select({
            creatorId: subscriptions.creatorId,
            level: sql<number>`max(${subscriptions.level})`.mapWith(Number),
          })
          .from(subscriptions)
          .where(
            and(
              eq(subscriptions.subscriberId, viewerId),
              inArray(subscriptions.creatorId, authorIds),
              grantsAccess(now),
            ),
          )
          .groupBy(subscriptions.creatorId)
      : Promise.resolve([]),
    viewerId && postingIds.length
      ? db
          .select({ postingId: postingPurchases.postingId })
          .from(postingPurchases)
          .where(
            and(
              eq(postingPurchases.buyerId, viewerId),
              inArray(postingPurchases.postingId, postingIds),
            ),
          )
      : Promise.resolve([]),
    db
      .select({
        id: membershipItems.id,
        creatorId: membershipItems.creatorId,
        name: membershipItems.name,
        level: membershipItems.level,
        price: membershipItems.price,
      })
      .from(membershipItems)
      .where(
        and(
          inArray(membershipItems.creatorId, authorIds),
          isNull(membershipItems.deletedAt),
          eq(membershipItems.isActive, true),
        ),
      )
      .orderBy(asc(membershipItems.level)),
  ]);
  for (const l of levels) facts.levelByCreator.set(l.creatorId, l.level);
  for (const b of bought) facts.purchased.add(b.postingId);
  for (const t of tiers) {
    const list = facts.tiersByCreator.get(t.creatorId) ?? [];
    list.push({
      id: t.id,
      name: t.name,
      level: t.level,
      price: tierPriceKrw(t.price),
      priceKng: t.price,
    });
    facts.tiersByCreator.set(t.creatorId, list);
  }
  return { viewer: { id: viewerId, isAdmin: role[0]?.role === 'admin' }, facts };
}
