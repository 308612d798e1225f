// /postings: write (author only) and read through the gate. Request fields are the client's snake_case.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { authOptional, authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { like, unlike, unlockPosting } from '../../domain/engagement.ts';
import { requestKey } from '../../domain/idempotency.ts';
import { isActiveCreator } from '../../domain/identity.ts';
import { kngForKrw, krwForKng } from '../../domain/memberships.ts';
import {
  createPosting,
  deletePosting,
  getPostingView,
  listPostings,
  updatePosting,
  type PostingInput,
} from '../../domain/postings.ts';
import { recordView, viewerKey } from '../../domain/views.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { clientIp } from '../../lib/rate-limit.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { PostingSchema } from './schema.ts';

export const postingsRoutes = new OpenAPIHono<AppEnv>();

const Status = z
  .enum(['DRAFT', 'PUBLISHED', 'ARCHIVED', 'draft', 'published', 'archived'])
  .transform((s) => s.toLowerCase() as PostingInput['status']);
const When = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

const Fields = {
  title: z.string().trim().min(1).max(200),
  content: z.string().max(100_000),
  status: Status,
  is_membership: z.boolean(),
  membership_level: z.number().int().min(1).max(10).nullable(),
  publish_start_at: When.nullable(),
  publish_end_at: When.nullable(),
  media_ids: z.array(z.uuid()).max(50),
  free_preview_media_ids: z.array(z.uuid()).max(50),
  allow_individual_purchase: z.boolean(),
  // KRW, the client's "원" field (0 = none); stored as whole KNG at 110원 each (see
  // domain/memberships). `individual_purchase_price_kng` sets the KNG price exactly and wins.
  individual_purchase_price: z.number().int().min(0).max(1_100_000_000).nullable(),
  individual_purchase_price_kng: z.number().int().min(1).max(10_000_000).nullable(),
  is_public: z.boolean(),
  is_sensitive: z.boolean(),
  allow_comments: z.boolean(),
};
const CreateBody = z.object(Fields).partial().required({ title: true, content: true });
const PatchBody = z
  .object(Fields)
  .partial()
  .refine((v) => Object.keys(v).length > 0, '변경할 항목이 없습니다.');

function toInput(b: Partial<z.infer<typeof CreateBody>>): Partial<PostingInput> {
  const out: Partial<PostingInput> = {};
  if (b.title !== undefined) out.title = b.title;
  if (b.content !== undefined) out.content = b.content;
  if (b.status !== undefined) out.status = b.status;
  if (b.is_membership !== undefined) out.isMembership = b.is_membership;
  if (b.membership_level !== undefined) out.membershipLevel = b.membership_level;
  if (b.publish_start_at !== undefined) out.publishStartAt = b.publish_start_at;
  if (b.publish_end_at !== undefined) out.publishEndAt = b.publish_end_at;
  if (b.media_ids !== undefined) out.mediaIds = b.media_ids;
  if (b.free_preview_media_ids !== undefined) out.freePreviewMediaIds = b.free_preview_media_ids;
  if (b.allow_individual_purchase !== undefined)
    out.allowIndividualPurchase = b.allow_individual_purchase;
  if (b.individual_purchase_price_kng !== undefined)
    out.individualPurchasePrice = b.individual_purchase_price_kng;
  else if (b.individual_purchase_price !== undefined)
    out.individualPurchasePrice =
      b.individual_purchase_price === null ? null : kngForKrw(b.individual_purchase_price) || null;
  if (b.is_public !== undefined) out.isPublic = b.is_public;
  if (b.is_sensitive !== undefined) out.isSensitive = b.is_sensitive;
  if (b.allow_comments !== undefined) out.allowComments = b.allow_comments;
  return out;
}

async function isCreator(c: Context<AppEnv>, userId: string): Promise<boolean> {
  return isActiveCreator(c.get('services').db, userId);
}

const IdParam = z.object({ id: z.uuid() });

postingsRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['postings'],
    summary: 'Write a posting (membership-only and paid fields: creators only)',
    middleware: [authRequired],
    request: jsonBody(CreateBody),
    responses: {
      201: jsonContent(envelope(z.object({ id: z.string(), message: z.string() })), 'Created'),
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const author = viewerId(c);
    const b = toInput(c.req.valid('json'));
    const input: PostingInput = {
      title: b.title ?? '',
      content: b.content ?? '',
      status: b.status ?? 'draft',
      isMembership: b.isMembership ?? false,
      membershipLevel: b.membershipLevel ?? null,
      publishStartAt: b.publishStartAt ?? null,
      publishEndAt: b.publishEndAt ?? null,
      allowIndividualPurchase: b.allowIndividualPurchase ?? false,
      individualPurchasePrice: b.individualPurchasePrice ?? null,
      isPublic: b.isPublic ?? true,
      isSensitive: b.isSensitive ?? false,
      allowComments: b.allowComments ?? true,
      mediaIds: b.mediaIds ?? [],
      freePreviewMediaIds: b.freePreviewMediaIds ?? [],
    };
    const { db, clock } = c.get('services');
    const id = await createPosting(db, author, await isCreator(c, author), input, clock.now());
    return ok(
      c,
      { id, message: '포스팅이 작성되었습니다.' },
      { status: 201, message: '포스팅이 작성되었습니다.' },
    );
  },
);

const ListQuery = z.object({
  cursor: z.string().max(200).optional(),
  page: z.coerce.number().int().min(1).max(10_000).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
const ListSchema = envelope(
  z.object({
    postings: z.array(PostingSchema),
    limit: z.number(),
    nextCursor: z.string().nullable(),
    hasMore: z.boolean(),
    page: z.number().optional(),
    total: z.number().optional(),
    totalPages: z.number().optional(),
  }),
);

postingsRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/',
    tags: ['postings'],
    summary: 'Live postings, newest first, as the viewer may see them (cursor, or page/limit)',
    middleware: [authOptional],
    request: {
      query: ListQuery.extend({
        user_sub: z.string().min(1).max(36).optional(),
        is_membership: z
          .enum(['true', 'false'])
          .transform((v) => v === 'true')
          .optional(),
        search: z.string().trim().min(1).max(100).optional(),
      }),
    },
    responses: { 200: jsonContent(ListSchema, 'A page'), ...errorResponses(400) },
  }),
  async (c) => {
    const q = c.req.valid('query');
    const { db, clock } = c.get('services');
    c.header('Cache-Control', 'private, no-store');
    return ok(
      c,
      await listPostings(db, {
        viewerId: c.get('viewer')?.id ?? null,
        authorId: q.user_sub,
        isMembership: q.is_membership,
        search: q.search,
        page: q.page,
        after: decodeCursor(q.cursor),
        limit: q.limit,
        now: clock.now(),
        apiBase: c.get('env').API_BASE_URL,
      }),
    );
  },
);

postingsRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/my/list',
    tags: ['postings'],
    summary: 'My postings, drafts included, newest first (cursor, or page/limit)',
    middleware: [authRequired],
    request: { query: ListQuery },
    responses: { 200: jsonContent(ListSchema, 'Mine'), ...errorResponses(400, 401) },
  }),
  async (c) => {
    const me = viewerId(c);
    const { cursor, page, limit } = c.req.valid('query');
    const { db, clock } = c.get('services');
    return ok(
      c,
      await listPostings(db, {
        viewerId: me,
        authorId: me,
        own: true,
        page,
        after: decodeCursor(cursor),
        limit,
        now: clock.now(),
        apiBase: c.get('env').API_BASE_URL,
      }),
    );
  },
);

postingsRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{id}',
    tags: ['postings'],
    summary: 'A posting as the viewer may see it (full, or a preview with the offer)',
    middleware: [authOptional],
    request: { params: IdParam },
    responses: {
      200: jsonContent(envelope(PostingSchema), 'The posting'),
      ...errorResponses(400, 404),
    },
  }),
  async (c) => {
    const { db, clock } = c.get('services');
    const viewer = c.get('viewer')?.id ?? null;
    const now = clock.now();
    const view = await getPostingView(
      db,
      viewer,
      c.req.valid('param').id,
      now,
      c.get('env').API_BASE_URL,
    );
    if (viewer !== view.userSub) {
      // Counted after the response is sent; a failure is logged, never shown to the reader.
      const { logger } = c.get('services');
      c.executionCtx.waitUntil(
        viewerKey(viewer, clientIp(c), c.get('env').VIEWER_HASH_SECRET)
          .then((key) => recordView(db, view.id, key, now))
          .catch((err: unknown) =>
            logger.warn('view not counted', { postingId: view.id, error: err }),
          ),
      );
    }
    c.header('Cache-Control', 'private, no-store');
    return ok(c, view);
  },
);

postingsRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/purchase',
    tags: ['postings'],
    summary: 'Unlock a posting with KNG (idempotent; once per buyer)',
    middleware: [authRequired],
    request: {
      params: IdParam,
      headers: z.object({
        'idempotency-key': z
          .string()
          .min(8)
          .max(100)
          .regex(/^[\w:.-]+$/)
          .optional(),
      }),
    },
    responses: {
      201: jsonContent(
        envelope(
          z.object({
            postingId: z.string(),
            price: z.number().openapi({ description: 'KRW: the KNG price at 110원 per KNG' }),
            priceKng: z.number().int().openapi({ description: 'KNG: the price unlocking debits' }),
            charged: z
              .number()
              .openapi({ description: 'KNG debited by this request (0 when bought before)' }),
            purchasedAt: z.string(),
          }),
        ),
        'Unlocked',
      ),
      ...errorResponses(400, 401, 402, 404, 409),
    },
  }),
  async (c) => {
    const { db, clock } = c.get('services');
    const postingId = c.req.valid('param').id;
    const header = c.req.valid('header')['idempotency-key'];
    const { purchase, charged } = await unlockPosting(db, {
      buyerId: viewerId(c),
      postingId,
      clientKey: await requestKey(db, {
        ownerId: viewerId(c),
        header,
        scope: 'POST /postings/{id}/purchase',
        request: { postingId },
      }),
      now: clock.now(),
      feeBps: c.get('env').PLATFORM_FEE_BPS,
    });
    return ok(
      c,
      {
        postingId: purchase.postingId,
        price: krwForKng(purchase.price),
        priceKng: purchase.price,
        charged,
        purchasedAt: purchase.createdAt.toISOString(),
      },
      { status: 201, message: '포스팅을 구매했습니다.' },
    );
  },
);

postingsRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/like',
    tags: ['postings'],
    summary: 'Like a posting you can see (idempotent)',
    middleware: [authRequired],
    request: { params: IdParam },
    responses: {
      201: jsonContent(envelope(z.object({ liked: z.boolean(), likeCount: z.number() })), 'Liked'),
      ...errorResponses(400, 401, 404),
    },
  }),
  async (c) => {
    const { db, clock } = c.get('services');
    return ok(c, await like(db, viewerId(c), c.req.valid('param').id, clock.now()), {
      status: 201,
      message: '좋아요를 눌렀습니다.',
    });
  },
);

postingsRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/{id}/like',
    tags: ['postings'],
    summary: 'Remove your like (idempotent)',
    middleware: [authRequired],
    request: { params: IdParam },
    responses: {
      200: jsonContent(
        envelope(z.object({ liked: z.boolean(), likeCount: z.number() })),
        'Unliked',
      ),
      ...errorResponses(400, 401, 404),
    },
  }),
  async (c) => {
    const { db, clock } = c.get('services');
    return ok(c, await unlike(db, viewerId(c), c.req.valid('param').id, clock.now()), {
      message: '좋아요를 취소했습니다.',
    });
  },
);

postingsRoutes.openapi(
  createRoute({
    method: 'patch',
    path: '/{id}',
    tags: ['postings'],
    summary: "Edit my posting (another user's is 404)",
    middleware: [authRequired],
    request: { params: IdParam, ...jsonBody(PatchBody) },
    responses: {
      200: jsonContent(envelope(z.null()), 'Updated'),
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const me = viewerId(c);
    const { db, clock } = c.get('services');
    await updatePosting(
      db,
      me,
      await isCreator(c, me),
      c.req.valid('param').id,
      toInput(c.req.valid('json')),
      clock.now(),
    );
    return ok(c, null, { message: '포스팅이 수정되었습니다.' });
  },
);

postingsRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/{id}',
    tags: ['postings'],
    summary: 'Delete my posting',
    middleware: [authRequired],
    request: { params: IdParam },
    responses: {
      200: jsonContent(envelope(z.null()), 'Deleted'),
      ...errorResponses(400, 401, 404),
    },
  }),
  async (c) => {
    const { db, clock } = c.get('services');
    await deletePosting(db, viewerId(c), c.req.valid('param').id, clock.now());
    return ok(c, null, { message: '포스팅이 삭제되었습니다.' });
  },
);
