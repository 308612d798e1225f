// Media processing: the queue consumer sends each uploaded media to media-service as a signed job; media-service
// answers through the signed processing webhook (applyCallback); the cron sweeper dispatches again what a
// crashed media-service left behind, up to MAX_JOB_ATTEMPTS, then marks it failed.
// Signatures: HMAC-SHA256 over `<purpose>:<unix seconds>.<raw body>` with MEDIA_SERVICE_SECRET, in the
// X-Crefans-Timestamp and X-Crefans-Signature headers; purpose `job` one way, `callback` the other.
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { createDb, type Database } from '../db/client.ts';
import { mediaJobEvents, medias, type Media } from '../db/schema/index.ts';
import { stuckMedia } from '../domain/media.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../lib/errors.ts';
import { hmacHex, hmacVerify } from '../lib/hmac.ts';
import type { Logger } from '../lib/logger.ts';
import { backoffSeconds } from './wallets.ts';

export const MEDIA_QUEUE_NAME = 'crefans-media-processing';
export const MEDIA_DLQ_NAME = 'crefans-media-processing-dlq';
export const MAX_JOB_ATTEMPTS = 3;
export const SIGNATURE_TOLERANCE_SECONDS = 300;
export const TIMESTAMP_HEADER = 'x-crefans-timestamp';
export const SIGNATURE_HEADER = 'x-crefans-signature';

export interface MediaJob {
  jobId: string;
  mediaId: string;
  ownerId: string;
  type: Media['type'];
  mimeType: string;
  sourceKey: string;
  /** Every output goes under this prefix; callbacks naming keys elsewhere are refused. */
  outputPrefix: string;
  callbackUrl: string;
  /** Images: which sizes to make (posting media, profile picture, cover image). */
  purpose: Media['purpose'];
}

export const outputPrefixOf = (m: Pick<Media, 'ownerId' | 'id'>) =>
  `processed/${m.ownerId}/${m.id}/`;

export async function signedHeaders(
  secret: string,
  purpose: 'job' | 'callback',
  body: string,
  now: Date,
): Promise<Record<string, string>> {
  const ts = String(Math.floor(now.getTime() / 1000));
  return {
    'content-type': 'application/json',
    [TIMESTAMP_HEADER]: ts,
    [SIGNATURE_HEADER]: await hmacHex(secret, `${purpose}:${ts}.${body}`),
  };
}

/** Checks a signed request: a fresh timestamp (±5 minutes) and the HMAC over purpose, timestamp and body. */
export async function verifySigned(
  secret: string,
  purpose: 'job' | 'callback',
  headers: Headers,
  body: string,
  now: Date,
): Promise<void> {
  const ts = headers.get(TIMESTAMP_HEADER) ?? '';
  const sig = headers.get(SIGNATURE_HEADER) ?? '';
  if (!/^\d{1,12}$/.test(ts) || !sig)
    throw new ApiError('INVALID_SIGNATURE', '서명이 없는 요청입니다.');
  if (Math.abs(now.getTime() / 1000 - Number(ts)) > SIGNATURE_TOLERANCE_SECONDS)
    throw new ApiError('INVALID_SIGNATURE', '서명 시각이 허용 범위를 벗어났습니다.');
  if (!(await hmacVerify(secret, `${purpose}:${ts}.${body}`, sig)))
    throw new ApiError('INVALID_SIGNATURE', '서명이 올바르지 않습니다.');
}

/**
 * Sends one media to media-service as a new job (attempt n+1). The claim is a guarded update, so parallel
 * deliveries of the same message send one job; a send that fails throws and the queue retries.
 */
export async function dispatchMediaJob(
  db: Database,
  env: Env,
  mediaId: string,
  now: Date,
): Promise<'sent' | 'skipped' | 'failed'> {
  const [media] = await db.select().from(medias).where(eq(medias.id, mediaId));
  // Only "uploaded" is dispatched: a duplicate delivery for a media already processing changes nothing.
  if (!media || media.deletedAt || media.status !== 'uploaded') return 'skipped';
  if (media.processingAttempts >= MAX_JOB_ATTEMPTS) {
    await db
      .update(medias)
      .set({
        status: 'failed',
        errorMessage: `처리가 ${MAX_JOB_ATTEMPTS}번 시도 후에도 끝나지 않았습니다.`,
      })
      .where(
        and(
          eq(medias.id, media.id),
          eq(medias.processingAttempts, media.processingAttempts),
          eq(medias.status, media.status),
        ),
      );
    return 'failed';
  }
  const attempt = media.processingAttempts + 1;
  const jobId = `${media.id}-${attempt}`;
  const claimed = await db
    .update(medias)
    .set({ status: 'processing', processingJobId: jobId, processingAttempts: attempt, progress: 0 })
    .where(
      and(
        eq(medias.id, media.id),
        eq(medias.status, media.status),
        eq(medias.processingAttempts, media.processingAttempts),
      ),
    );
  if (claimed.rowsAffected !== 1) return 'skipped';
  const job: MediaJob = {
    jobId,
    mediaId: media.id,
    ownerId: media.ownerId,
    type: media.type,
    mimeType: media.mimeType,
    sourceKey: media.storageKey,
    outputPrefix: outputPrefixOf(media),
    callbackUrl: `${env.API_BASE_URL.replace(/\/$/, '')}/media/processing-webhook`,
    purpose: media.purpose,
  };
  const body = JSON.stringify(job);
  try {
    const res = await fetch(`${env.MEDIA_SERVICE_URL.replace(/\/$/, '')}/jobs`, {
      method: 'POST',
      headers: await signedHeaders(env.MEDIA_SERVICE_SECRET, 'job', body, now),
      body,
    });
    if (!res.ok)
      throw new Error(
        `media-service refused job ${jobId}: ${res.status} ${(await res.text()).slice(0, 200)}`,
      );
  } catch (err) {
    // Not sent: back to "uploaded" so that the queue's retry dispatches it again (the attempt still counts).
    await db
      .update(medias)
      .set({ status: 'uploaded' })
      .where(
        and(
          eq(medias.id, media.id),
          eq(medias.status, 'processing'),
          eq(medias.processingJobId, jobId),
        ),
      );
    throw err;
  }
  return 'sent';
}

export async function consumeMediaBatch(
  batch: MessageBatch<unknown>,
  env: Env,
  logger: Logger,
): Promise<void> {
  const db = createDb(env.DATABASE_URL, undefined, { timeoutMs: env.DB_STATEMENT_TIMEOUT_MS });
  for (const message of batch.messages) {
    const body = message.body as { mediaId?: unknown };
    if (typeof body?.mediaId !== 'string') {
      logger.error('media queue: malformed message dropped', { messageId: message.id });
      message.ack();
      continue;
    }
    try {
      const outcome = await dispatchMediaJob(db, env, body.mediaId, new Date());
      logger.info('media queue: dispatched', {
        mediaId: body.mediaId,
        outcome,
        attempts: message.attempts,
      });
      message.ack();
    } catch (err) {
      logger.warn('media queue: dispatch failed, will retry', {
        mediaId: body.mediaId,
        attempts: message.attempts,
        error: err,
      });
      message.retry({ delaySeconds: backoffSeconds(message.attempts) });
    }
  }
}

/**
 * Cron: media whose job went quiet past the timeout (a crashed media-service, a lost message) go back to
 * "uploaded" — guarded on the state seen — and are queued again; dispatch caps the attempts.
 */
export async function sweepStuckMedia(env: Env, logger: Logger, now: Date): Promise<number> {
  const db = createDb(env.DATABASE_URL, undefined, { timeoutMs: env.DB_STATEMENT_TIMEOUT_MS });
  let total = 0;
  let afterId: string | undefined;
  // Pages of 100 (a Queue batch's limit) by id, so a backlog larger than one page is swept in one
  // run; bounded so that one run stays well inside the cron's time.
  for (let page = 0; page < SWEEP_MAX_PAGES; page++) {
    const stuck = await stuckMedia(db, {
      now,
      timeoutMinutes: env.MEDIA_JOB_TIMEOUT_MINUTES,
      afterId,
      limit: SWEEP_PAGE,
    });
    total += await requeue(env, db, stuck);
    if (stuck.length < SWEEP_PAGE) break;
    afterId = stuck[stuck.length - 1].id;
  }
  if (total) logger.warn('media sweeper: re-queued stuck media', { count: total });
  return total;
}

const SWEEP_PAGE = 100;
const SWEEP_MAX_PAGES = 20;

async function requeue(
  env: Env,
  db: Database,
  stuck: Array<Pick<Media, 'id' | 'status' | 'processingAttempts'>>,
): Promise<number> {
  const ids: string[] = [];
  for (const m of stuck) {
    if (m.status === 'uploaded') ids.push(m.id);
    else {
      const reset = await db
        .update(medias)
        .set({ status: 'uploaded' })
        .where(
          and(
            eq(medias.id, m.id),
            eq(medias.status, 'processing'),
            eq(medias.processingAttempts, m.processingAttempts),
          ),
        );
      if (reset.rowsAffected === 1) ids.push(m.id);
    }
  }
  if (ids.length) await env.MEDIA_QUEUE.sendBatch(ids.map((mediaId) => ({ body: { mediaId } })));
  return ids.length;
}

const key = z.string().min(1).max(512);
export const callbackSchema = z.object({
  jobId: z.string().min(1).max(128),
  mediaId: z.uuid(),
  state: z.enum(['progressing', 'complete', 'error']),
  progress: z.number().int().min(0).max(100).optional(),
  result: z
    .object({
      variants: z.record(z.string().regex(/^[\w-]{1,32}$/), key),
      thumbnails: z.array(key).max(20).default([]),
      width: z.number().int().positive().optional(),
      height: z.number().int().positive().optional(),
      durationMs: z.number().int().nonnegative().optional(),
    })
    .optional(),
  errorCode: z.string().max(64).optional(),
  errorMessage: z.string().max(500).optional(),
});
export type ProcessingCallback = z.infer<typeof callbackSchema>;

/**
 * Applies one processing callback once: (job, event) is recorded in the same transaction as the change, so a
 * replay finds its row (REPLAYED); only the media's current job may change it, and only from "processing".
 */
export async function applyCallback(
  db: Database,
  cb: ProcessingCallback,
  now: Date,
): Promise<void> {
  if (cb.state === 'complete' && !cb.result)
    throw new ApiError('VALIDATION_FAILED', 'complete needs a result', {
      details: [{ path: 'result', message: 'required when state is complete' }],
    });
  const event = cb.state === 'progressing' ? `progressing:${cb.progress ?? 0}` : cb.state;
  await db.transaction(async (tx) => {
    const inserted = await tx
      .insert(mediaJobEvents)
      .ignore()
      .values({ jobId: cb.jobId, event, mediaId: cb.mediaId });
    if (inserted.rowsAffected !== 1) throw new ApiError('REPLAYED', '이미 반영된 콜백입니다.');
    const [media] = await tx.select().from(medias).where(eq(medias.id, cb.mediaId)).for('update');
    if (!media) throw new ApiError('NOT_FOUND', '미디어를 찾을 수 없습니다.');
    if (media.processingJobId !== cb.jobId || media.status !== 'processing') {
      throw new ApiError(
        'INVALID_STATE',
        `이 작업(${cb.jobId})은 지금 미디어 상태(${media.status})를 바꿀 수 없습니다.`,
      );
    }
    if (cb.state === 'progressing') {
      await tx
        .update(medias)
        .set({ progress: sql`greatest(${medias.progress}, ${Math.min(cb.progress ?? 0, 99)})` })
        .where(eq(medias.id, media.id));
      return;
    }
    if (cb.state === 'error') {
      // The machine code first (e.g. CONTENT_MISMATCH), then the reason.
      const message =
        [cb.errorCode, cb.errorMessage].filter(Boolean).join(': ') || 'processing failed';
      await tx
        .update(medias)
        .set({ status: 'failed', errorMessage: message.slice(0, 500) })
        .where(eq(medias.id, media.id));
      return;
    }
    const result = cb.result!;
    const prefix = outputPrefixOf(media);
    const keys = [...Object.values(result.variants), ...result.thumbnails];
    if (keys.some((k) => !k.startsWith(prefix) || k.includes('..')))
      throw new ApiError('VALIDATION_FAILED', `outputs must be under ${prefix}`);
    await tx
      .update(medias)
      .set({
        status: 'ready',
        progress: 100,
        variants: result.variants,
        thumbnails: result.thumbnails,
        width: result.width ?? null,
        height: result.height ?? null,
        durationMs: result.durationMs ?? null,
        errorMessage: null,
        processedAt: now,
      })
      .where(eq(medias.id, media.id));
  });
}
