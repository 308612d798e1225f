// /media: uploads (presigned PUT or multipart straight to storage), the owner's media and their processing
// state, the signed processing webhook, and delivery through the gate: `GET /media/image/:id` and
// `/media/video/:id` (the URLs the web client puts in <img>/<video>, authorised by its cookies) redirect to a
// short-lived presigned GET; video streams as HLS from `/media/hls/{token}/{mediaId}/…`. Never a public URL;
// every gated answer is `Cache-Control: private, no-store`.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authOptional, authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { mediaForViewer, variantKey } from '../../domain/media-access.ts';
import { mediaView } from '../../domain/media-views.ts';
import {
  abortUpload,
  completeUpload,
  deleteMedia,
  myMedia,
  ownMedia,
  prepareUpload,
  retryMedia,
} from '../../domain/media.ts';
import { MEDIA_TYPES, type MediaPurpose } from '../../db/schema/index.ts';
import { applyCallback, callbackSchema, verifySigned } from '../../jobs/media.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { envelope, errorResponses, jsonBody, jsonContent, upperEnum } from '../../lib/openapi.ts';
import { presignGet } from '../../lib/storage.ts';
import { registerHls } from './hls.ts';
import { MediaViewSchema } from './schema.ts';
import { registerFormUpload } from './upload.ts';

export const mediaRoutes = new OpenAPIHono<AppEnv>();

const MediaIdParam = z.object({ mediaId: z.uuid() });
/** What an image is for: a posting (default), a profile picture (square sizes) or a cover image (banner sizes). */
const MediaPurposeSchema = z
  .enum(['post', 'avatar', 'cover', 'POST', 'AVATAR', 'COVER'])
  .transform((p) => p.toLowerCase() as MediaPurpose);

mediaRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/prepare-upload',
    tags: ['media'],
    summary:
      'Start an upload: a presigned PUT pinned to the type and size (or presigned parts for a large video)',
    middleware: [authRequired] as const,
    request: jsonBody(
      z.object({
        fileName: z.string().trim().min(1).max(255),
        contentType: z.string().trim().min(3).max(100),
        fileSize: z.number().int().positive(),
        width: z.number().int().positive().optional(),
        height: z.number().int().positive().optional(),
        purpose: MediaPurposeSchema.optional(),
      }),
    ),
    responses: {
      201: jsonContent(
        envelope(
          z.object({
            mediaId: z.string(),
            s3Key: z.string(),
            type: z.string(),
            uploadUrl: z.string().nullable(),
            method: z.literal('PUT'),
            headers: z.record(z.string(), z.string()),
            expiresAt: z.string(),
            multipart: z
              .object({
                uploadId: z.string(),
                partSize: z.number().int(),
                parts: z.array(
                  z.object({
                    partNumber: z.number().int(),
                    size: z.number().int(),
                    url: z.string(),
                  }),
                ),
              })
              .nullable(),
          }),
        ),
        'Upload prepared',
      ),
      ...errorResponses(400, 401, 413, 415, 429, 503),
    },
  }),
  async (c) => {
    const { db, clock } = c.get('services');
    const prepared = await prepareUpload(
      db,
      c.get('env'),
      viewerId(c),
      c.req.valid('json'),
      clock.now(),
    );
    return ok(c, { ...prepared, type: prepared.type.toUpperCase() }, { status: 201 });
  },
);

registerFormUpload(mediaRoutes);

mediaRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/complete-upload',
    tags: ['media'],
    summary: 'Finish an upload: storage must hold the declared size; processing is queued',
    middleware: [authRequired] as const,
    request: jsonBody(
      z.object({
        mediaId: z.uuid(),
        s3Key: z.string().max(512).optional(),
        parts: z
          .array(
            z.object({
              partNumber: z.number().int().min(1).max(10_000),
              etag: z.string().min(1).max(200),
            }),
          )
          .max(10_000)
          .optional(),
      }),
    ),
    responses: {
      201: jsonContent(envelope(MediaViewSchema), 'The media, now uploaded (processing queued)'),
      ...errorResponses(400, 401, 404, 409, 503),
    },
  }),
  async (c) => {
    const { db } = c.get('services');
    const media = await completeUpload(db, c.get('env'), viewerId(c), c.req.valid('json'));
    return ok(c, mediaView(media, c.get('env').API_BASE_URL), { status: 201 });
  },
);

mediaRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/my-media',
    tags: ['media'],
    summary: "The viewer's own media, newest first",
    middleware: [authRequired] as const,
    request: {
      query: z.object({
        limit: z.coerce.number().int().min(1).max(100).default(20),
        offset: z.coerce.number().int().min(0).max(100_000).default(0),
        type: upperEnum(MEDIA_TYPES).optional(),
      }),
    },
    responses: {
      200: jsonContent(envelope(z.array(MediaViewSchema)), 'Media'),
      ...errorResponses(400, 401),
    },
  }),
  async (c) => {
    const { db } = c.get('services');
    const q = c.req.valid('query');
    const rows = await myMedia(db, viewerId(c), {
      limit: q.limit,
      offset: q.offset,
      type: q.type?.toLowerCase() as (typeof MEDIA_TYPES)[number] | undefined,
    });
    return ok(
      c,
      rows.map((m) => mediaView(m, c.get('env').API_BASE_URL)),
    );
  },
);

mediaRoutes.post('/processing-webhook', async (c) => {
  // media-service's signed callback; never authenticated by cookies. Raw body: the signature covers its bytes.
  const { db, clock } = c.get('services');
  const raw = await c.req.text();
  await verifySigned(
    c.get('env').MEDIA_SERVICE_SECRET,
    'callback',
    c.req.raw.headers,
    raw,
    clock.now(),
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new ApiError('INVALID_JSON', '요청 본문이 올바른 JSON이 아닙니다.');
  }
  const cb = callbackSchema.safeParse(parsed);
  if (!cb.success)
    throw new ApiError('VALIDATION_FAILED', '콜백 형식이 올바르지 않습니다.', {
      details: cb.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  await applyCallback(db, cb.data, clock.now());
  return ok(c, { applied: true });
});

// Delivery through the gate. `?quality=` as the client sends it: high|medium|low|thumbnail|preview for
// images (`preview` is the blurred one, also for viewers who see the posting locked), 1080p|720p|480p for
// video MP4s, thumbnail-N for a video's frame captures.
for (const kind of ['image', 'video'] as const) {
  mediaRoutes.openapi(
    createRoute({
      method: 'get',
      path: `/${kind}/{id}`,
      tags: ['media'],
      summary: `Fetch ${kind === 'image' ? 'an image' : 'a video'} the viewer may see (redirect to a short-lived signed URL)`,
      middleware: [authOptional] as const,
      request: {
        params: z.object({ id: z.uuid() }),
        query: z.object({
          quality: z
            .string()
            .regex(/^[\w-]{1,20}$/)
            .optional(),
        }),
      },
      responses: {
        302: { description: 'Redirect to a presigned GET' },
        ...errorResponses(400, 403, 404, 409),
      },
    }),
    async (c) => {
      const { db, clock } = c.get('services');
      const quality = c.req.valid('query').quality;
      const preview = quality === 'preview';
      const media = await mediaForViewer(
        db,
        c.get('viewer')?.id ?? null,
        c.req.valid('param').id,
        clock.now(),
        { lockedPreview: preview },
      );
      // The blurred preview never falls back to the original.
      const key = preview ? media.variants?.preview : variantKey(media, quality);
      if (!key) throw new ApiError('MEDIA_NOT_READY', '미디어가 아직 처리 중입니다.');
      const url = await presignGet(c.get('env'), key);
      c.header('Cache-Control', 'private, no-store');
      return c.redirect(url, 302);
    },
  );
}

registerHls(mediaRoutes);

mediaRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{mediaId}',
    tags: ['media'],
    summary: "One of the viewer's own media",
    middleware: [authRequired] as const,
    request: { params: MediaIdParam },
    responses: {
      200: jsonContent(envelope(MediaViewSchema), 'Media'),
      ...errorResponses(401, 404),
    },
  }),
  async (c) => {
    const media = await ownMedia(c.get('services').db, viewerId(c), c.req.valid('param').mediaId);
    return ok(c, mediaView(media, c.get('env').API_BASE_URL));
  },
);

mediaRoutes.openapi(
  createRoute({
    method: 'get',
    path: '/{mediaId}/status',
    tags: ['media'],
    summary: "Processing state and progress (%) of one of the viewer's media",
    middleware: [authRequired] as const,
    request: { params: MediaIdParam },
    responses: {
      200: jsonContent(
        envelope(
          z.object({
            mediaId: z.string(),
            status: z.enum(['UPLOADING', 'PROCESSING', 'COMPLETED', 'FAILED']),
            progress: z.number().int(),
            errorMessage: z.string().nullable(),
            mediaUrl: z.string(),
          }),
        ),
        'State',
      ),
      ...errorResponses(401, 404),
    },
  }),
  async (c) => {
    const media = await ownMedia(c.get('services').db, viewerId(c), c.req.valid('param').mediaId);
    const view = mediaView(media, c.get('env').API_BASE_URL);
    return ok(c, {
      mediaId: view.id,
      status: view.status,
      progress: view.progress,
      errorMessage: view.errorMessage,
      mediaUrl: view.mediaUrl,
    });
  },
);

mediaRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/{mediaId}/retry',
    tags: ['media'],
    summary: 'Process a failed media again',
    middleware: [authRequired] as const,
    request: { params: MediaIdParam },
    responses: {
      200: jsonContent(envelope(MediaViewSchema), 'Queued again'),
      ...errorResponses(401, 404, 409),
    },
  }),
  async (c) => {
    const media = await retryMedia(
      c.get('services').db,
      c.get('env'),
      viewerId(c),
      c.req.valid('param').mediaId,
    );
    return ok(c, mediaView(media, c.get('env').API_BASE_URL));
  },
);

mediaRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/{mediaId}/abort-upload',
    tags: ['media'],
    summary: 'Abandon an unfinished upload (aborts a multipart upload in storage)',
    middleware: [authRequired] as const,
    request: { params: MediaIdParam },
    responses: {
      200: jsonContent(envelope(z.null()), 'Aborted'),
      ...errorResponses(401, 404, 409),
    },
  }),
  async (c) => {
    const { db, clock } = c.get('services');
    await abortUpload(db, c.get('env'), viewerId(c), c.req.valid('param').mediaId, clock.now());
    return ok(c, null);
  },
);

mediaRoutes.openapi(
  createRoute({
    method: 'delete',
    path: '/{mediaId}',
    tags: ['media'],
    summary: "Delete one of the viewer's media (and its stored files)",
    middleware: [authRequired] as const,
    request: { params: MediaIdParam },
    responses: { 200: jsonContent(envelope(z.null()), 'Deleted'), ...errorResponses(401, 404) },
  }),
  async (c) => {
    const { db, clock } = c.get('services');
    await deleteMedia(db, c.get('env'), viewerId(c), c.req.valid('param').mediaId, clock.now());
    return ok(c, null);
  },
);
