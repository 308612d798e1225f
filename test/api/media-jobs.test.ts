// Processing faults inside workerd: the queue consumer against an unreachable media-service (retried, not
// lost), storage unreachable at complete-upload (503, nothing changed), the sweeper re-dispatching a job lost
// with a crashed media-service (completed once; the lost job's late callback refused), and the attempt cap.
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
  waitOnExecutionContext,
} from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { AwsClient } from 'aws4fetch';
import { eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import { describe, expect, it } from 'vitest';
import { medias } from '../../src/db/schema/index.ts';
import worker from '../../src/index.ts';
import { MAX_JOB_ATTEMPTS, MEDIA_QUEUE_NAME, signedHeaders } from '../../src/jobs/media.ts';
import { objectUrl } from '../../src/lib/storage.ts';
import { postJson, tokenFor } from './auth-helpers.ts';
import { db, makeCreator } from './economy-helpers.ts';
import { expectError } from './helpers.ts';

const bindings = env as unknown as Record<string, unknown>;
const storageEnv = {
  S3_ENDPOINT: env.S3_ENDPOINT,
  S3_BUCKET: env.S3_BUCKET,
  S3_REGION: env.S3_REGION,
  S3_ACCESS_KEY_ID: env.S3_ACCESS_KEY_ID,
  S3_SECRET_ACCESS_KEY: env.S3_SECRET_ACCESS_KEY,
};
const s3 = new AwsClient({
  accessKeyId: env.S3_ACCESS_KEY_ID,
  secretAccessKey: env.S3_SECRET_ACCESS_KEY,
  region: env.S3_REGION,
  service: 's3',
});
// A real 1×1 PNG.
const PNG = Uint8Array.from(
  atob(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  ),
  (c) => c.charCodeAt(0),
);

async function storedImage(
  ownerId: string,
  patch: Partial<typeof medias.$inferInsert> = {},
): Promise<string> {
  const id = uuidv7();
  const storageKey = `uploads/${ownerId}/${id}.png`;
  expect(
    (
      await s3.fetch(objectUrl(storageEnv, storageKey), {
        method: 'PUT',
        body: PNG,
        headers: { 'content-type': 'image/png' },
      })
    ).status,
  ).toBe(200);
  await db.insert(medias).values({
    id,
    ownerId,
    type: 'image',
    originalName: 'dot.png',
    mimeType: 'image/png',
    fileSize: PNG.length,
    storageKey,
    status: 'uploaded',
    ...patch,
  });
  return id;
}

async function deliver(mediaId: string, b: Record<string, unknown> = bindings) {
  const batch = createMessageBatch(MEDIA_QUEUE_NAME, [
    { id: uuidv7(), timestamp: new Date(), attempts: 1, body: { mediaId } },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, b, ctx);
  await waitOnExecutionContext(ctx);
  return getQueueResult(batch, ctx);
}

const row = async (id: string) => (await db.select().from(medias).where(eq(medias.id, id)))[0];

async function until(id: string, status: string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let r = await row(id);
  while (r.status !== status && Date.now() < deadline) {
    await new Promise((res) => setTimeout(res, 200));
    r = await row(id);
  }
  return r;
}

async function sweep(minutesLater: number) {
  const ctx = createExecutionContext();
  await worker.scheduled(
    createScheduledController({
      cron: '*/10 * * * *',
      scheduledTime: Date.now() + minutesLater * 60_000,
    }),
    bindings,
    ctx,
  );
  await waitOnExecutionContext(ctx);
}

describe('media processing faults', () => {
  it('media-service unreachable: the message is retried (queue backoff) and the media stays dispatchable', async () => {
    const owner = await makeCreator();
    const id = await storedImage(owner);
    const down = await deliver(id, { ...bindings, MEDIA_SERVICE_URL: 'http://127.0.0.1:9' });
    expect(down.retryMessages).toHaveLength(1);
    expect(await row(id)).toMatchObject({ status: 'uploaded', processingAttempts: 1 });
    const up = await deliver(id);
    expect(up.explicitAcks).toHaveLength(1);
    expect(await until(id, 'ready')).toMatchObject({
      status: 'ready',
      processingAttempts: 2,
      processingJobId: `${id}-2`,
    });
    // A duplicate delivery of the same message dispatches nothing more.
    await deliver(id);
    expect((await row(id)).processingAttempts).toBe(2);
  });

  it('storage unreachable at complete-upload: 503 with a code, nothing changed; later it completes', async () => {
    const owner = await makeCreator();
    const id = await storedImage(owner, { status: 'uploading' });
    const headers = new Headers({
      cookie: `access_token=${await tokenFor(owner)}`,
      'content-type': 'application/json',
      'CF-Connecting-IP': '10.9.9.9',
    });
    const req = () =>
      new Request('http://api.test/media/complete-upload', {
        method: 'POST',
        headers,
        body: JSON.stringify({ mediaId: id }),
      });
    const ctx = createExecutionContext();
    const res = await worker.fetch(req(), { ...bindings, S3_ENDPOINT: 'http://127.0.0.1:9' }, ctx);
    await waitOnExecutionContext(ctx);
    await expectError(res, 503, 'STORAGE_UNAVAILABLE');
    expect((await row(id)).status).toBe('uploading');
    expect(
      (
        await postJson(
          '/media/complete-upload',
          { mediaId: id },
          { cookies: { access_token: await tokenFor(owner) } },
        )
      ).status,
    ).toBe(201);
  });

  it('a job lost with a crashed media-service is dispatched again by the sweeper, completed once; the lost job is refused', async () => {
    const owner = await makeCreator();
    // As a crash leaves it: processing, job 1 never reported, quiet for longer than the timeout.
    const id = await storedImage(owner, { status: 'processing', processingAttempts: 1 });
    const lostJob = `${id}-1`;
    await db.update(medias).set({ processingJobId: lostJob }).where(eq(medias.id, id));
    await sweep(31);
    expect((await row(id)).status).not.toBe('processing');
    await deliver(id); // the re-queued message (also consumed by the queue itself: only one dispatch wins)
    const done = await until(id, 'ready');
    expect(done).toMatchObject({
      status: 'ready',
      processingAttempts: 2,
      processingJobId: `${id}-2`,
    });
    // The restarted service finishing the lost job later: refused, nothing changes.
    const body = JSON.stringify({
      jobId: lostJob,
      mediaId: id,
      state: 'error',
      errorMessage: 'late',
    });
    const late = await worker.fetch(
      new Request('http://api.test/media/processing-webhook', {
        method: 'POST',
        body,
        headers: await signedHeaders(env.MEDIA_SERVICE_SECRET, 'callback', body, new Date()),
      }),
      bindings,
      createExecutionContext(),
    );
    await expectError(late, 409, 'INVALID_STATE');
    expect((await row(id)).status).toBe('ready');
  });

  it(`gives up after ${MAX_JOB_ATTEMPTS} attempts: FAILED, and the owner can retry`, async () => {
    const owner = await makeCreator();
    const id = await storedImage(owner, {
      status: 'processing',
      processingAttempts: MAX_JOB_ATTEMPTS,
      processingJobId: 'gone',
    });
    await sweep(31);
    await deliver(id);
    expect(await until(id, 'failed')).toMatchObject({ status: 'failed' });
    expect(
      (
        await postJson(
          `/media/${id}/retry`,
          {},
          { cookies: { access_token: await tokenFor(owner) } },
        )
      ).status,
    ).toBe(200);
    expect((await until(id, 'ready')).processingAttempts).toBe(1);
  });
});
