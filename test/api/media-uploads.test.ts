// Uploads inside workerd: the allow-list, size limits and daily quotas of prepare-upload; presigned PUTs that
// only accept the declared type and length; multipart for large videos; complete-upload checked against
// storage and ownership; the owner's list, status, retry and delete. (Processing itself: test/stack/media-e2e.)
import { env } from 'cloudflare:workers';
import { AwsClient } from 'aws4fetch';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { medias } from '../../src/db/schema/index.ts';
import { DAILY_UPLOAD_QUOTA } from '../../src/domain/media.ts';
import { objectUrl } from '../../src/lib/storage.ts';
import { api, postJson, tokenFor } from './auth-helpers.ts';
import { db, makeCreator } from './economy-helpers.ts';
import { expectError, readJson } from './helpers.ts';

const PART = Number(env.MEDIA_MULTIPART_PART_BYTES);
const as = async (userId: string) => ({ cookies: { access_token: await tokenFor(userId) } });
const s3 = new AwsClient({
  accessKeyId: env.S3_ACCESS_KEY_ID,
  secretAccessKey: env.S3_SECRET_ACCESS_KEY,
  region: env.S3_REGION,
  service: 's3',
});
const storageEnv = {
  S3_ENDPOINT: env.S3_ENDPOINT,
  S3_BUCKET: env.S3_BUCKET,
  S3_REGION: env.S3_REGION,
  S3_ACCESS_KEY_ID: env.S3_ACCESS_KEY_ID,
  S3_SECRET_ACCESS_KEY: env.S3_SECRET_ACCESS_KEY,
};

interface Prepared {
  mediaId: string;
  s3Key: string;
  uploadUrl: string | null;
  headers: Record<string, string>;
  multipart: {
    uploadId: string;
    partSize: number;
    parts: Array<{ partNumber: number; size: number; url: string }>;
  } | null;
}

async function prepare(userId: string, body: Record<string, unknown>): Promise<Response> {
  return postJson('/media/prepare-upload', body, await as(userId));
}

async function prepared(
  userId: string,
  fileName: string,
  contentType: string,
  fileSize: number,
): Promise<Prepared> {
  const { status, body, text } = await readJson<{ data: Prepared }>(
    await prepare(userId, { fileName, contentType, fileSize }),
  );
  expect(status, text).toBe(201);
  return body.data;
}

describe('POST /media/prepare-upload', () => {
  it('needs a session', async () => {
    await expectError(
      await postJson('/media/prepare-upload', {
        fileName: 'a.jpg',
        contentType: 'image/jpeg',
        fileSize: 10,
      }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('accepts only the allow-list, with matching extensions, within the size limits', async () => {
    const user = await makeCreator();
    await expectError(
      await prepare(user, {
        fileName: 'setup.exe',
        contentType: 'application/x-msdownload',
        fileSize: 10,
      }),
      415,
      'UNSUPPORTED_FILE_TYPE',
    );
    await expectError(
      await prepare(user, { fileName: 'photo.exe', contentType: 'image/jpeg', fileSize: 10 }),
      415,
      'UNSUPPORTED_FILE_TYPE',
    );
    await expectError(
      await prepare(user, { fileName: 'photo.png', contentType: 'image/jpeg', fileSize: 10 }),
      415,
      'UNSUPPORTED_FILE_TYPE',
    );
    await expectError(
      await prepare(user, {
        fileName: 'huge.jpg',
        contentType: 'image/jpeg',
        fileSize: 60 * 1024 * 1024,
      }),
      413,
      'FILE_TOO_LARGE',
    );
    await expectError(
      await prepare(user, {
        fileName: 'film.mp4',
        contentType: 'video/mp4',
        fileSize: 6 * 1024 ** 3,
      }),
      413,
      'FILE_TOO_LARGE',
    );
    await expectError(
      await prepare(user, { fileName: 'a.jpg', contentType: 'image/jpeg' }),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      await prepare(user, { fileName: 'a.jpg', contentType: 'image/jpeg', fileSize: -1 }),
      400,
      'VALIDATION_FAILED',
    );
    for (const [name, type] of [
      ['a.webp', 'image/webp'],
      ['b.mov', 'video/quicktime'],
      ['c.m4a', 'audio/x-m4a'],
      ['d.pdf', 'application/pdf'],
    ]) {
      const p = await prepared(user, name, type, 1000);
      expect(p.s3Key).toBe(`uploads/${user}/${p.mediaId}.${name.split('.')[1]}`);
    }
    // Nothing half-written by the refusals: only the four accepted uploads exist.
    expect(await db.select().from(medias).where(eq(medias.ownerId, user))).toHaveLength(4);
  });

  it('enforces the daily quota per type', async () => {
    const user = await makeCreator();
    for (let i = 0; i < DAILY_UPLOAD_QUOTA.video; i++)
      await prepared(user, `v${i}.mp4`, 'video/mp4', 1000);
    await expectError(
      await prepare(user, { fileName: 'one-more.mp4', contentType: 'video/mp4', fileSize: 1000 }),
      429,
      'UPLOAD_QUOTA_EXCEEDED',
    );
    await prepared(user, 'still-fine.jpg', 'image/jpeg', 1000);
  });

  it('the presigned PUT accepts exactly the declared type and length', async () => {
    const user = await makeCreator();
    const p = await prepared(user, 'note.pdf', 'application/pdf', 12);
    expect(p.uploadUrl).toContain('X-Amz-Signature=');
    expect(new URL(p.uploadUrl!).searchParams.get('X-Amz-SignedHeaders')).toBe(
      'content-length;content-type;host',
    );
    expect(
      (
        await fetch(p.uploadUrl!, {
          method: 'PUT',
          body: '%PDF-1.4 xxxx!',
          headers: { 'content-type': 'application/pdf' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await fetch(p.uploadUrl!, {
          method: 'PUT',
          body: '%PDF-1.4 xxx',
          headers: { 'content-type': 'image/jpeg' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await fetch(p.uploadUrl!, {
          method: 'PUT',
          body: '%PDF-1.4 xxx',
          headers: { 'content-type': 'application/pdf' },
        })
      ).status,
    ).toBe(200);
  });
});

describe('POST /media/complete-upload', () => {
  it('checks storage: nothing uploaded → 409, wrong size → 409 and the object removed, then uploaded and queued once', async () => {
    const user = await makeCreator();
    const p = await prepared(user, 'song.mp3', 'audio/mpeg', 5);
    await expectError(
      await postJson('/media/complete-upload', { mediaId: p.mediaId }, await as(user)),
      409,
      'UPLOAD_INCOMPLETE',
    );
    // Written around the presigned URL (with the store's own key) at another size.
    expect(
      (await s3.fetch(objectUrl(storageEnv, p.s3Key), { method: 'PUT', body: 'too many bytes' }))
        .status,
    ).toBe(200);
    await expectError(
      await postJson('/media/complete-upload', { mediaId: p.mediaId }, await as(user)),
      409,
      'UPLOAD_SIZE_MISMATCH',
    );
    expect((await s3.fetch(objectUrl(storageEnv, p.s3Key), { method: 'HEAD' })).status).toBe(404);
    expect(
      (
        await fetch(p.uploadUrl!, {
          method: 'PUT',
          body: 'ID3xx',
          headers: { 'content-type': 'audio/mpeg' },
        })
      ).status,
    ).toBe(200);
    const first = await readJson<{ data: { status: string; mediaUrl: string } }>(
      await postJson(
        '/media/complete-upload',
        { mediaId: p.mediaId, s3Key: p.s3Key },
        await as(user),
      ),
    );
    expect(first.status, first.text).toBe(201);
    expect(first.body.data.mediaUrl).toBe(`${env.API_BASE_URL}/media/image/${p.mediaId}`);
    // The original client's vocabulary: never our internal "uploaded" or "ready".
    expect(['PROCESSING', 'COMPLETED', 'FAILED']).toContain(first.body.data.status);
    const again = await readJson<{ data: { id: string } }>(
      await postJson('/media/complete-upload', { mediaId: p.mediaId }, await as(user)),
    );
    expect(again.status).toBe(201);
    expect(again.body.data.id).toBe(p.mediaId);
  });

  it("someone else's media, or a key that is not the media's, is not found", async () => {
    const [owner, other] = [await makeCreator(), await makeCreator()];
    const p = await prepared(owner, 'a.jpg', 'image/jpeg', 3);
    await expectError(
      await postJson('/media/complete-upload', { mediaId: p.mediaId }, await as(other)),
      404,
      'NOT_FOUND',
    );
    await expectError(
      await postJson(
        '/media/complete-upload',
        { mediaId: p.mediaId, s3Key: `uploads/${other}/x.jpg` },
        await as(owner),
      ),
      404,
      'NOT_FOUND',
    );
    await expectError(await api(`/media/${p.mediaId}`, await as(other)), 404, 'NOT_FOUND');
    await expectError(await api(`/media/${p.mediaId}/status`, await as(other)), 404, 'NOT_FOUND');
    await expectError(
      await api(`/media/${p.mediaId}`, { ...(await as(other)), method: 'DELETE' }),
      404,
      'NOT_FOUND',
    );
  });

  it('a large video uploads in presigned parts, each pinned to its length; complete needs every part', async () => {
    const user = await makeCreator();
    const size = 2 * PART + 1000;
    const p = await prepared(user, 'long.mp4', 'video/mp4', size);
    expect(p.uploadUrl).toBeNull();
    expect(p.multipart!.parts.map((x) => x.size)).toEqual([PART, PART, 1000]);
    const etags: Array<{ partNumber: number; etag: string }> = [];
    for (const part of p.multipart!.parts) {
      expect(
        (await fetch(part.url, { method: 'PUT', body: new Uint8Array(part.size + 1) })).status,
      ).toBe(403);
      const res = await fetch(part.url, {
        method: 'PUT',
        body: new Uint8Array(part.size).fill(part.partNumber),
      });
      expect(res.status).toBe(200);
      etags.push({ partNumber: part.partNumber, etag: res.headers.get('etag') ?? '' });
    }
    await expectError(
      await postJson('/media/complete-upload', { mediaId: p.mediaId }, await as(user)),
      400,
      'VALIDATION_FAILED',
    );
    const done = await readJson<{ data: { fileSize: number } }>(
      await postJson(
        '/media/complete-upload',
        { mediaId: p.mediaId, parts: etags },
        await as(user),
      ),
    );
    expect(done.status, done.text).toBe(201);
    const head = await s3.fetch(objectUrl(storageEnv, p.s3Key), { method: 'HEAD' });
    expect(Number(head.headers.get('content-length'))).toBe(size);
  });
});

describe('the media status on the wire', () => {
  it("speaks the original client's vocabulary (UPLOADING | PROCESSING | COMPLETED | FAILED) in every media field", async () => {
    const me = await makeCreator();
    const p = await prepared(me, 'w.jpg', 'image/jpeg', 3);
    const wire: Record<string, string> = {};
    for (const status of ['uploading', 'uploaded', 'processing', 'ready', 'failed'] as const) {
      await db.update(medias).set({ status }).where(eq(medias.id, p.mediaId));
      const one = await readJson<{ data: { status: string; processingStatus: string } }>(
        await api(`/media/${p.mediaId}`, await as(me)),
      );
      const state = await readJson<{ data: { status: string } }>(
        await api(`/media/${p.mediaId}/status`, await as(me)),
      );
      const list = await readJson<{ data: Array<{ status: string }> }>(
        await api('/media/my-media', await as(me)),
      );
      expect([
        one.body.data.processingStatus,
        state.body.data.status,
        list.body.data[0].status,
      ]).toEqual([one.body.data.status, one.body.data.status, one.body.data.status]);
      wire[status] = one.body.data.status;
    }
    expect(wire).toEqual({
      uploading: 'UPLOADING',
      uploaded: 'PROCESSING',
      processing: 'PROCESSING',
      ready: 'COMPLETED',
      failed: 'FAILED',
    });
  });
});

describe('upload purpose', () => {
  it('profile pictures and cover images must be images; an unknown purpose is refused', async () => {
    const me = await makeCreator();
    const ok = await readJson<{ data: { mediaId: string } }>(
      await prepare(me, {
        fileName: 'me.png',
        contentType: 'image/png',
        fileSize: 10,
        purpose: 'avatar',
      }),
    );
    expect(ok.status, ok.text).toBe(201);
    expect(
      (await db.select().from(medias).where(eq(medias.id, ok.body.data.mediaId)))[0].purpose,
    ).toBe('avatar');
    await expectError(
      await prepare(me, {
        fileName: 'me.mp4',
        contentType: 'video/mp4',
        fileSize: 10,
        purpose: 'cover',
      }),
      415,
      'UNSUPPORTED_FILE_TYPE',
    );
    await expectError(
      await prepare(me, {
        fileName: 'me.png',
        contentType: 'image/png',
        fileSize: 10,
        purpose: 'wallpaper',
      }),
      400,
      'VALIDATION_FAILED',
    );
    expect(await db.select().from(medias).where(eq(medias.ownerId, me))).toHaveLength(1);
  });
});

describe("the owner's media", () => {
  it('lists only my media; status, retry only when failed, abort and delete', async () => {
    const [me, other] = [await makeCreator(), await makeCreator()];
    const a = await prepared(me, 'a.jpg', 'image/jpeg', 3);
    const b = await prepared(me, 'b.png', 'image/png', 3);
    await prepared(other, 'c.jpg', 'image/jpeg', 3);
    const list = await readJson<{ data: Array<{ id: string }> }>(
      await api('/media/my-media?limit=10', await as(me)),
    );
    expect(list.body.data.map((m) => m.id).sort()).toEqual([a.mediaId, b.mediaId].sort());
    const status = await readJson<{ data: { status: string; progress: number } }>(
      await api(`/media/${a.mediaId}/status`, await as(me)),
    );
    expect(status.body.data).toMatchObject({ status: 'UPLOADING', progress: 0 });
    await expectError(
      await postJson(`/media/${a.mediaId}/retry`, {}, await as(me)),
      409,
      'INVALID_STATE',
    );
    await db
      .update(medias)
      .set({ status: 'failed', errorMessage: 'boom' })
      .where(eq(medias.id, b.mediaId));
    const retried = await readJson<{ data: { status: string; errorMessage: string | null } }>(
      await postJson(`/media/${b.mediaId}/retry`, {}, await as(me)),
    );
    expect(retried.status).toBe(200);
    expect(retried.body.data.errorMessage).toBeNull();
    expect(['PROCESSING', 'FAILED']).toContain(retried.body.data.status);
    expect((await postJson(`/media/${a.mediaId}/abort-upload`, {}, await as(me))).status).toBe(200);
    await expectError(await api(`/media/${a.mediaId}`, await as(me)), 404, 'NOT_FOUND');
    expect((await api(`/media/${b.mediaId}`, { ...(await as(me)), method: 'DELETE' })).status).toBe(
      200,
    );
    const after = await readJson<{ data: unknown[] }>(await api('/media/my-media', await as(me)));
    expect(after.body.data).toEqual([]);
  });
});
