// The one gate: a matrix of viewers × postings with the expected outcome written out cell by cell, and the
// fact loader against the real database (lapsed, grace and trial subscriptions, purchases, tiers).
import { uuidv7 } from 'uuidv7';
import { describe, expect, it } from 'vitest';
import { postingPurchases, subscriptions } from '../../src/db/schema/index.ts';
import {
  decide,
  loadGateFacts,
  type GateFacts,
  type GatePosting,
  type GateViewer,
} from '../../src/domain/gate.ts';
import { db, makeCreator, makeTier } from './economy-helpers.ts';

const NOW = new Date('2030-06-01T00:00:00Z');
const AUTHOR = 'author-0000';
const base: GatePosting = {
  id: 'p',
  authorId: AUTHOR,
  status: 'published',
  isPublic: true,
  isMembership: false,
  membershipLevel: null,
  allowIndividualPurchase: false,
  individualPurchasePrice: null,
  publishStartAt: null,
  publishEndAt: null,
  deletedAt: null,
};

const POSTINGS: Record<string, GatePosting> = {
  public: { ...base, id: 'public' },
  members3: {
    ...base,
    id: 'members3',
    isMembership: true,
    membershipLevel: 3,
    allowIndividualPurchase: true,
    individualPurchasePrice: 50,
  },
  purchaseOnly: {
    ...base,
    id: 'purchaseOnly',
    allowIndividualPurchase: true,
    individualPurchasePrice: 30,
  },
  draft: { ...base, id: 'draft', status: 'draft' },
  scheduled: { ...base, id: 'scheduled', publishStartAt: new Date('2030-07-01T00:00:00Z') },
  ended: { ...base, id: 'ended', publishEndAt: new Date('2030-05-01T00:00:00Z') },
  archived: { ...base, id: 'archived', status: 'archived' },
  hidden: { ...base, id: 'hidden', isPublic: false },
  deleted: { ...base, id: 'deleted', deletedAt: new Date('2030-05-01T00:00:00Z') },
};

const tiers = [
  { id: 't1', name: 'one', level: 1, price: 10 },
  { id: 't3', name: 'three', level: 3, price: 30 },
  { id: 't5', name: 'five', level: 5, price: 50 },
];
const facts = (level: number | null, purchasedAll = false): GateFacts => ({
  levelByCreator: new Map(level === null ? [] : [[AUTHOR, level]]),
  purchased: new Set(purchasedAll ? Object.keys(POSTINGS) : []),
  tiersByCreator: new Map([[AUTHOR, tiers]]),
});

const VIEWERS: Record<string, { viewer: GateViewer; facts: GateFacts }> = {
  anonymous: { viewer: { id: null, isAdmin: false }, facts: facts(null) },
  stranger: { viewer: { id: 'stranger', isAdmin: false }, facts: facts(null) },
  follower: { viewer: { id: 'follower', isAdmin: false }, facts: facts(null) },
  belowLevel: { viewer: { id: 'below', isAdmin: false }, facts: facts(2) },
  atLevel: { viewer: { id: 'at', isAdmin: false }, facts: facts(3) },
  // A lapsed subscriber's facts carry no level (the loader only returns subscriptions granting access now).
  lapsed: { viewer: { id: 'lapsed', isAdmin: false }, facts: facts(null) },
  purchaser: { viewer: { id: 'buyer', isAdmin: false }, facts: facts(null, true) },
  author: { viewer: { id: AUTHOR, isAdmin: false }, facts: facts(null) },
  admin: { viewer: { id: 'admin', isAdmin: true }, facts: facts(null) },
};

type Cell = 'full' | 'preview' | 'none';
// prettier-ignore
const EXPECTED: Record<string, Record<string, Cell>> = {
  //             anonymous   stranger   follower   belowLevel atLevel    lapsed     purchaser  author  admin
  public:       { anonymous: 'full',    stranger: 'full',    follower: 'full',    belowLevel: 'full',    atLevel: 'full',    lapsed: 'full',    purchaser: 'full', author: 'full', admin: 'full' },
  members3:     { anonymous: 'preview', stranger: 'preview', follower: 'preview', belowLevel: 'preview', atLevel: 'full',    lapsed: 'preview', purchaser: 'full', author: 'full', admin: 'full' },
  purchaseOnly: { anonymous: 'preview', stranger: 'preview', follower: 'preview', belowLevel: 'preview', atLevel: 'preview', lapsed: 'preview', purchaser: 'full', author: 'full', admin: 'full' },
  draft:        { anonymous: 'none',    stranger: 'none',    follower: 'none',    belowLevel: 'none',    atLevel: 'none',    lapsed: 'none',    purchaser: 'none', author: 'full', admin: 'full' },
  scheduled:    { anonymous: 'none',    stranger: 'none',    follower: 'none',    belowLevel: 'none',    atLevel: 'none',    lapsed: 'none',    purchaser: 'none', author: 'full', admin: 'full' },
  ended:        { anonymous: 'none',    stranger: 'none',    follower: 'none',    belowLevel: 'none',    atLevel: 'none',    lapsed: 'none',    purchaser: 'none', author: 'full', admin: 'full' },
  archived:     { anonymous: 'none',    stranger: 'none',    follower: 'none',    belowLevel: 'none',    atLevel: 'none',    lapsed: 'none',    purchaser: 'none', author: 'full', admin: 'full' },
  hidden:       { anonymous: 'none',    stranger: 'none',    follower: 'none',    belowLevel: 'none',    atLevel: 'none',    lapsed: 'none',    purchaser: 'none', author: 'full', admin: 'full' },
  deleted:      { anonymous: 'none',    stranger: 'none',    follower: 'none',    belowLevel: 'none',    atLevel: 'none',    lapsed: 'none',    purchaser: 'none', author: 'none', admin: 'none' },
};

describe('decide: viewers × postings', () => {
  const cells = Object.entries(EXPECTED).flatMap(([posting, row]) =>
    Object.entries(row).map(([viewer, expected]) => [posting, viewer, expected] as const),
  );
  it.each(cells)('%s seen by %s → %s', (postingKey, viewerKey, expected) => {
    const { viewer, facts: f } = VIEWERS[viewerKey];
    const d = decide(viewer, POSTINGS[postingKey], f, NOW);
    const got: Cell = !d.visible ? 'none' : d.access;
    expect(got).toBe(expected);
  });

  it('a locked membership posting offers the cheapest tier that includes it and the unlock price', () => {
    const d = decide(VIEWERS.belowLevel.viewer, POSTINGS.members3, VIEWERS.belowLevel.facts, NOW);
    expect(d).toEqual({
      visible: true,
      access: 'preview',
      reason: 'membership_required',
      offer: {
        // Stored in KNG, offered in KRW (110원 per KNG) with the KNG price beside it.
        unlockPrice: 5500,
        unlockPriceKng: 50,
        requiredLevel: 3,
        cheapestTier: { id: 't3', name: 'three', level: 3, price: 30 },
      },
    });
    const p = decide(VIEWERS.stranger.viewer, POSTINGS.purchaseOnly, VIEWERS.stranger.facts, NOW);
    expect(p).toMatchObject({
      access: 'preview',
      reason: 'purchase_required',
      offer: { unlockPrice: 3300, unlockPriceKng: 30, requiredLevel: null, cheapestTier: null },
    });
  });

  it('says why access is full', () => {
    expect(
      decide(VIEWERS.atLevel.viewer, POSTINGS.members3, VIEWERS.atLevel.facts, NOW),
    ).toMatchObject({ reason: 'subscription' });
    expect(
      decide(VIEWERS.purchaser.viewer, POSTINGS.members3, VIEWERS.purchaser.facts, NOW),
    ).toMatchObject({ reason: 'purchase' });
    expect(decide(VIEWERS.author.viewer, POSTINGS.draft, VIEWERS.author.facts, NOW)).toMatchObject({
      reason: 'author',
    });
    expect(decide(VIEWERS.admin.viewer, POSTINGS.hidden, VIEWERS.admin.facts, NOW)).toMatchObject({
      reason: 'admin',
    });
  });
});

describe('loadGateFacts against the database', () => {
  it('reads levels only from subscriptions that grant access now, purchases, tiers and the admin role — in a fixed number of queries', async () => {
    const author = await makeCreator();
    const other = await makeCreator();
    const viewer = await makeCreator();
    const t2 = await makeTier(author, { level: 2, price: 20 });
    await makeTier(author, { level: 4, price: 40 });
    const now = new Date();
    const hour = 3_600_000;
    const sub = (
      creatorId: string,
      level: number,
      status: 'active' | 'expired' | 'grace' | 'trialing' | 'canceled',
      end: Date,
      graceEndsAt: Date | null = null,
    ) =>
      db.insert(subscriptions).values({
        id: uuidv7(),
        subscriberId: viewer,
        creatorId,
        membershipItemId: t2.id,
        status,
        level,
        price: 20,
        billingAnchorAt: now,
        currentPeriodStart: now,
        currentPeriodEnd: end,
        graceEndsAt,
      });
    await sub(author, 2, 'canceled', new Date(now.getTime() + hour));
    // Lapsed with another creator: an expired row and an active row whose period is over.
    await sub(other, 5, 'expired', new Date(now.getTime() - hour));
    const postingA = uuidv7();
    await db
      .insert(postingPurchases)
      .values({ postingId: postingA, buyerId: viewer, price: 10, transferId: uuidv7() });
    const { viewer: v, facts } = await loadGateFacts(
      db,
      viewer,
      [
        { id: postingA, authorId: author },
        { id: uuidv7(), authorId: other },
      ],
      now,
    );
    expect(v).toEqual({ id: viewer, isAdmin: false });
    expect([...facts.levelByCreator.entries()]).toEqual([[author, 2]]);
    expect([...facts.purchased]).toEqual([postingA]);
    expect(facts.tiersByCreator.get(author)?.map((t) => t.level)).toEqual([2, 4]);
    // A grace subscription whose grace is running counts; anonymous viewers get empty facts.
    await sub(other, 3, 'grace', new Date(now.getTime() - hour), new Date(now.getTime() + hour));
    const again = await loadGateFacts(db, viewer, [{ id: uuidv7(), authorId: other }], now);
    expect(again.facts.levelByCreator.get(other)).toBe(3);
    const anon = await loadGateFacts(db, null, [{ id: postingA, authorId: author }], now);
    expect(anon.facts.levelByCreator.size + anon.facts.purchased.size).toBe(0);
  });
});
