// Account deletion, the anonymisation (run by the cron after the grace period, see
// jobs/account-deletions.ts). In one transaction, for the user U and a fresh anonymous id A:
//   - remaining KNG are forfeited to the treasury (a transfer with reason account_forfeit; the
//     modal tells the user 보유한 콩이 환불되지 않습니다), so the ledger balances as before;
//   - every row kept for legal retention (wallet, transfers' keys, payment orders, subscriptions,
//     purchases, postings and comments as tombstones) is re-keyed from U to A: nothing left points
//     back to the person;
//   - personal data is erased: the profile (name, e-mail, phone, nickname, handle, bio, pictures),
//     posting and comment text, media names and keys, report texts, Toss customer fields in payment
//     snapshots;
//   - likes, follows, views, notifications and the early-bird record are removed (counters
//     adjusted);
//   - live subscriptions, the user's and their fans' to them, end now (no renewal).
import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { TREASURY_WALLET_ID } from '../db/reference-data.ts';
import {
  accountDeletions,
  boardViews,
  commentLikes,
  comments,
  creators,
  earlybirds,
  medias,
  membershipItems,
  notifications,
  paymentOrders,
  postingLikes,
  postingPurchases,
  postingViews,
  postings,
  reports,
  subscriptionEvents,
  subscriptions,
  transfers,
  userFollows,
  users,
  walletOwnerships,
  wallets,
  type AccountDeletion,
} from '../db/schema/index.ts';
import { ApiError } from '../lib/errors.ts';
import { postTransfers } from './ledger.ts';

type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

export const DELETED_NICKNAME = '탈퇴한회원';
export const DELETED_NAME = '탈퇴한 사용자';

/**
 * Fields of a Toss payment object kept after deletion: amounts, states and keys, no customer data.
 */
const SNAPSHOT_FIELDS = [
  'paymentKey',
  'orderId',
  'status',
  'type',
  'method',
  'currency',
  'totalAmount',
  'balanceAmount',
  'suppliedAmount',
  'vat',
  'taxFreeAmount',
  'requestedAt',
  'approvedAt',
  'lastTransactionKey',
  'mId',
  'version',
] as const;
const CANCEL_FIELDS = [
  'cancelAmount',
  'canceledAt',
  'transactionKey',
  'cancelStatus',
  'taxFreeAmount',
  'refundableAmount',
] as const;

export function scrubPaymentSnapshot(
  snapshot: Record<string, unknown> | null,
): Record<string, unknown> | null {
  if (!snapshot) return null;
  const out: Record<string, unknown> = {};
  for (const k of SNAPSHOT_FIELDS) if (k in snapshot) out[k] = snapshot[k];
  if (Array.isArray(snapshot.cancels)) {
    out.cancels = snapshot.cancels.map((c: Record<string, unknown>) =>
      Object.fromEntries(CANCEL_FIELDS.filter((k) => k in c).map((k) => [k, c[k]])),
    );
  }
  return out;
}

async function endSubscriptions(
  tx: Tx,
  column: typeof subscriptions.subscriberId | typeof subscriptions.creatorId,
  userId: string,
  deletionId: string,
  now: Date,
) {
  const live = await tx
    .select({ id: subscriptions.id, status: subscriptions.status })
    .from(subscriptions)
    .where(and(eq(column, userId), sql`${subscriptions.status} <> 'expired'`));
  for (const s of live) {
    await tx
      .update(subscriptions)
      .set({
        status: 'expired',
        autoRenew: false,
        endedAt: now,
        billingKeyRef: null,
        pendingMembershipItemId: null,
      })
      .where(eq(subscriptions.id, s.id));
    await tx
      .insert(subscriptionEvents)
      .ignore()
      .values({
        subscriptionId: s.id,
        type: 'expired',
        fromStatus: s.status,
        toStatus: 'expired',
        idempotencyKey: `account-deletion:${deletionId}:${s.id}:end`,
        data: { reason: 'account_deletion' },
      });
  }
}

/**
 * Removes the user's likes (of postings and comments), keeping the counters of what they liked
 * right.
 */
async function removeLikes(tx: Tx, userId: string) {
  const liked = await tx
    .select({ id: postingLikes.postingId })
    .from(postingLikes)
    .where(eq(postingLikes.userId, userId));
  if (liked.length) {
    await tx
      .update(postings)
      .set({ likeCount: sql`${postings.likeCount} - 1` })
      .where(
        and(
          inArray(
            postings.id,
            liked.map((l) => l.id),
          ),
          sql`${postings.likeCount} > 0`,
        ),
      );
    await tx.delete(postingLikes).where(eq(postingLikes.userId, userId));
  }
  const likedComments = await tx
    .select({ id: commentLikes.commentId })
    .from(commentLikes)
    .where(eq(commentLikes.userId, userId));
  if (likedComments.length) {
    await tx
      .update(comments)
      .set({ likeCount: sql`${comments.likeCount} - 1` })
      .where(
        and(
          inArray(
            comments.id,
            likedComments.map((l) => l.id),
          ),
          sql`${comments.likeCount} > 0`,
        ),
      );
    await tx.delete(commentLikes).where(eq(commentLikes.userId, userId));
  }
}

/**
 * Erases the user's comments (tombstones keep reply threads intact) and fixes the counts they were
 * in.
 */
async function eraseComments(tx: Tx, userId: string, anonId: string, now: Date) {
  const live = await tx
    .select({ id: comments.id, postingId: comments.postingId, parentId: comments.parentId })
    .from(comments)
    .where(and(eq(comments.authorId, userId), isNull(comments.deletedAt)));
  const perPosting = new Map<string, number>();
  const perParent = new Map<string, number>();
  for (const c of live) {
    perPosting.set(c.postingId, (perPosting.get(c.postingId) ?? 0) + 1);
    if (c.parentId) perParent.set(c.parentId, (perParent.get(c.parentId) ?? 0) + 1);
  }
  for (const [id, n] of perPosting) {
    await tx
      .update(postings)
      .set({ commentCount: sql`greatest(${postings.commentCount}, ${n}) - ${n}` })
      .where(eq(postings.id, id));
  }
  for (const [id, n] of perParent) {
    await tx
      .update(comments)
      .set({ replyCount: sql`greatest(${comments.replyCount}, ${n}) - ${n}` })
      .where(eq(comments.id, id));
  }
  await tx
    .update(comments)
    .set({ authorId: anonId, content: '', deletedAt: sql`coalesce(${comments.deletedAt}, ${now})` })
    .where(eq(comments.authorId, userId));
  await tx.update(comments).set({ taggedUserId: anonId }).where(eq(comments.taggedUserId, userId));
}

async function scrubRows(
  tx: Tx,
  u: string,
  a: string,
  deletion: AccountDeletion,
  walletIds: string[],
  now: Date,
) {
  const hex = a.replace(/-/g, '');
  await tx
    .update(users)
    .set({
      id: a,
      email: `${hex}@deleted.invalid`,
      handle: `deleted_${hex.slice(0, 24)}`,
      nickname: DELETED_NICKNAME,
      name: DELETED_NAME,
      phoneNumber: null,
      avatarUrl: null,
      bio: null,
      status: 'deleted',
      role: 'user',
      deletedAt: now,
    })
    .where(eq(users.id, u));
  await tx.delete(earlybirds).where(eq(earlybirds.userId, u));
  await tx.delete(notifications).where(eq(notifications.userId, u));
  await tx.delete(userFollows).where(eq(userFollows.followerId, u));
  await tx.delete(userFollows).where(eq(userFollows.followingId, u));
  await tx.delete(postingViews).where(eq(postingViews.viewerKey, `u:${u}`));
  await tx.delete(boardViews).where(eq(boardViews.viewerKey, `u:${u}`));
  await removeLikes(tx, u);
  await eraseComments(tx, u, a, now);

  // As a creator: the page goes, the tiers stop selling, the fans' subscriptions end.
  await tx
    .update(creators)
    .set({ userId: a, isActive: false, bannerUrl: null })
    .where(eq(creators.userId, u));
  await tx
    .update(membershipItems)
    .set({
      creatorId: a,
      isActive: false,
      deletedAt: sql`coalesce(${membershipItems.deletedAt}, ${now})`,
    })
    .where(eq(membershipItems.creatorId, u));
  await endSubscriptions(tx, subscriptions.creatorId, u, deletion.id, now);
  await endSubscriptions(tx, subscriptions.subscriberId, u, deletion.id, now);
  const subs = await tx
    .select({ id: subscriptions.id })
    .from(subscriptions)
    .where(eq(subscriptions.subscriberId, u));
  if (subs.length) {
    await tx
      .update(subscriptionEvents)
      .set({ idempotencyKey: sql`replace(${subscriptionEvents.idempotencyKey}, ${u}, ${a})` })
      .where(
        and(
          inArray(
            subscriptionEvents.subscriptionId,
            subs.map((s) => s.id),
          ),
          sql`${subscriptionEvents.idempotencyKey} like ${`%${u}%`}`,
        ),
      );
  }
  await tx.update(subscriptions).set({ subscriberId: a }).where(eq(subscriptions.subscriberId, u));
  await tx.update(subscriptions).set({ creatorId: a }).where(eq(subscriptions.creatorId, u));

  await tx
    .update(postings)
    .set({
      authorId: a,
      title: '',
      content: '',
      status: 'archived',
      isPublic: false,
      archivedAt: now,
      deletedAt: sql`coalesce(${postings.deletedAt}, ${now})`,
    })
    .where(eq(postings.authorId, u));
  await tx
    .update(medias)
    .set({
      ownerId: a,
      originalName: '',
      storageKey: sql`concat('deleted/', ${medias.id})`,
      variants: null,
      thumbnails: null,
      multipartUploadId: null,
      errorMessage: null,
      deletedAt: sql`coalesce(${medias.deletedAt}, ${now})`,
    })
    .where(eq(medias.ownerId, u));
  await tx.update(postingPurchases).set({ buyerId: a }).where(eq(postingPurchases.buyerId, u));
  await tx
    .update(reports)
    .set({ reporterId: a, description: null })
    .where(eq(reports.reporterId, u));
  await tx
    .update(reports)
    .set({ targetId: a })
    .where(and(eq(reports.targetType, 'user'), eq(reports.targetId, u)));
  await tx.update(reports).set({ resolvedBy: a }).where(eq(reports.resolvedBy, u));

  // The ledger and the payments stay (legal retention), under the anonymous id.
  if (walletIds.length) {
    await tx
      .update(transfers)
      .set({ idempotencyKey: sql`replace(${transfers.idempotencyKey}, ${u}, ${a})` })
      .where(
        and(
          or(inArray(transfers.fromWalletId, walletIds), inArray(transfers.toWalletId, walletIds)),
          sql`${transfers.idempotencyKey} like ${`%${u}%`}`,
        ),
      );
  }
  await tx.update(wallets).set({ ownerId: a }).where(eq(wallets.ownerId, u));
  await tx.update(walletOwnerships).set({ ownerId: a }).where(eq(walletOwnerships.ownerId, u));
  const orders = await tx
    .select({ id: paymentOrders.id, snapshot: paymentOrders.providerSnapshot })
    .from(paymentOrders)
    .where(eq(paymentOrders.userId, u));
  for (const o of orders) {
    await tx
      .update(paymentOrders)
      .set({ userId: a, providerSnapshot: scrubPaymentSnapshot(o.snapshot ?? null) })
      .where(eq(paymentOrders.id, o.id));
  }
  await tx.update(accountDeletions).set({ userId: a }).where(eq(accountDeletions.userId, u));
}

/**
 * Anonymises the user of a claimed deletion (status processing). Idempotent: a run after a
 * completed one finds the request completed and does nothing. Returns the anonymous id and the KNG
 * forfeited.
 */
export async function anonymise(
  db: Database,
  deletion: AccountDeletion,
  now: Date,
): Promise<{ anonymousId: string; forfeited: number }> {
  if (deletion.status !== 'processing')
    throw new ApiError('INVALID_STATE', '처리 중인 탈퇴 요청이 아닙니다.');
  const u = deletion.userId;
  const a = crypto.randomUUID();
  const userWallets = await db
    .select({ id: wallets.id, balance: wallets.balance, kind: wallets.kind })
    .from(wallets)
    .where(eq(wallets.ownerId, u));
  const walletIds = userWallets.map((w) => w.id);
  const kng = userWallets.find((w) => w.kind === 'user');
  const forfeited = kng?.balance ?? 0;
  const work = async (tx: Tx) => {
    // Nothing may have reached the wallet since it was read (the debit above is guarded; this is
    // the rest).
    const left = walletIds.length
      ? await tx
          .select({ balance: wallets.balance })
          .from(wallets)
          .where(inArray(wallets.id, walletIds))
          .for('update')
      : [];
    if (left.some((w) => w.balance !== 0))
      throw new ApiError(
        'CONFLICT',
        '탈퇴 처리 중 잔액이 바뀌었습니다. 다음 실행에서 다시 시도합니다.',
      );
    const done = await tx
      .update(accountDeletions)
      .set({
        status: 'completed',
        completedAt: now,
        forfeitedAmount: forfeited,
        stoppedSubscriptions: null,
      })
      .where(and(eq(accountDeletions.id, deletion.id), eq(accountDeletions.status, 'processing')));
    if (done.rowsAffected !== 1)
      throw new ApiError('INVALID_STATE', '처리 중인 탈퇴 요청이 아닙니다.');
    await scrubRows(tx, u, a, deletion, walletIds, now);
  };
  if (kng && forfeited > 0) {
    await postTransfers(
      db,
      [
        {
          idempotencyKey: `account-forfeit:${deletion.id}`,
          fromWalletId: kng.id,
          toWalletId: TREASURY_WALLET_ID,
          amount: forfeited,
          reason: 'account_forfeit',
          referenceType: 'account_deletion',
          referenceId: deletion.id,
        },
      ],
      work,
    );
  } else {
    await db.transaction(work);
  }
  return { anonymousId: a, forfeited };
}
