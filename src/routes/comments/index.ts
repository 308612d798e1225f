// /comments: a posting's comments, through the gate (fields as the web client reads them).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authOptional, authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import {
  createComment,
  deleteComment,
  editComment,
  likeComment,
  listComments,
} from '../../domain/comments.ts';
import { decodeCursor } from '../../lib/cursor.ts';
import { ok, okList } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';

export const commentRoutes = new OpenAPIHono<AppEnv>();
const Row = z.record(z.string(), z.unknown()).openapi('Comment');
const IdParam = z.object({ id: z.uuid() });

commentRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['comments'],
    summary: 'Comment on (or reply in) a posting you can read in full',
    middleware: [authRequired],
    request: jsonBody(
      z.object({
        posting_id: z.uuid(),
        content: z.string().trim().min(1).max(1000),
        parent_id: z.uuid().nullish(),
        tagged_user_id: z.string().min(1).max(36).nullish(),
      }),
    ),
    responses: {
      201: jsonContent(envelope(Row), 'Created'),
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const b = c.req.valid('json');
    const { db, clock } = c.get('services');
    const row = await createComment(db, {
      authorId: viewerId(c),
      postingId: b.posting_id,
      content: b.content,
      parentId: b.parent_id,
      taggedUserId: b.tagged_user_id,
      now: clock.now(),
    });
    return ok(
      c,
      {
        id: row.id,
        posting_id: row.postingId,
        author_id: row.authorId,
        parent_id: row.parentId,
        tagged_user_id: row.taggedUserId,
        content: row.content,
        is_deleted: false,
        created_at: row.createdAt.toISOString(),
        children: [],
      },
      { status: 201, message: '댓글이 작성되었습니다.' },
    );
  },
);

commentRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/posting/{postingId}',
    tags: ['comments'],
    summary: "A posting's comments (newest first, replies nested)",
    middleware: [authOptional],
    request: {
      params: z.object({ postingId: z.uuid() }),
      query: z.object({
        cursor: z.string().max(200).optional(),
        limit: z.coerce.number().int().min(1).max(100).default(50),
      }),
    },
    responses: {
      200: jsonContent(
        z.object({
          success: z.literal(true),
          data: z.array(Row),
          pagination: z.object({ nextCursor: z.string().nullable(), hasMore: z.boolean() }),
        }),
        'Comments (data stays an array; paging beside it)',
      ),
      ...errorResponses(400, 403, 404),
    },
  }),
  async (c) => {
    const { db, clock } = c.get('services');
    const { cursor, limit } = c.req.valid('query');
    c.header('Cache-Control', 'private, no-store');
    const page = await listComments(
      db,
      c.get('viewer')?.id ?? null,
      c.req.valid('param').postingId,
      clock.now(),
      decodeCursor(cursor),
      limit,
    );
    return okList(c, page.items, { nextCursor: page.nextCursor, hasMore: page.hasMore });
  },
);

commentRoutes.openapi(
  createRoute({
    method: 'put',
    path: '/{id}',
    tags: ['comments'],
    summary: 'Edit my comment',
    middleware: [authRequired],
    request: {
      params: IdParam,
      ...jsonBody(
        z.object({
          content: z.string().trim().min(1).max(1000),
          tagged_user_id: z.string().min(1).max(36).nullish(),
        }),
      ),
    },
    responses: { 200: jsonContent(envelope(Row), 'Edited'), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { db, clock } = c.get('services');
    const b = c.req.valid('json');
    const row = await editComment(
      db,
      viewerId(c),
      c.req.valid('param').id,
      { content: b.content, taggedUserId: b.tagged_user_id },
      clock.now(),
    );
    return ok(
      c,
      { id: row.id, content: row.content, updated_at: row.updatedAt.toISOString() },
      { message: '댓글이 수정되었습니다.' },
    );
  },
);

commentRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/{id}',
    tags: ['comments'],
    summary: "Delete a comment (its author, the posting's author or an admin)",
    middleware: [authRequired],
    request: { params: IdParam },
    responses: {
      200: jsonContent(envelope(z.null()), 'Deleted'),
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { db, clock } = c.get('services');
    await deleteComment(db, viewerId(c), c.req.valid('param').id, clock.now());
    return ok(c, null, { message: '댓글이 삭제되었습니다.' });
  },
);

const LikeResult = envelope(z.object({ liked: z.boolean(), likeCount: z.number() }));

commentRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/{id}/like',
    tags: ['comments'],
    summary: 'Like a comment',
    middleware: [authRequired],
    request: { params: IdParam },
    responses: { 201: jsonContent(LikeResult, 'Liked'), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { db, clock } = c.get('services');
    return ok(c, await likeComment(db, viewerId(c), c.req.valid('param').id, true, clock.now()), {
      status: 201,
    });
  },
);

commentRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/{id}/like',
    tags: ['comments'],
    summary: 'Remove my like from a comment',
    middleware: [authRequired],
    request: { params: IdParam },
    responses: { 200: jsonContent(LikeResult, 'Unliked'), ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { db, clock } = c.get('services');
    return ok(c, await likeComment(db, viewerId(c), c.req.valid('param').id, false, clock.now()));
  },
);
