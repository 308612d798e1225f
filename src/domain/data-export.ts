// The personal-data export (GET /user/export): every record the user owns or made, as JSON. Other
// users appear only as ids and public handles (whom they follow, who follows them), never with
// their data.
import { asc, eq, inArray, or } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { TRANSFER_REASONS } from '../db/reference-data.ts';
import {
  accountDeletions,
  commentLikes,
  comments,
  creators,
  earlybirds,
  medias,
  membershipItems,
  notifications,
  paymentOrders,
  postingLikes,
  postingMedias,
  postingPurchases,
  postings,
  reports,
  subscriptions,
  transfers,
  userFollows,
  users,
  wallets,
} from '../db/schema/index.ts';
import { ApiError } from '../lib/errors.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const REASON_CODES = new Map<number, string>(TRANSFER_REASONS.map((r) => [r.id, r.code]));

async function handlesOf(db: Database, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select({ id: users.id, handle: users.handle })
    .from(users)
    .where(inArray(users.id, ids));
  return new Map(rows.map((r) => [r.id, r.handle]));
}

export async function exportUserData(db: Database, userId: string, now: Date) {
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw new ApiError('NOT_FOUND', '사용자를 찾을 수 없습니다.');
  const [
    [creator],
    [earlybird],
    ownPostings,
    ownMedia,
    ownComments,
    likedPostings,
    likedComments,
    following,
    followers,
    subs,
    tiers,
    purchases,
    orders,
    ownWallets,
    ownReports,
    ownNotifications,
    deletions,
  ] = await Promise.all([
    db.select().from(creators).where(eq(creators.userId, userId)).limit(1),
    db.select().from(earlybirds).where(eq(earlybirds.userId, userId)).limit(1),
    db
      .select()
      .from(postings)
      .where(eq(postings.authorId, userId))
      .orderBy(asc(postings.createdAt)),
    db.select().from(medias).where(eq(medias.ownerId, userId)).orderBy(asc(medias.createdAt)),
    db
      .select()
      .from(comments)
      .where(eq(comments.authorId, userId))
      .orderBy(asc(comments.createdAt)),
    db.select().from(postingLikes).where(eq(postingLikes.userId, userId)),
    db.select().from(commentLikes).where(eq(commentLikes.userId, userId)),
    db.select().from(userFollows).where(eq(userFollows.followerId, userId)),
    db.select().from(userFollows).where(eq(userFollows.followingId, userId)),
    db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.subscriberId, userId))
      .orderBy(asc(subscriptions.startedAt)),
    db
      .select()
      .from(membershipItems)
      .where(eq(membershipItems.creatorId, userId))
      .orderBy(asc(membershipItems.level)),
    db.select().from(postingPurchases).where(eq(postingPurchases.buyerId, userId)),
    db
      .select()
      .from(paymentOrders)
      .where(eq(paymentOrders.userId, userId))
      .orderBy(asc(paymentOrders.createdAt)),
    db.select().from(wallets).where(eq(wallets.ownerId, userId)),
    db.select().from(reports).where(eq(reports.reporterId, userId)),
    db.select().from(notifications).where(eq(notifications.userId, userId)),
    db.select().from(accountDeletions).where(eq(accountDeletions.userId, userId)),
  ]);
  const walletIds = ownWallets.map((w) => w.id);
  const postingIds = ownPostings.map((p) => p.id);
  const [ledger, attachments, handles] = await Promise.all([
    walletIds.length
      ? db
          .select()
          .from(transfers)
          .where(
            or(
              inArray(transfers.fromWalletId, walletIds),
              inArray(transfers.toWalletId, walletIds),
            ),
          )
          .orderBy(asc(transfers.createdAt), asc(transfers.id))
      : Promise.resolve([]),
    postingIds.length
      ? db.select().from(postingMedias).where(inArray(postingMedias.postingId, postingIds))
      : Promise.resolve([]),
    handlesOf(db, [...following.map((f) => f.followingId), ...followers.map((f) => f.followerId)]),
  ]);
  return {
    exportedAt: now.toISOString(),
    userId,
    profile: {
      email: user.email,
      handle: user.handle,
      nickname: user.nickname,
      name: user.name,
      phoneNumber: user.phoneNumber,
      avatarUrl: user.avatarUrl,
      bio: user.bio,
      status: user.status,
      createdAt: iso(user.createdAt),
      confirmedAt: iso(user.confirmedAt),
      earlybird: earlybird ? { joinedAt: iso(earlybird.joinedAt) } : null,
      creator: creator
        ? {
            categoryId: creator.categoryId,
            isActive: creator.isActive,
            bannerUrl: creator.bannerUrl,
            createdAt: iso(creator.createdAt),
          }
        : null,
    },
    postings: ownPostings.map((p) => ({
      id: p.id,
      title: p.title,
      content: p.content,
      status: p.status,
      isPublic: p.isPublic,
      isMembership: p.isMembership,
      membershipLevel: p.membershipLevel,
      publishedAt: iso(p.publishedAt),
      createdAt: iso(p.createdAt),
      deletedAt: iso(p.deletedAt),
      mediaIds: attachments.filter((m) => m.postingId === p.id).map((m) => m.mediaId),
    })),
    media: ownMedia.map((m) => ({
      id: m.id,
      type: m.type,
      originalName: m.originalName,
      mimeType: m.mimeType,
      fileSize: m.fileSize,
      status: m.status,
      createdAt: iso(m.createdAt),
      deletedAt: iso(m.deletedAt),
    })),
    comments: ownComments.map((c) => ({
      id: c.id,
      postingId: c.postingId,
      parentId: c.parentId,
      content: c.content,
      createdAt: iso(c.createdAt),
      deletedAt: iso(c.deletedAt),
    })),
    likes: {
      postings: likedPostings.map((l) => ({ postingId: l.postingId, createdAt: iso(l.createdAt) })),
      comments: likedComments.map((l) => ({ commentId: l.commentId, createdAt: iso(l.createdAt) })),
    },
    follows: {
      following: following.map((f) => ({
        userId: f.followingId,
        handle: handles.get(f.followingId) ?? null,
        createdAt: iso(f.createdAt),
      })),
      followers: followers.map((f) => ({
        userId: f.followerId,
        handle: handles.get(f.followerId) ?? null,
        createdAt: iso(f.createdAt),
      })),
    },
    subscriptions: subs.map((s) => ({
      id: s.id,
      creatorId: s.creatorId,
      membershipItemId: s.membershipItemId,
      status: s.status,
      level: s.level,
      price: s.price,
      paymentMethod: s.paymentMethod,
      autoRenew: s.autoRenew,
      currentPeriodStart: iso(s.currentPeriodStart),
      currentPeriodEnd: iso(s.currentPeriodEnd),
      startedAt: iso(s.startedAt),
      endedAt: iso(s.endedAt),
    })),
    membershipItems: tiers.map((t) => ({
      id: t.id,
      name: t.name,
      level: t.level,
      price: t.price,
      billingUnit: t.billingUnit,
      billingPeriod: t.billingPeriod,
      isActive: t.isActive,
      createdAt: iso(t.createdAt),
      deletedAt: iso(t.deletedAt),
    })),
    purchases: purchases.map((p) => ({
      postingId: p.postingId,
      price: p.price,
      createdAt: iso(p.createdAt),
    })),
    payments: orders.map((o) => ({
      orderId: o.orderId,
      kind: o.kind,
      orderName: o.orderName,
      amount: o.amount,
      tokenAmount: o.tokenAmount,
      status: o.status,
      method: o.method,
      approvedAt: iso(o.approvedAt),
      canceledAt: iso(o.canceledAt),
      canceledAmount: o.canceledAmount,
      createdAt: iso(o.createdAt),
    })),
    wallet: { balance: ownWallets.find((w) => w.kind === 'user')?.balance ?? 0 },
    transfers: ledger.map((t) => {
      const out = walletIds.includes(t.fromWalletId);
      return {
        id: t.id,
        direction: out ? ('out' as const) : ('in' as const),
        amount: t.amount,
        reason: REASON_CODES.get(t.reasonId) ?? String(t.reasonId),
        referenceType: t.referenceType,
        referenceId: t.referenceId,
        balanceAfter: out ? t.fromBalanceAfter : t.toBalanceAfter,
        createdAt: iso(t.createdAt),
      };
    }),
    reports: ownReports.map((r) => ({
      id: r.id,
      targetType: r.targetType,
      targetId: r.targetId,
      reason: r.reason,
      description: r.description,
      status: r.status,
      createdAt: iso(r.createdAt),
    })),
    notifications: ownNotifications.map((n) => ({
      id: n.id,
      type: n.type,
      title: n.title,
      body: n.body,
      readAt: iso(n.readAt),
      createdAt: iso(n.createdAt),
    })),
    accountDeletions: deletions.map((d) => ({
      status: d.status,
      requestedAt: iso(d.requestedAt),
      scheduledAt: iso(d.scheduledAt),
      canceledAt: iso(d.canceledAt),
    })),
  };
}

export type UserDataExport = Awaited<ReturnType<typeof exportUserData>>;
