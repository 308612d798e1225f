// Media uploads and processing state. The server chooses every storage key; uploads go straight to storage
// through presigned PUTs that pin the accepted type and length (multipart with per-part URLs for large
// videos); completion is checked against storage (HEAD) before a processing job is queued. media-service
// reports back through signed callbacks (see media-jobs.ts); this module never trusts a client's key or size.
import { and, asc, count, desc, eq, gt, gte, inArray, isNull, lt } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Database } from '../db/client.ts';
import { medias, type Media, type MediaPurpose } from '../db/schema/index.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../lib/errors.ts';
import type { FilePart } from '../lib/multipart.ts';
import { clearProfileImage } from './profile-images.ts';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  deleteObject,
  headObject,
  listKeys,
  presign,
  putObject,
  uploadPart,
} from '../lib/storage.ts';

type MediaType = Media['type'];

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** The allow-list: content type → media type, accepted extensions, size limit. */
export const UPLOAD_RULES: Record<string, { type: MediaType; exts: string[]; maxBytes: number }> = {
  'image/jpeg': { type: 'image', exts: ['jpg', 'jpeg'], maxBytes: 50 * MB },
  'image/png': { type: 'image', exts: ['png'], maxBytes: 50 * MB },
  'image/webp': { type: 'image', exts: ['webp'], maxBytes: 50 * MB },
  'image/gif': { type: 'image', exts: ['gif'], maxBytes: 50 * MB },
  'video/mp4': { type: 'video', exts: ['mp4', 'm4v'], maxBytes: 5 * GB },
  'video/quicktime': { type: 'video', exts: ['mov'], maxBytes: 5 * GB },
  'video/x-matroska': { type: 'video', exts: ['mkv'], maxBytes: 5 * GB },
  'video/webm': { type: 'video', exts: ['webm'], maxBytes: 5 * GB },
  'video/x-msvideo': { type: 'video', exts: ['avi'], maxBytes: 5 * GB },
  'audio/mpeg': { type: 'audio', exts: ['mp3'], maxBytes: 500 * MB },
  'audio/wav': { type: 'audio', exts: ['wav'], maxBytes: 500 * MB },
  'audio/x-wav': { type: 'audio', exts: ['wav'], maxBytes: 500 * MB },
  'audio/mp4': { type: 'audio', exts: ['m4a'], maxBytes: 500 * MB },
  'audio/x-m4a': { type: 'audio', exts: ['m4a'], maxBytes: 500 * MB },
  'application/pdf': { type: 'document', exts: ['pdf'], maxBytes: 200 * MB },
};

/** Uploads started per user and Korean calendar day (KST), by type and in all. */
export const DAILY_UPLOAD_QUOTA: Record<MediaType | 'total', number> = {
  image: 100,
  video: 10,
  audio: 20,
  document: 20,
  total: 150,
};

const KST_OFFSET_MS = 9 * 3_600_000;
function kstDayStart(now: Date): Date {
  const local = new Date(now.getTime() + KST_OFFSET_MS);
  return new Date(
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - KST_OFFSET_MS,
  );
}

export interface PrepareInput {
  fileName: string;
  contentType: string;
  fileSize: number;
  /** Profile pictures and cover images get their own sizes; only images may have them. */
  purpose?: MediaPurpose;
}

function checkPurpose(type: MediaType, purpose: MediaPurpose | undefined): MediaPurpose {
  if (purpose && purpose !== 'post' && type !== 'image') {
    throw new ApiError(
      'UNSUPPORTED_FILE_TYPE',
      '프로필 사진과 커버 이미지는 이미지 파일만 올릴 수 있습니다.',
      { details: [{ path: 'purpose', message: `${purpose} must be an image` }] },
    );
  }
  return purpose ?? 'post';
}

export interface PreparedUpload {
  mediaId: string;
  s3Key: string;
  type: MediaType;
  expiresAt: string;
  /** Single-PUT upload: the URL, and the headers the PUT must carry exactly. Null for multipart. */
  uploadUrl: string | null;
  method: 'PUT';
  headers: Record<string, string>;
  multipart: {
    uploadId: string;
    partSize: number;
    parts: Array<{ partNumber: number; size: number; url: string }>;
  } | null;
}

function ruleFor(input: PrepareInput) {
  const contentType = input.contentType.toLowerCase().split(';')[0].trim();
  const rule = UPLOAD_RULES[contentType];
  const ext = input.fileName.includes('.') ? input.fileName.split('.').pop()!.toLowerCase() : '';
  if (!rule || !rule.exts.includes(ext)) {
    throw new ApiError(
      'UNSUPPORTED_FILE_TYPE',
      '지원하지 않는 파일 형식입니다. 이미지(jpg, png, webp, gif), 동영상(mp4, mov, mkv, webm, avi), 오디오(mp3, wav, m4a), PDF만 올릴 수 있습니다.',
      {
        details: [
          {
            path: rule ? 'fileName' : 'contentType',
            message: rule
              ? `extension .${ext} does not match ${contentType}`
              : `${contentType} is not accepted`,
          },
        ],
      },
    );
  }
  if (input.fileSize > rule.maxBytes) {
    throw new ApiError(
      'FILE_TOO_LARGE',
      `파일이 너무 큽니다. 최대 ${Math.floor(rule.maxBytes / MB)}MB까지 올릴 수 있습니다.`,
      {
        details: [{ path: 'fileSize', message: `at most ${rule.maxBytes} bytes for ${rule.type}` }],
      },
    );
  }
  return { rule, contentType, ext };
}

async function checkQuota(
  db: Database,
  ownerId: string,
  type: MediaType,
  now: Date,
): Promise<void> {
  const rows = await db
    .select({ type: medias.type, n: count() })
    .from(medias)
    .where(and(eq(medias.ownerId, ownerId), gte(medias.createdAt, kstDayStart(now))))
    .groupBy(medias.type);
  const ofType = rows.find((r) => r.type === type)?.n ?? 0;
  const total = rows.reduce((sum, r) => sum + r.n, 0);
  if (ofType >= DAILY_UPLOAD_QUOTA[type] || total >= DAILY_UPLOAD_QUOTA.total) {
    throw new ApiError(
      'UPLOAD_QUOTA_EXCEEDED',
      `오늘 올릴 수 있는 파일 수를 넘었습니다 (${type} ${DAILY_UPLOAD_QUOTA[type]}개, 전체 ${DAILY_UPLOAD_QUOTA.total}개). 내일 다시 시도해 주세요.`,
    );
  }
}

export async function prepareUpload(
  db: Database,
  env: Env,
  { ownerId, input, now }: { ownerId: string; input: PrepareInput; now: Date },
): Promise<PreparedUpload> {
  const { rule, contentType, ext } = ruleFor(input);
  const purpose = checkPurpose(rule.type, input.purpose);
  await checkQuota(db, ownerId, rule.type, now);
  const mediaId = uuidv7();
  const s3Key = `uploads/${ownerId}/${mediaId}.${ext}`;
  const expiresIn = env.MEDIA_UPLOAD_URL_TTL_SECONDS;
  const expiresAt = new Date(now.getTime() + expiresIn * 1000).toISOString();
  const multipartUpload =
    rule.type === 'video' && input.fileSize > env.MEDIA_MULTIPART_THRESHOLD_BYTES;
  const uploadId = multipartUpload ? await createMultipartUpload(env, s3Key, contentType) : null;
  await db.insert(medias).values({
    id: mediaId,
    ownerId,
    type: rule.type,
    originalName: input.fileName.slice(0, 255),
    mimeType: contentType,
    fileSize: input.fileSize,
    storageKey: s3Key,
    status: 'uploading',
    multipartUploadId: uploadId,
    purpose,
  });
  if (!uploadId) {
    const headers = { 'content-type': contentType, 'content-length': String(input.fileSize) };
    const uploadUrl = await presign(env, s3Key, { method: 'PUT', expiresIn, headers });
    return {
      mediaId,
      s3Key,
      type: rule.type,
      expiresAt,
      uploadUrl,
      method: 'PUT',
      headers: { 'Content-Type': contentType },
      multipart: null,
    };
  }
  // Parts of a fixed size (the last one smaller), each URL pinned to its exact length; at most 10,000 parts.
  const partSize = Math.max(env.MEDIA_MULTIPART_PART_BYTES, Math.ceil(input.fileSize / 10_000));
  const partCount = Math.ceil(input.fileSize / partSize);
  const parts = await Promise.all(
    Array.from({ length: partCount }, async (_, i) => {
      const size = i === partCount - 1 ? input.fileSize - partSize * i : partSize;
      const url = await presign(env, s3Key, {
        method: 'PUT',
        expiresIn,
        headers: { 'content-length': String(size) },
        query: { partNumber: String(i + 1), uploadId },
      });
      return { partNumber: i + 1, size, url };
    }),
  );
  return {
    mediaId,
    s3Key,
    type: rule.type,
    expiresAt,
    uploadUrl: null,
    method: 'PUT',
    headers: {},
    multipart: { uploadId, partSize, parts },
  };
}

/**
 * The older form upload (`POST /media/upload`, multipart/form-data): the file streams through the Worker to
 * storage — one PUT when it fits in a part, else an S3 multipart upload part by part, so at most one part
 * (MEDIA_MULTIPART_PART_BYTES) is held in memory — capped at `maxBytes` (and the type's own limit) while it
 * streams. Then the same media row as a presigned upload, already uploaded, and the same processing queue.
 */
export async function uploadFromForm(
  db: Database,
  env: Env,
  upload: {
    ownerId: string;
    part: FilePart;
    purpose: MediaPurpose | undefined;
    maxBytes: number;
    now: Date;
  },
): Promise<Media> {
  const { ownerId, part, purpose, maxBytes, now } = upload;
  const { rule, contentType, ext } = ruleFor({
    fileName: part.fileName,
    contentType: part.contentType,
    fileSize: 1,
  });
  const kind = checkPurpose(rule.type, purpose);
  const cap = Math.min(rule.maxBytes, maxBytes);
  await checkQuota(db, ownerId, rule.type, now);
  const mediaId = uuidv7();
  const s3Key = `uploads/${ownerId}/${mediaId}.${ext}`;
  const partBytes = env.MEDIA_MULTIPART_PART_BYTES;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let size = 0;
  let uploadId: string | null = null;
  const parts: Array<{ partNumber: number; etag: string }> = [];
  const take = (n: number): Uint8Array => {
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const head = pending[0];
      const used = Math.min(head.length, n - at);
      out.set(head.subarray(0, used), at);
      at += used;
      if (used === head.length) pending.shift();
      else pending[0] = head.subarray(used);
    }
    pendingBytes -= n;
    return out;
  };
  try {
    for await (const chunk of part.chunks) {
      size += chunk.length;
      if (size > cap) {
        throw new ApiError(
          'FILE_TOO_LARGE',
          `파일이 너무 큽니다. 이 방식으로는 최대 ${Math.floor(cap / MB)}MB까지 올릴 수 있습니다.`,
          { details: [{ path: 'file', message: `at most ${cap} bytes` }] },
        );
      }
      pending.push(chunk);
      pendingBytes += chunk.length;
      while (pendingBytes >= partBytes + 1) {
        // A full part, sent only once more bytes follow (so that the last part is never empty).
        uploadId ??= await createMultipartUpload(env, s3Key, contentType);
        parts.push({
          partNumber: parts.length + 1,
          etag: await uploadPart(env, s3Key, uploadId, parts.length + 1, take(partBytes)),
        });
      }
    }
    if (size === 0)
      throw new ApiError('VALIDATION_FAILED', '빈 파일은 올릴 수 없습니다.', {
        details: [{ path: 'file', message: 'empty' }],
      });
    if (!uploadId) await putObject(env, s3Key, take(pendingBytes), contentType);
    else {
      parts.push({
        partNumber: parts.length + 1,
        etag: await uploadPart(env, s3Key, uploadId, parts.length + 1, take(pendingBytes)),
      });
      if ((await completeMultipartUpload(env, s3Key, uploadId, parts)) === 'invalid')
        throw new Error(`storage refused to complete the form upload ${mediaId}`);
    }
  } catch (err) {
    pending = [];
    if (uploadId) await abortMultipartUpload(env, s3Key, uploadId).catch(() => undefined);
    throw err;
  }
  await db.insert(medias).values({
    id: mediaId,
    ownerId,
    type: rule.type,
    originalName: part.fileName.slice(0, 255),
    mimeType: contentType,
    fileSize: size,
    storageKey: s3Key,
    status: 'uploaded',
    purpose: kind,
  });
  await env.MEDIA_QUEUE.send({ mediaId });
  return ownMedia(db, ownerId, mediaId);
}

/** The caller's own live media, or "not found" — whoever else owns it. */
export async function ownMedia(db: Database, ownerId: string, mediaId: string): Promise<Media> {
  const [row] = await db
    .select()
    .from(medias)
    .where(and(eq(medias.id, mediaId), eq(medias.ownerId, ownerId), isNull(medias.deletedAt)));
  if (!row) throw new ApiError('NOT_FOUND', '미디어를 찾을 수 없습니다.');
  return row;
}

export interface CompleteInput {
  mediaId: string;
  s3Key?: string;
  parts?: Array<{ partNumber: number; etag: string }>;
}

/**
 * Marks an upload as uploaded once storage has it with the declared size, and queues its processing.
 * Completing again is harmless (the same media comes back, nothing is queued twice).
 */
export async function completeUpload(
  db: Database,
  env: Env,
  ownerId: string,
  input: CompleteInput,
): Promise<Media> {
  const media = await ownMedia(db, ownerId, input.mediaId);
  if (input.s3Key !== undefined && input.s3Key !== media.storageKey)
    throw new ApiError('NOT_FOUND', '미디어를 찾을 수 없습니다.');
  if (media.status !== 'uploading') return media;
  if (media.multipartUploadId) {
    if (!input.parts?.length)
      throw new ApiError(
        'VALIDATION_FAILED',
        '멀티파트 업로드는 parts(partNumber, etag)가 필요합니다.',
        { details: [{ path: 'parts', message: 'required for a multipart upload' }] },
      );
    const parts = [...input.parts].sort((a, b) => a.partNumber - b.partNumber);
    if (
      (await completeMultipartUpload(env, media.storageKey, media.multipartUploadId, parts)) ===
      'invalid'
    ) {
      throw new ApiError(
        'UPLOAD_INCOMPLETE',
        '업로드된 조각이 맞지 않습니다. 모든 조각을 올린 뒤 다시 시도해 주세요.',
      );
    }
  }
  const head = await headObject(env, media.storageKey);
  if (!head)
    throw new ApiError(
      'UPLOAD_INCOMPLETE',
      '저장소에 파일이 없습니다. 업로드를 끝낸 뒤 다시 시도해 주세요.',
    );
  if (head.size !== media.fileSize) {
    // The wrong bytes are removed; the upload can be repeated with a new URL from prepare-upload.
    await deleteObject(env, media.storageKey);
    throw new ApiError(
      'UPLOAD_SIZE_MISMATCH',
      `올린 파일의 크기(${head.size})가 신고한 크기(${media.fileSize})와 다릅니다.`,
    );
  }
  const res = await db
    .update(medias)
    .set({ status: 'uploaded', multipartUploadId: null })
    .where(and(eq(medias.id, media.id), eq(medias.status, 'uploading')));
  if (res.rowsAffected === 1) await env.MEDIA_QUEUE.send({ mediaId: media.id });
  return ownMedia(db, ownerId, media.id);
}

export async function abortUpload(
  db: Database,
  env: Env,
  { ownerId, mediaId, now }: { ownerId: string; mediaId: string; now: Date },
): Promise<void> {
  const media = await ownMedia(db, ownerId, mediaId);
  if (media.status !== 'uploading')
    throw new ApiError('INVALID_STATE', '업로드 중인 미디어만 취소할 수 있습니다.');
  if (media.multipartUploadId)
    await abortMultipartUpload(env, media.storageKey, media.multipartUploadId);
  await db
    .update(medias)
    .set({ deletedAt: now, multipartUploadId: null })
    .where(eq(medias.id, media.id));
}

/**
 * Deletes a media: hidden at once; then its stored objects are removed — the original and everything under its
 * processed prefix (variants, HLS playlists and segments, frame captures).
 */
export async function deleteMedia(
  db: Database,
  env: Env,
  { ownerId, mediaId, now }: { ownerId: string; mediaId: string; now: Date },
): Promise<void> {
  const media = await ownMedia(db, ownerId, mediaId);
  await db
    .update(medias)
    .set({ deletedAt: now })
    .where(and(eq(medias.id, media.id), isNull(medias.deletedAt)));
  if (media.purpose !== 'post') await clearProfileImage(db, ownerId, media.id);
  if (media.multipartUploadId)
    await abortMultipartUpload(env, media.storageKey, media.multipartUploadId).catch(
      () => undefined,
    );
  const keys = [
    media.storageKey,
    ...(await listKeys(env, `processed/${media.ownerId}/${media.id}/`)),
  ];
  for (const key of keys) await deleteObject(env, key);
}

/** A failed job can be tried again by its owner: back to "uploaded" and queued. */
export async function retryMedia(
  db: Database,
  env: Env,
  ownerId: string,
  mediaId: string,
): Promise<Media> {
  const media = await ownMedia(db, ownerId, mediaId);
  if (media.status !== 'failed')
    throw new ApiError('INVALID_STATE', '처리에 실패한 미디어만 다시 시도할 수 있습니다.');
  const res = await db
    .update(medias)
    .set({
      status: 'uploaded',
      processingAttempts: 0,
      progress: 0,
      errorMessage: null,
      processingJobId: null,
    })
    .where(and(eq(medias.id, media.id), eq(medias.status, 'failed')));
  if (res.rowsAffected === 1) await env.MEDIA_QUEUE.send({ mediaId: media.id });
  return ownMedia(db, ownerId, media.id);
}

export async function myMedia(
  db: Database,
  ownerId: string,
  q: { limit: number; offset: number; type?: MediaType },
): Promise<Media[]> {
  const where = and(
    eq(medias.ownerId, ownerId),
    isNull(medias.deletedAt),
    q.type ? eq(medias.type, q.type) : undefined,
  );
  return db
    .select()
    .from(medias)
    .where(where)
    .orderBy(desc(medias.createdAt), desc(medias.id))
    .limit(q.limit)
    .offset(q.offset);
}

/** Media stuck in processing past the timeout (a job lost with a crashed media-service). */
/** One page (by id, after `afterId`) of media whose job went quiet past the timeout. */
export async function stuckMedia(
  db: Database,
  input: { now: Date; timeoutMinutes: number; afterId?: string; limit: number },
): Promise<Array<Pick<Media, 'id' | 'status' | 'processingAttempts'>>> {
  const before = new Date(input.now.getTime() - input.timeoutMinutes * 60_000);
  return db
    .select({ id: medias.id, status: medias.status, processingAttempts: medias.processingAttempts })
    .from(medias)
    .where(
      and(
        inArray(medias.status, ['uploaded', 'processing']),
        lt(medias.updatedAt, before),
        isNull(medias.deletedAt),
        input.afterId ? gt(medias.id, input.afterId) : undefined,
      ),
    )
    .orderBy(asc(medias.id))
    .limit(input.limit);
}
