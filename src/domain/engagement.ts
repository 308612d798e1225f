// Unlocking a posting with KNG, and likes. Both act only on what the gate lets the viewer see.
import { and, eq, inArray, sql } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Database } from '../db/client.ts';
import {
  postingLikes,
  postingPurchases,
  postings,
  transfers,
  users,
  type Posting,
} from '../db/schema/index.ts';
import { ApiError } from '../lib/errors.ts';
import { decide, loadGateFacts, type Decision } from './gate.ts';
import { isDuplicateKey } from './identity.ts';
import { postTransfers } from './ledger.ts';
import { paymentLegs } from './subscriptions.ts';
import { ensureWallet, kngWallet } from './wallets.ts';

/** The posting and the gate's decision for this viewer; invisible → 404. */
export async function gateFor(
  db: Database,
  viewerId: string | null,
  postingId: string,
  now: Date,
): Promise<{ posting: Posting; decision: Extract<Decision, { visible: true }> }> {
  const [posting] = await db.select().from(postings).where(eq(postings.id, postingId));
  if (!posting) throw new ApiError('NOT_FOUND', '포스팅을 찾을 수 없습니다.');
  const { viewer, facts } = await loadGateFacts(db, viewerId, [posting], now);
  const decision = decide(viewer, posting, facts, now);
  if (!decision.visible) throw new ApiError('NOT_FOUND', '포스팅을 찾을 수 없습니다.');
  return { posting, decision };
}

async function walletOf(db: Database, userId: string): Promise<string> {
  await ensureWallet(db, userId);
  return (await kngWallet(db, userId))?.id as string;
}

/**
 * Buys a posting with KNG: the creator gets the price minus the platform fee. Idempotent by the client's
 * key, and once per buyer and posting (a database key): buying again answers with the first
 * purchase. A key already used for another posting is refused (IDEMPOTENCY_CONFLICT); the same key
 * for the same posting answers exactly what the first request answered (what it charged).
 */
export async function unlockPosting(
  db: Database,
  input: { buyerId: string; postingId: string; clientKey: string; now: Date; feeBps: number },
) {
  const { posting, decision } = await gateFor(db, input.buyerId, input.postingId, input.now);
  const key = `unlock:${input.buyerId}:${input.clientKey}`;
  const existing = async () =>
    (
      await db
        .select()
        .from(postingPurchases)
        .where(
          and(
            eq(postingPurchases.postingId, posting.id),
            eq(postingPurchases.buyerId, input.buyerId),
          ),
        )
    )[0];
  /** What this key already paid for, if anything (another posting → conflict). */
  const paidWithKey = async () => {
    const rows = await db
      .select({ referenceType: transfers.referenceType, referenceId: transfers.referenceId })
      .from(transfers)
      .where(inArray(transfers.idempotencyKey, [`${key}:creator`, `${key}:fee`]));
    if (rows.some((r) => r.referenceType !== 'posting' || r.referenceId !== posting.id)) {
      throw new ApiError(
        'IDEMPOTENCY_CONFLICT',
        '같은 멱등성 키로 다른 포스팅을 이미 구매했습니다.',
      );
    }
    return rows.length > 0;
  };
  const paid = await paidWithKey();
  const before = await existing();
  if (before) return { purchase: before, charged: paid ? before.price : 0, replayed: true };
  if (decision.access === 'full') {
    // Nothing to buy: the viewer already has it (author, admin, free, or through a membership).
    throw new ApiError('NOT_FOR_SALE', '이미 전체 내용을 볼 수 있는 포스팅입니다.');
  }
  if (!posting.allowIndividualPurchase || !posting.individualPurchasePrice)
    throw new ApiError('NOT_FOR_SALE', '개별 구매할 수 없는 포스팅입니다.');
  const price = posting.individualPurchasePrice;
  const legs = paymentLegs(
    key,
    await walletOf(db, input.buyerId),
    await walletOf(db, posting.authorId),
    price,
    input.feeBps,
    { type: 'posting', id: posting.id },
    'posting_unlock',
  );
  let replayed = false;
  try {
    replayed = (
      await postTransfers(db, legs, async (tx, posted) => {
        await tx.insert(postingPurchases).values({
          id: uuidv7(),
          postingId: posting.id,
          buyerId: input.buyerId,
          price,
          transferId: posted[0].id,
        });
      })
    ).replayed;
  } catch (err) {
    // A concurrent purchase of the same posting with another key won: the loser's transfers rolled back.
    if (!isDuplicateKey(err)) throw err;
  }
  const after = await existing();
  if (!after) throw new ApiError('CONFLICT', '구매가 동시에 처리되었습니다. 다시 시도해 주세요.');
  // Charged by this request (or by its twin with the same key), or bought by another request
  // meanwhile.
  const charged = replayed || (await paidWithKey()) ? after.price : 0;
  return { purchase: after, charged, replayed };
}

/**
 * Like: idempotent, counted exactly (the counter moves only when the like row really changes). A
 * like or unlike first locks the liker's own user row, so one user's interleaved like/unlike
 * requests queue behind each other instead of deadlocking on the like row's gap and duplicate-key
 * locks; different users never wait for each other there, and the posting's counter row is locked
 * last, for one round trip.
 */
export async function like(
  db: Database,
  userId: string,
  postingId: string,
  now: Date,
): Promise<{ liked: true; likeCount: number }> {
  await gateFor(db, userId, postingId, now);
  await db.transaction(async (tx) => {
    await lockLiker(tx, userId);
    const added = await tx.insert(postingLikes).ignore().values({ postingId, userId });
    if (added.rowsAffected === 1) {
      await tx
        .update(postings)
        .set({ likeCount: sql`${postings.likeCount} + 1` })
        .where(eq(postings.id, postingId));
    }
  });
  return { liked: true, likeCount: await likeCount(db, postingId) };
}

export async function unlike(
  db: Database,
  userId: string,
  postingId: string,
  now: Date,
): Promise<{ liked: false; likeCount: number }> {
  await gateFor(db, userId, postingId, now);
  await db.transaction(async (tx) => {
    await lockLiker(tx, userId);
    const removed = await tx
      .delete(postingLikes)
      .where(and(eq(postingLikes.postingId, postingId), eq(postingLikes.userId, userId)));
    if (removed.rowsAffected === 1) {
      await tx
        .update(postings)
        .set({ likeCount: sql`${postings.likeCount} - 1` })
        .where(and(eq(postings.id, postingId), sql`${postings.likeCount} > 0`));
    }
  });
  return { liked: false, likeCount: await likeCount(db, postingId) };
}

type LikeTx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** The liker's own row, locked first by every like and unlike (see `like`). */
async function lockLiker(tx: LikeTx, userId: string): Promise<void> {
  await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
}

async function likeCount(db: Database, postingId: string): Promise<number> {
  const [row] = await db
    .select({ n: postings.likeCount })
    .from(postings)
    .where(eq(postings.id, postingId));
  return row?.n ?? 0;
}
