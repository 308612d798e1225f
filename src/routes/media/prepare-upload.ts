// POST /media/prepare-upload — a presigned PUT pinned to the type and size (or presigned parts).
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { prepareUpload } from '../../domain/media.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { MediaPurposeSchema } from './schema.ts';

const PreparedUpload = z.object({
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
        z.object({ partNumber: z.number().int(), size: z.number().int(), url: z.string() }),
      ),
    })
    .nullable(),
});

export const prepareUploadRoute = createRoute({
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
    201: jsonContent(envelope(PreparedUpload), 'Upload prepared'),
    ...errorResponses(400, 401, 413, 415, 429, 503),
  },
});

export const prepareUploadApp = new OpenAPIHono<AppEnv>().openapi(prepareUploadRoute, async (c) => {
  const { db, clock } = c.get('services');
  const prepared = await prepareUpload(db, c.get('env'), {
    ownerId: viewerId(c),
    input: c.req.valid('json'),
    now: clock.now(),
  });
  return ok(c, { ...prepared, type: prepared.type.toUpperCase() }, { status: 201 });
});
