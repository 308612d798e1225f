// GET /user/export: every record the user owns is in it, nothing of another user is, it is a
// private attachment, and it is rate-limited per user.
import { eq, inArray, or } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  comments,
  paymentOrders,
  postings,
  transfers,
  users,
  wallets,
} from '../../src/db/schema/index.ts';
import { createComment, likeComment } from '../../src/domain/comments.ts';
import { like } from '../../src/domain/engagement.ts';
import { follow } from '../../src/domain/follows.ts';
import { checkLedgerInvariants } from '../../src/domain/ledger.ts';
import { subscribe } from '../../src/domain/subscriptions.ts';
import type { UserDataExport } from '../../src/domain/data-export.ts';
import { api, tokenFor } from './auth-helpers.ts';
import { db, fund, makeCreator, makeTier } from './economy-helpers.ts';
import { expectError, readJson, type Envelope } from './helpers.ts';

const settings = { feeBps: 1000, graceDays: 3 };

afterEach(async () => {
  expect((await checkLedgerInvariants(db)).ok).toBe(true);
});

/**
 * A user with a bit of everything: a posting, comments, likes, follows, a subscription, a payment
 * order.
 */
async function busyUser(tag: string) {
  const id = await makeCreator();
  await db
    .update(users)
    .set({
      name: `name-${tag}`,
      phoneNumber: `+8210${tag.slice(0, 8).replace(/\D/g, '7').padEnd(8, '1')}`,
      bio: `bio-${tag}`,
    })
    .where(eq(users.id, id));
  const postingId = crypto.randomUUID();
  await db.insert(postings).values({
    id: postingId,
    authorId: id,
    title: `title-${tag}`,
    content: `content-${tag}`,
    status: 'published',
    publishedAt: new Date(),
  });
  const comment = await createComment(db, {
    authorId: id,
    postingId,
    content: `comment-${tag}`,
    now: new Date(),
  });
  await db.insert(paymentOrders).values({
    orderId: `order_${tag}`,
    userId: id,
    kind: 'topup',
    orderName: `콩 ${tag}`,
    amount: 1100,
    tokenAmount: 10,
    status: 'pending',
  });
  return { id, postingId, commentId: String((comment as { id: string }).id) };
}

describe('data export', () => {
  it("contains every record the user owns and nothing of another user's", async () => {
    const tag = crypto.randomUUID().replace(/-/g, '').slice(0, 10);
    const me = await busyUser(`me${tag}`);
    const other = await busyUser(`ot${tag}`);
    const tier = await makeTier(other.id, { price: 50 });
    await fund(me.id, 200);
    const { subscription } = await subscribe(
      db,
      { fanId: me.id, tierId: tier.id, clientKey: crypto.randomUUID(), now: new Date() },
      settings,
    );
    await like(db, me.id, other.postingId, new Date());
    const otherComment = await createComment(db, {
      authorId: other.id,
      postingId: me.postingId,
      content: `othercomment-${tag}`,
      now: new Date(),
    });
    await likeComment(db, {
      userId: me.id,
      commentId: String((otherComment as { id: string }).id),
      on: true,
      now: new Date(),
    });
    await follow(db, { followerId: me.id, followingId: other.id });
    await follow(db, { followerId: other.id, followingId: me.id });

    const res = await api('/user/export', { cookies: { access_token: await tokenFor(me.id) } });
    const { status, body, text } = await readJson<Envelope<UserDataExport>>(res);
    expect(status, text).toBe(200);
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="crefans-export-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const data = body.data;

    const [myRow] = await db.select().from(users).where(eq(users.id, me.id));
    expect(data.profile).toMatchObject({
      email: myRow.email,
      name: myRow.name,
      phoneNumber: myRow.phoneNumber,
      bio: myRow.bio,
      handle: myRow.handle,
      nickname: myRow.nickname,
    });
    expect(data.profile.creator).not.toBeNull();
    const myPostings = await db
      .select({ id: postings.id })
      .from(postings)
      .where(eq(postings.authorId, me.id));
    expect(data.postings.map((p) => p.id).sort()).toEqual(myPostings.map((p) => p.id).sort());
    const myComments = await db
      .select({ id: comments.id })
      .from(comments)
      .where(eq(comments.authorId, me.id));
    expect(data.comments.map((c) => c.id).sort()).toEqual(myComments.map((c) => c.id).sort());
    expect(data.likes.postings.map((l) => l.postingId)).toEqual([other.postingId]);
    expect(data.likes.comments.map((l) => l.commentId)).toEqual([
      String((otherComment as { id: string }).id),
    ]);
    expect(data.follows.following.map((f) => f.userId)).toEqual([other.id]);
    expect(data.follows.followers.map((f) => f.userId)).toEqual([other.id]);
    expect(data.subscriptions.map((s) => s.id)).toEqual([subscription.id]);
    const myOrders = await db
      .select({ orderId: paymentOrders.orderId })
      .from(paymentOrders)
      .where(eq(paymentOrders.userId, me.id));
    expect(data.payments.map((p) => p.orderId).sort()).toEqual(
      myOrders.map((o) => o.orderId).sort(),
    );
    const myWallets = await db
      .select({ id: wallets.id, balance: wallets.balance })
      .from(wallets)
      .where(eq(wallets.ownerId, me.id));
    const ids = myWallets.map((w) => w.id);
    const myTransfers = await db
      .select({ id: transfers.id })
      .from(transfers)
      .where(or(inArray(transfers.fromWalletId, ids), inArray(transfers.toWalletId, ids)));
    expect(data.transfers.map((t) => t.id).sort()).toEqual(myTransfers.map((t) => t.id).sort());
    expect(data.transfers.length).toBeGreaterThanOrEqual(3);
    expect(data.transfers.find((t) => t.reason === 'subscription')).toMatchObject({
      direction: 'out',
    });
    expect(data.wallet.balance).toBe(myWallets[0].balance);

    // Nothing of the other user: their profile, posting text, comment text, payment order.
    const [otherRow] = await db.select().from(users).where(eq(users.id, other.id));
    for (const secret of [
      otherRow.email,
      otherRow.name,
      otherRow.bio as string,
      `title-ot${tag}`,
      `content-ot${tag}`,
      `comment-ot${tag}`,
      `othercomment-${tag}`,
      `order_ot${tag}`,
    ]) {
      expect(text.includes(secret), secret).toBe(false);
    }
  });

  it('is for the signed-in user only, and rate-limited per user', async () => {
    await expectError(await api('/user/export'), 401, 'UNAUTHENTICATED');
    const id = await makeCreator();
    const cookies = { access_token: await tokenFor(id) };
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await api('/user/export', { cookies })).status);
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(statuses.slice(2)).toContain(429);
    const limited = await api('/user/export', { cookies });
    await expectError(limited, 429, 'RATE_LIMITED');
    expect(limited.headers.get('retry-after')).toBe('60');
    // Another user is not limited by this one's use.
    expect(
      (
        await api('/user/export', {
          cookies: { access_token: await tokenFor(await makeCreator()) },
        })
      ).status,
    ).toBe(200);
  });
});
