// POST /media/upload: the older creator-centre page's form upload (multipart/form-data, the file in field
// `file`, credentials by cookie; it reads `data.id`). The file streams to storage under a size cap, then the
// media follows the normal pipeline. `purpose` (avatar | cover) may come as a form field before the file or
// in the query.
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { MEDIA_PURPOSES, type MediaPurpose } from '../../db/schema/index.ts';
import { uploadFromForm } from '../../domain/media.ts';
import { mediaView } from '../../domain/media-views.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { boundaryOf, readFilePart } from '../../lib/multipart.ts';
import { envelope, errorResponses, jsonContent } from '../../lib/openapi.ts';
import { MediaViewSchema } from './schema.ts';

/** Room for the form's own bytes (boundaries, part headers, small fields) on top of the file. */
const FORM_OVERHEAD_BYTES = 64 * 1024;

function purposeOf(value: string | undefined): MediaPurpose | undefined {
  if (value === undefined || value === '') return undefined;
  const p = value.toLowerCase();
  if (!(MEDIA_PURPOSES as readonly string[]).includes(p)) {
    throw new ApiError(
      'VALIDATION_FAILED',
      '용도(purpose)는 post, avatar, cover 중 하나여야 합니다.',
      { details: [{ path: 'purpose', message: `unknown purpose ${value}` }] },
    );
  }
  return p as MediaPurpose;
}

export function registerFormUpload(routes: OpenAPIHono<AppEnv>): void {
  routes.openapi(
    createRoute({
      method: 'post',
      path: '/upload',
      tags: ['media'],
      summary:
        'Upload a file as multipart/form-data (field `file`), streamed to storage; processing is queued',
      middleware: [authRequired] as const,
      description:
        'Body: multipart/form-data with the file in field `file` (and optionally `purpose` before it). Not declared ' +
        'as a request body here on purpose: a declared form body would be parsed (buffered whole) by the validator.',
      request: { query: z.object({ purpose: z.string().max(16).optional() }) },
      responses: {
        201: jsonContent(envelope(MediaViewSchema), 'The media, uploaded (processing queued)'),
        ...errorResponses(400, 401, 413, 415, 429, 503),
      },
    }),
    async (c) => {
      const env = c.get('env');
      const { db, clock } = c.get('services');
      const boundary = boundaryOf(c.req.header('content-type'));
      if (!boundary)
        throw new ApiError(
          'UNSUPPORTED_MEDIA_TYPE',
          'Content-Type은 multipart/form-data여야 합니다.',
        );
      const declared = Number(c.req.header('content-length') ?? NaN);
      if (declared > env.MEDIA_FORM_UPLOAD_MAX_BYTES + FORM_OVERHEAD_BYTES) {
        throw new ApiError(
          'FILE_TOO_LARGE',
          `파일이 너무 큽니다. 이 방식으로는 최대 ${Math.floor(env.MEDIA_FORM_UPLOAD_MAX_BYTES / 1_048_576)}MB까지 올릴 수 있습니다.`,
        );
      }
      if (!c.req.raw.body)
        throw new ApiError('VALIDATION_FAILED', '파일(file)이 필요합니다.', {
          details: [{ path: 'file', message: 'required' }],
        });
      const part = await readFilePart(c.req.raw.body, boundary, 'file');
      const purpose = purposeOf(part.fields.purpose ?? c.req.valid('query').purpose);
      const media = await uploadFromForm(db, env, {
        ownerId: viewerId(c),
        part,
        purpose,
        maxBytes: env.MEDIA_FORM_UPLOAD_MAX_BYTES,
        now: clock.now(),
      });
      return ok(c, mediaView(media, env.API_BASE_URL), { status: 201 });
    },
  );
}
