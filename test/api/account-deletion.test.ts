// Account deletion through the settings page's request (DELETE /user/account, no body):
// re-authentication by a recent sign-in, the grace period (signing in cancels and restores), then
// the cron's anonymisation — afterwards no column of any table holds the user's personal data, the
// ledger balances, the payment still reconciles with its credit, and the user cannot sign in.
import { env } from 'cloudflare:workers';
import { and, eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { TREASURY_WALLET_ID } from '../../src/db/reference-data.ts';
import {
  accountDeletions,
  comments,
  creators,
  medias,
  notifications,
  paymentOrders,
  postings,
  reports,
  subscriptions,
  transfers,
  users,
  wallets,
} from '../../src/db/schema/index.ts';
import { createComment, likeComment } from '../../src/domain/comments.ts';
import { like } from '../../src/domain/engagement.ts';
import { follow } from '../../src/domain/follows.ts';
import { changeHandle } from '../../src/domain/identity.ts';
import { checkLedgerInvariants } from '../../src/domain/ledger.ts';
import { subscribe } from '../../src/domain/subscriptions.ts';
import { parseEnv } from '../../src/env.ts';
import { runAccountDeletions } from '../../src/jobs/account-deletions.ts';
import { claimDeletion } from '../../src/domain/account-deletion.ts';
import { scrubPaymentSnapshot } from '../../src/domain/anonymisation.ts';
import { headObject, objectUrl, storageClient } from '../../src/lib/storage.ts';
import { api, createUser, postJson, stack, type TestUser } from './auth-helpers.ts';
import { balanceOf, db, fund, makeCreator, makeTier } from './economy-helpers.ts';
import { expectError, readJson, type Envelope } from './helpers.ts';

const settings = { feeBps: 1000, graceDays: 3 };
const DAY = 86_400_000;
const quietLog = {
  info: () => undefined,
  error: (msg: string, f?: Record<string, unknown>) => console.error(msg, f),
};
const config = () => parseEnv(env as unknown as Record<string, unknown>);

afterEach(async () => {
  expect((await checkLedgerInvariants(db)).ok).toBe(true);
});

/**
 * An access token signed like cognito-local's, with a chosen auth_time (seconds ago; null = none).
 */
async function tokenWithAuthTime(userId: string, secondsAgo: number | null): Promise<string> {
  const { SignJWT, importJWK } = await import('jose');
  const key = await importJWK(
    JSON.parse(env.TEST_COGNITO_PRIVATE_JWK) as Parameters<typeof importJWK>[0],
    'RS256',
  );
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    token_use: 'access',
    client_id: env.COGNITO_CLIENT_ID,
    username: userId,
    ...(secondsAgo === null ? {} : { auth_time: now - secondsAgo }),
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' })
    .setSubject(userId)
    .setIssuer(env.COGNITO_ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(key);
}

const requestDeletion = (cookies: Record<string, string>) =>
  api('/user/account', { method: 'DELETE', cookies });

async function fakeToss(path: string, body: unknown): Promise<{ paymentKey: string }> {
  const res = await fetch(`${stack.toss.endpoint}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
  return (await res.json()) as { paymentKey: string };
}

/** A real top-up through the Toss stand-in (prepare → window → confirm). */
async function topUp(user: TestUser): Promise<string> {
  const prepared = await readJson<Envelope<{ orderId: string; amount: number }>>(
    await postJson(
      '/payment/prepare',
      { amount: 11_000, orderName: '콩 충전' },
      { cookies: user.cookies },
    ),
  );
  expect(prepared.status, prepared.text).toBe(200);
  const { orderId, amount } = prepared.body.data;
  const { paymentKey } = await fakeToss('/_fake/window/approve', { orderId, amount });
  const confirmed = await postJson(
    '/payment/confirm',
    { paymentKey, orderId, amount },
    { cookies: user.cookies },
  );
  expect(confirmed.status, await confirmed.clone().text()).toBe(200);
  return orderId;
}

describe('requesting deletion', () => {
  it('anonymous → 401; an old sign-in (or no auth_time) → 401 REAUTH_REQUIRED', async () => {
    await expectError(await api('/user/account', { method: 'DELETE' }), 401, 'UNAUTHENTICATED');
    const userId = await makeCreator();
    for (const token of [
      await tokenWithAuthTime(userId, 11 * 60),
      await tokenWithAuthTime(userId, null),
    ]) {
      await expectError(await requestDeletion({ access_token: token }), 401, 'REAUTH_REQUIRED');
    }
    expect(
      await db.select().from(accountDeletions).where(eq(accountDeletions.userId, userId)),
    ).toHaveLength(0);
    // Within the window it is accepted.
    const res = await requestDeletion({ access_token: await tokenWithAuthTime(userId, 60) });
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it('parallel requests record one; renewals stop; a sign-in cancels', async () => {
    const fan = await createUser('del-cancel');
    const creator = await makeCreator();
    const tier = await makeTier(creator, { price: 100 });
    await fund(fan.sub, 300);
    await subscribe(
      db,
      { fanId: fan.sub, tierId: tier.id, clientKey: crypto.randomUUID(), now: new Date() },
      settings,
    );

    const all = await Promise.all(Array.from({ length: 10 }, () => requestDeletion(fan.cookies)));
    const bodies = await Promise.all(
      all.map((r) =>
        readJson<
          Envelope<{ status: string; scheduledAt: string; requestedAt: string; graceDays: number }>
        >(r),
      ),
    );
    expect(
      bodies.map((b) => b.status),
      bodies[0].text,
    ).toEqual(Array(10).fill(200));
    const first = bodies[0].body.data;
    expect(first.status).toBe('pending');
    expect(first.graceDays).toBe(14);
    expect(new Date(first.scheduledAt).getTime() - new Date(first.requestedAt).getTime()).toBe(
      14 * DAY,
    );
    expect(new Set(bodies.map((b) => b.body.data.scheduledAt)).size).toBe(1);
    // Signed out: the cookies are cleared.
    expect(
      all[0].headers
        .getSetCookie()
        .some((c) => /^access_token=;/.test(c) || /^access_token=.*Max-Age=0/i.test(c)),
    ).toBe(true);
    const rows = await db
      .select()
      .from(accountDeletions)
      .where(eq(accountDeletions.userId, fan.sub));
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('pending');
    const [stopped] = await db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.subscriberId, fan.sub));
    expect(stopped).toMatchObject({ status: 'canceled', autoRenew: false });

    // Before the grace period ends the job leaves it alone.
    const early = await runAccountDeletions(config(), quietLog, new Date(Date.now() + 13 * DAY));
    expect(early.completed).toBe(0);
    expect(
      (await db.select().from(accountDeletions).where(eq(accountDeletions.userId, fan.sub)))[0]
        .status,
    ).toBe('pending');

    const signin = await readJson<
      Envelope<{ user: { email: string }; accountDeletionCanceled?: boolean }>
    >(await postJson('/auth/signin', { email: fan.email, password: fan.password }));
    expect(signin.status, signin.text).toBe(201);
    expect(signin.body.data.accountDeletionCanceled).toBe(true);
    expect(signin.body.message).toContain('탈퇴 요청이 취소');
    const [after] = await db
      .select()
      .from(accountDeletions)
      .where(eq(accountDeletions.userId, fan.sub));
    expect(after.status).toBe('canceled');
    const [resumed] = await db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.subscriberId, fan.sub));
    expect(resumed).toMatchObject({ status: 'active', autoRenew: true });
    // Everything else is as it was: the account, its wallet, and a later run of the job does
    // nothing.
    expect(await balanceOf(fan.sub)).toBe(200);
    await runAccountDeletions(config(), quietLog, new Date(Date.now() + 30 * DAY));
    const [user] = await db.select().from(users).where(eq(users.id, fan.sub));
    expect(user).toMatchObject({ status: 'active', email: fan.email.toLowerCase() });
    // A second sign-in is an ordinary one.
    const again = await readJson<Envelope<{ accountDeletionCanceled?: boolean }>>(
      await postJson('/auth/signin', { email: fan.email, password: fan.password }),
    );
    expect(again.body.data.accountDeletionCanceled).toBeUndefined();
  });
});

describe('claimed requests and snapshots', () => {
  it('a request the cron claimed refuses the sign-in (403) and is not cancelled', async () => {
    const u = await createUser('del-claimed');
    const res = await readJson<Envelope<{ scheduledAt: string }>>(await requestDeletion(u.cookies));
    expect(res.status, res.text).toBe(200);
    const [open] = await db
      .select()
      .from(accountDeletions)
      .where(eq(accountDeletions.userId, u.sub));
    expect(await claimDeletion(db, open, new Date(Date.now() + 1000))).toBe(false);
    expect(
      await claimDeletion(db, open, new Date(new Date(res.body.data.scheduledAt).getTime() + 1000)),
    ).toBe(true);
    await expectError(
      await postJson('/auth/signin', { email: u.email, password: u.password }),
      403,
      'FORBIDDEN',
    );
    const [still] = await db
      .select()
      .from(accountDeletions)
      .where(eq(accountDeletions.id, open.id));
    expect(still.status).toBe('processing');
    // The next run finishes the claimed request.
    await runAccountDeletions(config(), quietLog, new Date());
    expect(
      (await db.select().from(accountDeletions).where(eq(accountDeletions.id, open.id)))[0].status,
    ).toBe('completed');
  });

  it('a Toss snapshot keeps amounts, states and keys only', () => {
    const scrubbed = scrubPaymentSnapshot({
      paymentKey: 'pk',
      orderId: 'o',
      status: 'DONE',
      totalAmount: 1100,
      balanceAmount: 1100,
      customerName: '홍길동',
      customerEmail: 'a@b.c',
      customerMobilePhone: '01012345678',
      card: { number: '1234********5678', approveNo: '1' },
      receipt: { url: 'https://r' },
      cancels: [
        {
          cancelAmount: 100,
          transactionKey: 't',
          cancelReason: '고객 변심 홍길동',
          refundReceiveAccount: { holderName: '홍길동' },
        },
      ],
    });
    expect(scrubbed).toEqual({
      paymentKey: 'pk',
      orderId: 'o',
      status: 'DONE',
      totalAmount: 1100,
      balanceAmount: 1100,
      cancels: [{ cancelAmount: 100, transactionKey: 't' }],
    });
  });
});

/**
 * Every table and text-like column of the schema, read from information_schema (so a new table is
 * walked too).
 */
async function textColumns(): Promise<Map<string, string[]>> {
  const rows = (
    await db.execute(sql`select table_name as t, column_name as c from information_schema.columns
      where table_schema = database() and data_type in ('char', 'varchar', 'tinytext', 'text',
        'mediumtext', 'longtext', 'json', 'enum', 'set', 'blob', 'mediumblob', 'longblob')
      order by table_name, ordinal_position`)
  ).rows as Array<{ t: string; c: string }>;
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.t, [...(out.get(r.t) ?? []), r.c]);
  return out;
}

/** Rows (table, column, value) where any of the needles still appears. */
async function findTraces(needles: string[]): Promise<string[]> {
  const hits: string[] = [];
  for (const [table, cols] of await textColumns()) {
    for (const col of cols) {
      const conditions = sql.join(
        needles.map((n) => sql`cast(${sql.identifier(col)} as char) like ${`%${n}%`}`),
        sql` or `,
      );
      const value = sql`cast(${sql.identifier(col)} as char)`;
      const from = sql.identifier(table);
      const query = sql`select ${value} as v from ${from} where ${conditions} limit 5`;
      const found = (await db.execute(query)).rows as Array<{ v: string }>;
      for (const f of found) hits.push(`${table}.${col}: ${String(f.v).slice(0, 120)}`);
    }
  }
  return hits;
}

describe('after the grace period', () => {
  it('no personal data in any column; ledger and payments hold; no sign-in', async () => {
    const u = await createUser('del-full');
    const other = await createUser('del-other');
    const tag = crypto.randomUUID().slice(0, 8);
    const personal = {
      name: `홍길동${tag}`,
      phone: `+8210${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      handle: `h${tag}`,
      bio: `bio-${tag}`,
      avatar: `https://cdn.test/avatar-${tag}.png`,
      banner: `https://cdn.test/banner-${tag}.png`,
      posting: `posting-${tag}`,
      comment: `comment-${tag}`,
      report: `report-${tag}`,
      media: `media-${tag}.jpg`,
      notice: `notice-${tag}`,
      customer: `customer-${tag}`,
    };
    await db
      .update(users)
      .set({
        name: personal.name,
        phoneNumber: personal.phone,
        bio: personal.bio,
        avatarUrl: personal.avatar,
      })
      .where(eq(users.id, u.sub));
    await changeHandle(db, u.sub, personal.handle);

    // As a creator: a tier, a fan subscribed to it, a posting with a comment and a media file.
    await db.insert(creators).values({ userId: u.sub, bannerUrl: personal.banner });
    const ownTier = await makeTier(u.sub, { price: 100 });
    const fan = await makeCreator();
    await fund(fan, 500);
    await subscribe(
      db,
      { fanId: fan, tierId: ownTier.id, clientKey: crypto.randomUUID(), now: new Date() },
      settings,
    );
    const postingId = crypto.randomUUID();
    await db.insert(postings).values({
      id: postingId,
      authorId: u.sub,
      title: `${personal.posting} title`,
      content: `${personal.posting} body`,
      status: 'published',
      publishedAt: new Date(),
    });
    const mediaId = crypto.randomUUID();
    const storageKey = `uploads/${u.sub}/${mediaId}/${personal.media}`;
    const s3 = config();
    const put = await storageClient(s3).fetch(objectUrl(s3, storageKey), {
      method: 'PUT',
      body: 'bytes',
      headers: { 'content-type': 'image/jpeg' },
    });
    expect(put.status).toBe(200);
    const processedKey = `processed/${u.sub}/${mediaId}/w480.webp`;
    await storageClient(s3).fetch(objectUrl(s3, processedKey), {
      method: 'PUT',
      body: 'variant',
      headers: { 'content-type': 'image/webp' },
    });
    await db.insert(medias).values({
      id: mediaId,
      ownerId: u.sub,
      type: 'image',
      originalName: personal.media,
      mimeType: 'image/jpeg',
      fileSize: 5,
      storageKey,
      status: 'ready',
      variants: { w480: processedKey },
    });
    const now = new Date();
    const otherComment = await createComment(db, {
      authorId: other.sub,
      postingId,
      content: 'nice post',
      now,
    });

    // As a fan: a subscription to another creator, a like, a comment, follows, a report, a
    // notification.
    const creator = await makeCreator();
    const tier = await makeTier(creator, { price: 100 });
    const creatorPosting = crypto.randomUUID();
    await db.insert(postings).values({
      id: creatorPosting,
      authorId: creator,
      title: 'public',
      content: 'public',
      status: 'published',
      publishedAt: new Date(),
    });
    const orderId = await topUp(u);
    await subscribe(
      db,
      { fanId: u.sub, tierId: tier.id, clientKey: crypto.randomUUID(), now },
      settings,
    );
    await like(db, u.sub, creatorPosting, now);
    const myComment = await createComment(db, {
      authorId: u.sub,
      postingId: creatorPosting,
      content: `${personal.comment} ${personal.phone}`,
      now,
    });
    const reply = await createComment(db, {
      authorId: other.sub,
      postingId: creatorPosting,
      content: 'reply to it',
      parentId: String((myComment as { id: string }).id),
      taggedUserId: u.sub,
      now,
    });
    await likeComment(db, {
      userId: u.sub,
      commentId: String((reply as { id: string }).id),
      on: true,
      now,
    });
    await follow(db, { followerId: u.sub, followingId: creator });
    await follow(db, { followerId: other.sub, followingId: u.sub });
    await db.insert(reports).values({
      reporterId: u.sub,
      targetType: 'user',
      targetId: other.sub,
      reason: 'spam',
      description: personal.report,
    });
    await db.insert(reports).values({
      reporterId: other.sub,
      targetType: 'user',
      targetId: u.sub,
      reason: 'other',
      description: 'about them',
    });
    await db
      .insert(notifications)
      .values({ userId: u.sub, type: 'test', title: personal.notice, body: personal.notice });
    // Toss's payment object carries customer fields (name, e-mail, phone): as a real confirm would
    // store.
    const [order] = await db.select().from(paymentOrders).where(eq(paymentOrders.orderId, orderId));
    await db
      .update(paymentOrders)
      .set({
        providerSnapshot: {
          ...(order.providerSnapshot ?? {}),
          customerName: personal.customer,
          customerEmail: u.email,
          customerMobilePhone: personal.phone,
          receipt: { url: `https://receipt/${personal.customer}` },
        },
      })
      .where(eq(paymentOrders.id, order.id));

    const balanceBefore = await balanceOf(u.sub);
    expect(balanceBefore).toBeGreaterThan(0);
    const needles = [u.sub, u.email, u.email.toLowerCase(), u.nickname, ...Object.values(personal)];
    expect((await findTraces(needles)).length).toBeGreaterThan(10);

    const res = await readJson<Envelope<{ scheduledAt: string }>>(await requestDeletion(u.cookies));
    expect(res.status, res.text).toBe(200);
    const due = new Date(new Date(res.body.data.scheduledAt).getTime() + 60_000);
    const report = await runAccountDeletions(config(), quietLog, due);
    expect(report.failed).toBe(0);
    expect(report.completed).toBeGreaterThanOrEqual(1);

    // 1. No trace of the person anywhere: every text-like column of every table, walked from
    // information_schema.
    expect(await findTraces(needles)).toEqual([]);
    const tables = await textColumns();
    for (const t of [
      'users',
      'comments',
      'postings',
      'medias',
      'payment_orders',
      'transfers',
      'wallets',
      'subscriptions',
      'reports',
      'account_deletions',
    ]) {
      expect(tables.has(t), t).toBe(true);
    }

    // 2. What is kept, is kept under one anonymous id: the tombstone, the wallet, the order, the
    // subscriptions.
    const [deletion] = await db
      .select()
      .from(accountDeletions)
      .where(
        and(
          eq(accountDeletions.status, 'completed'),
          eq(accountDeletions.scheduledAt, new Date(res.body.data.scheduledAt)),
        ),
      );
    const anon = deletion.userId;
    const [tomb] = await db.select().from(users).where(eq(users.id, anon));
    expect(tomb).toMatchObject({
      status: 'deleted',
      nickname: '탈퇴한회원',
      phoneNumber: null,
      bio: null,
      avatarUrl: null,
    });
    const [keptOrder] = await db
      .select()
      .from(paymentOrders)
      .where(eq(paymentOrders.orderId, orderId));
    expect(keptOrder).toMatchObject({
      userId: anon,
      status: 'credited',
      amount: 11_000,
      tokenAmount: 100,
    });
    expect(keptOrder.providerSnapshot).toMatchObject({
      paymentKey: keptOrder.paymentKey,
      totalAmount: 11_000,
    });
    const [anonWallet] = await db.select().from(wallets).where(eq(wallets.ownerId, anon));
    expect(anonWallet.balance).toBe(0);

    // 3. The ledger: the remaining KNG went to the treasury as a forfeit, and the top-up's credit
    // still lands in the wallet of the order's (anonymous) owner: the payment reconciles with its
    // credit.
    const [forfeit] = await db
      .select()
      .from(transfers)
      .where(eq(transfers.idempotencyKey, `account-forfeit:${deletion.id}`));
    expect(forfeit).toMatchObject({
      fromWalletId: anonWallet.id,
      toWalletId: TREASURY_WALLET_ID,
      amount: balanceBefore,
      reasonId: 9,
    });
    expect(deletion.forfeitedAmount).toBe(balanceBefore);
    const [credit] = await db
      .select()
      .from(transfers)
      .where(eq(transfers.idempotencyKey, `topup:${orderId}`));
    expect(credit).toMatchObject({ toWalletId: anonWallet.id, amount: keptOrder.tokenAmount });
    expect((await checkLedgerInvariants(db)).ok).toBe(true);

    // 4. Subscriptions ended both ways, postings hidden, comments erased (the reply thread stays),
    // media gone.
    const subs = await db.select().from(subscriptions).where(eq(subscriptions.subscriberId, anon));
    expect(subs.map((s) => [s.status, s.autoRenew])).toEqual([['expired', false]]);
    const fans = await db.select().from(subscriptions).where(eq(subscriptions.creatorId, anon));
    expect(fans.map((s) => s.status)).toEqual(['expired']);
    await expectError(
      await api(`/postings/${postingId}`, { cookies: other.cookies }),
      404,
      'NOT_FOUND',
    );
    const [erased] = await db
      .select()
      .from(comments)
      .where(eq(comments.id, String((myComment as { id: string }).id)));
    expect(erased).toMatchObject({ authorId: anon, content: '' });
    expect(erased.deletedAt).not.toBeNull();
    const [stillThere] = await db
      .select()
      .from(comments)
      .where(eq(comments.id, String((otherComment as { id: string }).id)));
    expect(stillThere.content).toBe('nice post');
    expect(await headObject(s3, storageKey)).toBeNull();
    expect(await headObject(s3, processedKey)).toBeNull();
    const [post] = await db.select().from(postings).where(eq(postings.id, creatorPosting));
    expect(post.likeCount).toBe(0);

    // 5. No sign-in (the Cognito user is gone), and the handle is free for someone else.
    await expectError(
      await postJson('/auth/signin', { email: u.email, password: u.password }),
      401,
      'INVALID_CREDENTIALS',
    );
    await changeHandle(db, other.sub, personal.handle);

    // 6. Running the job again changes nothing.
    const again = await runAccountDeletions(config(), quietLog, new Date(due.getTime() + DAY));
    expect(again.failed).toBe(0);
    expect(await findTraces(needles.filter((n) => n !== personal.handle))).toEqual([]);
  });

  it('a user with no KNG, payments or content is deleted too (nothing to forfeit)', async () => {
    const u = await createUser('del-empty');
    const res = await readJson<Envelope<{ scheduledAt: string }>>(await requestDeletion(u.cookies));
    expect(res.status, res.text).toBe(200);
    await runAccountDeletions(
      config(),
      quietLog,
      new Date(new Date(res.body.data.scheduledAt).getTime() + 1000),
    );
    expect(await db.select().from(users).where(eq(users.id, u.sub))).toHaveLength(0);
    expect(await findTraces([u.sub, u.email.toLowerCase(), u.nickname])).toEqual([]);
    await expectError(
      await postJson('/auth/signin', { email: u.email, password: u.password }),
      401,
      'INVALID_CREDENTIALS',
    );
  });
});
