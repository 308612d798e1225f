// GET /user/export — the signed-in user's data as a JSON download (private, never cached),
// rate-limited per user with the RL_EXPORT binding (wrangler.toml).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { exportUserData } from '../../domain/data-export.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';

const time = z.string().nullable();
const Party = z.object({ userId: z.string(), handle: z.string().nullable(), createdAt: time });

const UserExport = z
  .object({
    exportedAt: z.string(),
    userId: z.string(),
    profile: z.object({
      email: z.string(),
      handle: z.string(),
      nickname: z.string(),
      name: z.string(),
      phoneNumber: z.string().nullable(),
      avatarUrl: z.string().nullable(),
      bio: z.string().nullable(),
      status: z.string(),
      createdAt: time,
      confirmedAt: time,
      earlybird: z.object({ joinedAt: time }).nullable(),
      creator: z
        .object({
          categoryId: z.string().nullable(),
          isActive: z.boolean(),
          bannerUrl: z.string().nullable(),
          createdAt: time,
        })
        .nullable(),
    }),
    postings: z.array(
      z.object({
        id: z.string(),
        title: z.string(),
        content: z.string(),
        status: z.string(),
        isPublic: z.boolean(),
        isMembership: z.boolean(),
        membershipLevel: z.number().int().nullable(),
        publishedAt: time,
        createdAt: time,
        deletedAt: time,
        mediaIds: z.array(z.string()),
      }),
    ),
    media: z.array(
      z.object({
        id: z.string(),
        type: z.string(),
        originalName: z.string(),
        mimeType: z.string(),
        fileSize: z.number(),
        status: z.string(),
        createdAt: time,
        deletedAt: time,
      }),
    ),
    comments: z.array(
      z.object({
        id: z.string(),
        postingId: z.string(),
        parentId: z.string().nullable(),
        content: z.string(),
        createdAt: time,
        deletedAt: time,
      }),
    ),
    likes: z.object({
      postings: z.array(z.object({ postingId: z.string(), createdAt: time })),
      comments: z.array(z.object({ commentId: z.string(), createdAt: time })),
    }),
    follows: z.object({ following: z.array(Party), followers: z.array(Party) }),
    subscriptions: z.array(
      z.object({
        id: z.string(),
        creatorId: z.string(),
        membershipItemId: z.string(),
        status: z.string(),
        level: z.number().int(),
        price: z.number(),
        paymentMethod: z.string(),
        autoRenew: z.boolean(),
        currentPeriodStart: time,
        currentPeriodEnd: time,
        startedAt: time,
        endedAt: time,
      }),
    ),
    membershipItems: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        level: z.number().int(),
        price: z.number(),
        billingUnit: z.string(),
        billingPeriod: z.number().int(),
        isActive: z.boolean(),
        createdAt: time,
        deletedAt: time,
      }),
    ),
    purchases: z.array(z.object({ postingId: z.string(), price: z.number(), createdAt: time })),
    payments: z.array(
      z.object({
        orderId: z.string(),
        kind: z.string(),
        orderName: z.string(),
        amount: z.number(),
        tokenAmount: z.number(),
        status: z.string(),
        method: z.string().nullable(),
        approvedAt: time,
        canceledAt: time,
        canceledAmount: z.number(),
        createdAt: time,
      }),
    ),
    wallet: z.object({ balance: z.number() }),
    transfers: z.array(
      z.object({
        id: z.string(),
        direction: z.enum(['in', 'out']),
        amount: z.number(),
        reason: z.string(),
        referenceType: z.string().nullable(),
        referenceId: z.string().nullable(),
        balanceAfter: z.number(),
        createdAt: time,
      }),
    ),
    reports: z.array(
      z.object({
        id: z.string(),
        targetType: z.string(),
        targetId: z.string(),
        reason: z.string(),
        description: z.string().nullable(),
        status: z.string(),
        createdAt: time,
      }),
    ),
    notifications: z.array(
      z.object({
        id: z.string(),
        type: z.string(),
        title: z.string(),
        body: z.string().nullable(),
        readAt: time,
        createdAt: time,
      }),
    ),
    accountDeletions: z.array(
      z.object({ status: z.string(), requestedAt: time, scheduledAt: time, canceledAt: time }),
    ),
  })
  .openapi('UserDataExport');

export const exportRoute = createRoute({
  method: 'get',
  path: '/export',
  tags: ['user'],
  summary:
    "Download the user's data: profile, postings, comments, likes, follows, payments, ledger",
  middleware: [authRequired] as const,
  responses: {
    200: jsonContent(envelope(UserExport), 'The export, as an attachment'),
    ...errorResponses(401, 429),
  },
});

export const exportData = new OpenAPIHono<AppEnv>().openapi(exportRoute, async (c) => {
  const userId = viewerId(c);
  const { success } = await c.get('env').RL_EXPORT.limit({ key: `export:${userId}` });
  if (!success) {
    throw new ApiError(
      'RATE_LIMITED',
      '내보내기 요청이 너무 많습니다. 잠시 후 다시 시도해 주세요.',
      { headers: { 'Retry-After': '60' } },
    );
  }
  const { db, clock } = c.get('services');
  const now = clock.now();
  const data = await exportUserData(db, userId, now);
  c.header('Cache-Control', 'private, no-store');
  c.header(
    'Content-Disposition',
    `attachment; filename="crefans-export-${now.toISOString().slice(0, 10)}.json"`,
  );
  return ok(c, data);
});
