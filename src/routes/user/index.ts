// /user: profiles by handle, bio, nickname availability, creator categories and becoming a creator.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Context } from 'hono';
import { uuidv7 } from 'uuidv7';
import { authOptional, authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { creatorCategories, creators, users } from '../../db/schema/index.ts';
import {
  isActiveCreator,
  isDuplicateKey,
  isNicknameTaken,
  nicknameProblem,
} from '../../domain/identity.ts';
import { listPostings } from '../../domain/postings.ts';
import { getProfile } from '../../domain/profiles.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { registerCoverImage } from './cover-image.ts';
import { registerProfileImage } from './profile-image.ts';
import { deleteAccount } from './delete-account.ts';
import { exportData } from './export.ts';
import { updateMe } from './update-me.ts';
import { verifyPhone } from './verify-phone.ts';

export const user = new OpenAPIHono<AppEnv>();

const Category = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  color_code: z.string().nullable(),
  icon: z.string().nullable(),
  sort_order: z.number().int(),
});

user.openapi(
  createRoute({
    method: 'get',
    path: '/profile/{handle}',
    tags: ['user'],
    summary: 'A profile by handle',
    middleware: [authOptional] as const,
    request: { params: z.object({ handle: z.string().min(1).max(32) }) },
    responses: {
      200: jsonContent(envelope(z.record(z.string(), z.unknown())), 'The profile'),
      ...errorResponses(404),
    },
  }),
  async (c) => {
    const { handle } = c.req.valid('param');
    const { db, clock } = c.get('services');
    const profile = await getProfile(db, handle, c.get('viewer')?.id ?? null, clock.now());
    if (!profile) throw new ApiError('NOT_FOUND', '사용자를 찾을 수 없습니다.');
    return ok(c, profile);
  },
);

user.openapi(
  createRoute({
    method: 'get',
    path: '/posts/{handle}',
    tags: ['user', 'postings'],
    summary: "A user's postings as the viewer may see them, newest first (keyset cursor)",
    middleware: [authOptional],
    request: {
      params: z.object({ handle: z.string().min(1).max(32) }),
      query: z.object({
        cursor: z.string().max(200).optional(),
        limit: z.coerce.number().int().min(1).max(50).default(20),
      }),
    },
    responses: {
      200: jsonContent(
        envelope(
          z.object({
            posts: z.array(z.record(z.string(), z.unknown())),
            nextCursor: z.string().nullable(),
            hasMore: z.boolean(),
          }),
        ),
        'Postings',
      ),
      ...errorResponses(400, 404),
    },
  }),
  async (c) => {
    const { db, clock } = c.get('services');
    const [owner] = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.handle, c.req.valid('param').handle), eq(users.status, 'active')))
      .limit(1);
    if (!owner) throw new ApiError('NOT_FOUND', '사용자를 찾을 수 없습니다.');
    const { cursor, limit } = c.req.valid('query');
    // The public page: only live postings, even for their author (drafts are in /postings/my/list).
    const page = await listPostings(db, {
      viewerId: c.get('viewer')?.id ?? null,
      authorId: owner.id,
      after: decodeCursor(cursor),
      limit,
      now: clock.now(),
      apiBase: c.get('env').API_BASE_URL,
    });
    c.header('Cache-Control', 'private, no-store');
    return ok(c, { posts: page.postings, nextCursor: page.nextCursor, hasMore: page.hasMore });
  },
);

user.openapi(
  createRoute({
    method: 'put',
    path: '/profile',
    tags: ['user'],
    summary: 'Update the bio',
    middleware: [authRequired] as const,
    request: {
      body: {
        content: { 'application/json': { schema: z.object({ bio: z.string().max(500) }) } },
        required: true,
      },
    },
    responses: {
      200: jsonContent(envelope(z.object({ userId: z.string(), bio: z.string() })), 'Updated'),
      ...errorResponses(400, 401),
    },
  }),
  async (c) => {
    const id = viewerId(c);
    const { bio } = c.req.valid('json');
    await c.get('services').db.update(users).set({ bio }).where(eq(users.id, id));
    return ok(c, { userId: id, bio }, { message: '프로필이 수정되었습니다.' });
  },
);

user.openapi(
  createRoute({
    method: 'get',
    path: '/check-nickname',
    tags: ['user'],
    summary: 'Whether a nickname is valid and free',
    request: { query: z.object({ nickname: z.string().trim() }) },
    responses: {
      200: jsonContent(envelope(z.object({ available: z.boolean() })), 'Answer'),
      ...errorResponses(400),
    },
  }),
  async (c) => {
    const { nickname } = c.req.valid('query');
    const problem = nicknameProblem(nickname);
    if (problem)
      throw new ApiError('VALIDATION_FAILED', problem, {
        details: [{ path: 'nickname', message: problem }],
      });
    const available = !(await isNicknameTaken(c.get('services').db, nickname));
    return ok(
      c,
      { available },
      { message: available ? '사용 가능한 닉네임입니다.' : '이미 사용 중인 닉네임입니다.' },
    );
  },
);

user.openapi(
  createRoute({
    method: 'get',
    path: '/creator-categories',
    tags: ['user'],
    summary: 'Active creator categories',
    responses: { 200: jsonContent(envelope(z.array(Category)), 'Categories') },
  }),
  async (c) => {
    const rows = await c
      .get('services')
      .db.select()
      .from(creatorCategories)
      .where(and(eq(creatorCategories.isActive, true), isNull(creatorCategories.deletedAt)))
      .orderBy(asc(creatorCategories.sortOrder));
    return ok(
      c,
      rows.map((r) => ({
        id: r.id,
        name: r.name,
        description: r.description,
        color_code: r.colorCode,
        icon: r.icon,
        sort_order: r.sortOrder,
      })),
    );
  },
);

// The creator centre's quick "become a creator" button sends this literal instead of an id: the
// first active category (by sort order) is the default it means.
const DEFAULT_CATEGORY = 'default-category-id';

const becomeCreator = (path: string) =>
  createRoute({
    method: 'post',
    path,
    tags: ['user'],
    summary: 'Become a creator in a category',
    middleware: [authRequired] as const,
    request: {
      body: {
        content: {
          'application/json': {
            schema: z.object({ category_id: z.union([z.uuid(), z.literal(DEFAULT_CATEGORY)]) }),
          },
        },
        required: true,
      },
    },
    responses: {
      201: jsonContent(
        envelope(
          z.object({ isCreator: z.literal(true), creatorId: z.string(), categoryId: z.string() }),
        ),
        'Now a creator',
      ),
      ...errorResponses(400, 401, 404, 409),
    },
  });

async function handleBecomeCreator(c: Context<AppEnv>, categoryId: string) {
  const id = viewerId(c);
  const { db } = c.get('services');
  const live = and(eq(creatorCategories.isActive, true), isNull(creatorCategories.deletedAt));
  const [category] = await db
    .select({ id: creatorCategories.id })
    .from(creatorCategories)
    .where(categoryId === DEFAULT_CATEGORY ? live : and(eq(creatorCategories.id, categoryId), live))
    .orderBy(asc(creatorCategories.sortOrder))
    .limit(1);
  if (!category) throw new ApiError('NOT_FOUND', '카테고리를 찾을 수 없습니다.');
  const creatorId = uuidv7();
  try {
    await db.insert(creators).values({ id: creatorId, userId: id, categoryId: category.id });
  } catch (err) {
    if (isDuplicateKey(err)) throw new ApiError('ALREADY_CREATOR', '이미 크리에이터입니다.');
    throw err;
  }
  const data = { isCreator: true as const, creatorId, categoryId: category.id };
  return ok(c, data, { status: 201, message: '크리에이터가 되었습니다.' });
}

user.openapi(becomeCreator('/become-creator'), (c) =>
  handleBecomeCreator(c, c.req.valid('json').category_id),
);
user.openapi(becomeCreator('/creator'), (c) =>
  handleBecomeCreator(c, c.req.valid('json').category_id),
);

user.openapi(
  createRoute({
    method: 'get',
    path: '/creator-status',
    tags: ['user'],
    summary: 'Whether the viewer is a creator',
    middleware: [authRequired] as const,
    responses: {
      200: jsonContent(envelope(z.object({ isCreator: z.boolean() })), 'Answer'),
      ...errorResponses(401),
    },
  }),
  async (c) => {
    return ok(c, { isCreator: await isActiveCreator(c.get('services').db, viewerId(c)) });
  },
);

registerProfileImage(user);
registerCoverImage(user);
// Account deletion and the data export (one file per endpoint).
user.route('/', deleteAccount);
user.route('/', exportData);
// Personal information (my-page): one file per endpoint.
user.route('/', updateMe);
user.route('/', verifyPhone);
