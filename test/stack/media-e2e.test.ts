// The media pipeline end to end on the local stack: the Worker under wrangler dev (its own queue consumer),
// the verifying S3, media-service with sharp and ffmpeg, and the signed processing webhook. Media are made
// here: a real JPEG with EXIF (sharp), a real 10-second MP4 (ffmpeg), an .exe renamed .jpg.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SignJWT, importJWK, type JWK } from 'jose';
import sharp from 'sharp';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_EVENTS_TOKEN, LOCAL_MEDIA_SECRET } from '../../dev/stack/stack.ts';

/** The test stack's MEDIA_TOKEN_SECRET (dev/stack/stack.ts), to sign a genuine but expired segment token. */
const LOCAL_MEDIA_TOKEN_SECRET = 'crefans-local-media-token-key';
import { createDb } from '../../src/db/client.ts';
import { TREASURY_WALLET_ID } from '../../src/db/reference-data.ts';
import { eq } from 'drizzle-orm';
import {
  creators,
  medias,
  membershipItems,
  subscriptions,
  users,
} from '../../src/db/schema/index.ts';
import { changeSupply, transfer } from '../../src/domain/ledger.ts';
import { createTier } from '../../src/domain/memberships.ts';
import { ensureWallet, kngWallet } from '../../src/domain/wallets.ts';
import { signedHeaders } from '../../src/jobs/media.ts';
import { hmacHex } from '../../src/lib/hmac.ts';
import { listKeys } from '../../src/lib/storage.ts';
import { readStackInfo } from '../stack-info.ts';

const info = readStackInfo();
const db = createDb(info.databaseUrl);
const require = createRequire(import.meta.url);
const keyFile = join(
  require.resolve('cognito-local/package.json'),
  '..',
  'lib',
  'keys',
  'cognitoLocal.private.json',
);
const work = mkdtempSync(join(tmpdir(), 'crefans-media-e2e-'));

type Json = { success: boolean; data: Record<string, unknown> & { code?: string } };

async function tokenFor(userId: string): Promise<string> {
  const key = await importJWK(
    (JSON.parse(readFileSync(keyFile, 'utf8')) as { jwk: JWK }).jwk,
    'RS256',
  );
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ token_use: 'access', client_id: info.cognito.clientId, username: userId })
    .setProtectedHeader({ alg: 'RS256', kid: 'CognitoLocal' })
    .setSubject(userId)
    .setIssuer(info.cognito.issuer)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(key);
}

async function makeUser(creator: boolean): Promise<{ id: string; token: string }> {
  const id = crypto.randomUUID();
  await db.insert(users).values({
    id,
    email: `${id}@media.test.crefans.local`,
    handle: `m${id.replace(/-/g, '').slice(0, 12)}`,
    nickname: `m${id.slice(0, 8)}`,
    name: 'media',
    status: 'active',
    confirmedAt: new Date(),
  });
  if (creator) await db.insert(creators).values({ userId: id });
  await ensureWallet(db, id);
  return { id, token: await tokenFor(id) };
}

function api(
  path: string,
  token: string | null,
  init: RequestInit & { json?: unknown } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set('cookie', `access_token=${token}`);
  if (init.json !== undefined) headers.set('content-type', 'application/json');
  return fetch(`${info.apiUrl}${path}`, {
    ...init,
    headers,
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    redirect: 'manual',
  });
}

async function upload(
  token: string,
  fileName: string,
  contentType: string,
  bytes: Buffer,
): Promise<string> {
  const prep = await api('/media/prepare-upload', token, {
    method: 'POST',
    json: { fileName, contentType, fileSize: bytes.length },
  });
  const prepared = (await prep.json()) as Json;
  expect(prep.status, JSON.stringify(prepared)).toBe(201);
  const put = await fetch(prepared.data.uploadUrl as string, {
    method: 'PUT',
    body: bytes,
    headers: { 'content-type': contentType },
  });
  expect(put.status).toBe(200);
  const done = await api('/media/complete-upload', token, {
    method: 'POST',
    json: { mediaId: prepared.data.mediaId, s3Key: prepared.data.s3Key },
  });
  const completed = (await done.json()) as Json;
  expect(done.status, JSON.stringify(completed)).toBe(201);
  expect(completed.data.mediaUrl).toBe(
    `${info.apiUrl}/media/${contentType.startsWith('video') ? 'video' : 'image'}/${prepared.data.mediaId as string}`,
  );
  return prepared.data.mediaId as string;
}

async function settled(token: string, mediaId: string, timeoutMs = 90_000): Promise<Json['data']> {
  const deadline = Date.now() + timeoutMs;
  let last: Json['data'] = {};
  while (Date.now() < deadline) {
    last = ((await (await api(`/media/${mediaId}`, token)).json()) as Json).data;
    if (last.status === 'COMPLETED' || last.status === 'FAILED') return last;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`media ${mediaId} still ${String(last.status)} after ${timeoutMs} ms`);
}

/** Follows the gate's redirect to the presigned URL and returns the bytes. */
async function fetchVariant(
  token: string | null,
  path: string,
): Promise<{ status: number; bytes?: Buffer; location?: string; cache?: string | null }> {
  const res = await api(path, token);
  if (res.status !== 302) return { status: res.status };
  const location = res.headers.get('location') ?? '';
  const file = await fetch(location);
  expect(file.status).toBe(200);
  return {
    status: 302,
    bytes: Buffer.from(await file.arrayBuffer()),
    location,
    cache: res.headers.get('cache-control'),
  };
}

/** Credits KNG to a user the way a top-up does (minted into the treasury, then transferred). */
async function fund(userId: string, amount: number): Promise<void> {
  const key = `media-e2e:${uuidv7()}`;
  await changeSupply(db, { kind: 'mint', amount, idempotencyKey: `${key}:mint` });
  const wallet = await kngWallet(db, userId);
  await transfer(db, {
    idempotencyKey: key,
    fromWalletId: TREASURY_WALLET_ID,
    toWalletId: wallet!.id,
    amount,
    reason: 'charge',
  });
}

let creator: { id: string; token: string };
let fan: { id: string; token: string };
let stranger: { id: string; token: string };

beforeAll(async () => {
  [creator, fan, stranger] = [await makeUser(true), await makeUser(false), await makeUser(false)];
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('images', () => {
  it('a real JPEG becomes a 150 thumbnail and 480/1080/1920 WebP variants without EXIF, served only through the gate', async () => {
    const jpeg = await sharp({
      create: { width: 2400, height: 1600, channels: 3, background: '#3366aa' },
    })
      .jpeg()
      .withExif({ IFD0: { Copyright: 'private-exif-marker', Artist: 'someone' } })
      .toBuffer();
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const id = await upload(creator.token, 'photo.jpg', 'image/jpeg', jpeg);
    const media = await settled(creator.token, id);
    expect(media.status).toBe('COMPLETED');
    expect(media).toMatchObject({ width: 2400, height: 1600, progress: 100 });
    expect(Object.keys(media.processedUrls as object).sort()).toEqual([
      'preview',
      'thumbnail',
      'w1080',
      'w1920',
      'w480',
    ]);
    const expected: Record<string, [number, number]> = {
      thumbnail: [150, 150],
      low: [480, 320],
      medium: [1080, 720],
      high: [1920, 1280],
    };
    for (const [quality, [w, h]] of Object.entries(expected)) {
      const v = await fetchVariant(creator.token, `/media/image/${id}?quality=${quality}`);
      expect(v.cache).toBe('private, no-store');
      const meta = await sharp(v.bytes).metadata();
      expect([quality, meta.format, meta.width, meta.height]).toEqual([quality, 'webp', w, h]);
      expect(meta.exif).toBeUndefined();
      expect(v.bytes!.includes('private-exif-marker')).toBe(false);
    }
    // Not attached to any live posting: only the owner may fetch it.
    expect((await api(`/media/image/${id}`, stranger.token)).status).toBe(404);
    expect((await api(`/media/image/${id}`, null)).status).toBe(404);
  });

  it('a small image is never upscaled', async () => {
    const png = await sharp({
      create: { width: 300, height: 200, channels: 4, background: '#ff0000' },
    })
      .png()
      .toBuffer();
    const id = await upload(creator.token, 'small.png', 'image/png', png);
    expect((await settled(creator.token, id)).status).toBe('COMPLETED');
    const big = await fetchVariant(creator.token, `/media/image/${id}?quality=high`);
    expect((await sharp(big.bytes).metadata()).width).toBe(300);
  });

  it('delete removes the original and every processed output from storage', async () => {
    const png = await sharp({
      create: { width: 640, height: 480, channels: 3, background: '#00ff00' },
    })
      .png()
      .toBuffer();
    const id = await upload(creator.token, 'gone.png', 'image/png', png);
    expect((await settled(creator.token, id)).status).toBe('COMPLETED');
    const storage = {
      S3_ENDPOINT: info.s3.endpoint,
      S3_BUCKET: info.s3.bucket,
      S3_REGION: info.s3.region,
      S3_ACCESS_KEY_ID: info.s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: info.s3.secretAccessKey,
    };
    const prefix = `processed/${creator.id}/${id}/`;
    expect((await listKeys(storage, prefix)).length).toBe(5);
    expect((await api(`/media/${id}`, creator.token, { method: 'DELETE' })).status).toBe(200);
    expect(await listKeys(storage, prefix)).toEqual([]);
    expect(await listKeys(storage, `uploads/${creator.id}/${id}`)).toEqual([]);
    expect((await api(`/media/image/${id}`, creator.token)).status).toBe(404);
  });

  it('an .exe renamed .jpg is rejected by its bytes with a clear reason', async () => {
    const exe = Buffer.concat([
      Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00', 'latin1'),
      Buffer.alloc(2048, 0x41),
    ]);
    const id = await upload(creator.token, 'holiday.jpg', 'image/jpeg', exe);
    const media = await settled(creator.token, id);
    expect(media.status).toBe('FAILED');
    expect(String(media.errorMessage)).toMatch(
      /^CONTENT_MISMATCH: the file's content \(application\/x-msdownload\) is not an accepted image/,
    );
    expect((await api(`/media/image/${id}?quality=high`, creator.token)).status).toBe(302); // the owner still reaches the original
  });
});

/** The older creator-centre page's upload: `fetch(POST /media/upload, { body: FormData{file} })` with cookies. */
async function formUpload(
  token: string,
  fileName: string,
  type: string,
  bytes: Buffer,
  fields: Record<string, string> = {},
): Promise<Response> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([bytes], { type }), fileName);
  return fetch(`${info.apiUrl}/media/upload`, {
    method: 'POST',
    body: form,
    headers: { cookie: `access_token=${token}` },
  });
}

describe('form upload (POST /media/upload, multipart/form-data)', () => {
  it('a real JPEG from the creator-centre form goes through the pipeline to COMPLETED and into a posting', async () => {
    const jpeg = await sharp({
      create: { width: 1200, height: 800, channels: 3, background: '#aa3366' },
    })
      .jpeg()
      .toBuffer();
    const res = await formUpload(creator.token, 'form photo.jpg', 'image/jpeg', jpeg);
    const body = (await res.json()) as Json;
    expect(res.status, JSON.stringify(body)).toBe(201);
    const id = body.data.id as string;
    expect(body.data).toMatchObject({
      mediaId: id,
      type: 'IMAGE',
      fileName: 'form photo.jpg',
      mimeType: 'image/jpeg',
      fileSize: jpeg.length,
      status: 'PROCESSING',
      mediaUrl: `${info.apiUrl}/media/image/${id}`,
    });
    const media = await settled(creator.token, id);
    expect(media).toMatchObject({
      status: 'COMPLETED',
      processingStatus: 'COMPLETED',
      width: 1200,
      height: 800,
    });
    const status = (await (await api(`/media/${id}/status`, creator.token)).json()) as Json;
    expect(status.data.status).toBe('COMPLETED');
    const high = await fetchVariant(creator.token, `/media/image/${id}?quality=high`);
    expect((await sharp(high.bytes).metadata()).width).toBe(1200);
    const post = await api('/postings', creator.token, {
      method: 'POST',
      json: {
        title: 'form',
        content: 'from the form',
        status: 'PUBLISHED',
        is_public: true,
        media_ids: [id],
      },
    });
    expect(post.status).toBe(201);
    const postingId = ((await post.json()) as Json).data.id as string;
    const read = (await (await api(`/postings/${postingId}`, stranger.token)).json()) as Json;
    expect(
      (read.data.medias as Array<{ id: string; processingStatus: string }>).map((m) => [
        m.id,
        m.processingStatus,
      ]),
    ).toEqual([[id, 'COMPLETED']]);
  });

  it('streams a file larger than a part to storage in parts; past the cap it is refused and nothing is kept', async () => {
    const png = await sharp({
      create: {
        width: 2048,
        height: 2048,
        channels: 3,
        background: '#000000',
        noise: { type: 'gaussian', mean: 128, sigma: 60 },
      },
    })
      .png({ compressionLevel: 0 })
      .toBuffer();
    expect(png.length).toBeGreaterThan(2 * 5 * 1024 * 1024);
    const res = await formUpload(creator.token, 'noise.png', 'image/png', png);
    const body = (await res.json()) as Json;
    expect(res.status, JSON.stringify(body)).toBe(201);
    const storage = {
      S3_ENDPOINT: info.s3.endpoint,
      S3_BUCKET: info.s3.bucket,
      S3_REGION: info.s3.region,
      S3_ACCESS_KEY_ID: info.s3.accessKeyId,
      S3_SECRET_ACCESS_KEY: info.s3.secretAccessKey,
    };
    const { getObject } = await import('../../src/lib/storage.ts');
    const stored = Buffer.from(
      await (await getObject(storage, body.data.s3Key as string))!.arrayBuffer(),
    );
    expect(stored.equals(png)).toBe(true);
    expect((await settled(creator.token, body.data.id as string)).status).toBe('COMPLETED');

    const uploader = await makeUser(true);
    const tooBig = Buffer.concat([png, png]).subarray(0, 16 * 1024 * 1024 + 1);
    const refused = await formUpload(uploader.token, 'big.png', 'image/png', tooBig);
    expect(refused.status).toBe(413);
    expect(((await refused.json()) as Json).data.code).toBe('FILE_TOO_LARGE');
    expect(await db.select().from(medias).where(eq(medias.ownerId, uploader.id))).toEqual([]);
    expect(await listKeys(storage, `uploads/${uploader.id}/`)).toEqual([]);
  });
});

describe('profile picture and cover image', () => {
  it('square and banner sizes, set by media id, shown on the profile, postings, comments, feed and explore', async () => {
    const { eq: eqOp } = await import('drizzle-orm');
    const me = await makeUser(true);
    const [row] = await db.select().from(users).where(eqOp(users.id, me.id));
    // Profile picture: prepare-upload with purpose avatar.
    const photo = await sharp({
      create: { width: 900, height: 600, channels: 3, background: '#118844' },
    })
      .jpeg()
      .withExif({ IFD0: { Artist: 'exif-artist-marker' } })
      .toBuffer();
    const prep = (await (
      await api('/media/prepare-upload', me.token, {
        method: 'POST',
        json: {
          fileName: 'me.jpg',
          contentType: 'image/jpeg',
          fileSize: photo.length,
          purpose: 'avatar',
        },
      })
    ).json()) as Json;
    expect(
      (
        await fetch(prep.data.uploadUrl as string, {
          method: 'PUT',
          body: photo,
          headers: { 'content-type': 'image/jpeg' },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await api('/media/complete-upload', me.token, {
          method: 'POST',
          json: { mediaId: prep.data.mediaId },
        })
      ).status,
    ).toBe(201);
    const avatarId = prep.data.mediaId as string;
    // Not processed yet: refused with a clear reason (or already done on a fast machine).
    const early = await api('/user/profile-image', me.token, {
      method: 'PUT',
      json: { mediaId: avatarId },
    });
    expect([200, 409]).toContain(early.status);
    const avatarMedia = await settled(me.token, avatarId);
    expect(avatarMedia.status).toBe('COMPLETED');
    expect(Object.keys(avatarMedia.processedUrls as object).sort()).toEqual([
      'avatar_160',
      'avatar_400',
      'thumbnail',
    ]);
    const set = await api('/user/profile-image', me.token, {
      method: 'PUT',
      json: { mediaId: avatarId },
    });
    const setBody = (await set.json()) as Json;
    expect(set.status, JSON.stringify(setBody)).toBe(200);
    const avatarUrl = `${info.apiUrl}/media/image/${avatarId}`;
    expect(setBody.data).toEqual({ mediaId: avatarId, avatar: avatarUrl });
    // Setting the same picture again is fine (nothing changes).
    expect(
      (await api('/user/profile-image', me.token, { method: 'PUT', json: { mediaId: avatarId } }))
        .status,
    ).toBe(200);
    // Anyone may fetch the current profile picture: a 400×400 square without EXIF; 160 for medium.
    for (const [quality, size] of [
      ['', 400],
      ['?quality=medium', 160],
    ] as const) {
      const v = await fetchVariant(null, `/media/image/${avatarId}${quality}`);
      expect(v.status).toBe(302);
      const meta = await sharp(v.bytes).metadata();
      expect([meta.format, meta.width, meta.height, meta.exif]).toEqual([
        'webp',
        size,
        size,
        undefined,
      ]);
      expect(v.bytes!.includes('exif-artist-marker')).toBe(false);
    }

    // Cover image: the form upload with purpose cover.
    const wide = await sharp({
      create: { width: 2000, height: 1000, channels: 3, background: '#334455' },
    })
      .jpeg()
      .toBuffer();
    const coverRes = (await (
      await formUpload(me.token, 'cover.jpg', 'image/jpeg', wide, { purpose: 'cover' })
    ).json()) as Json;
    const coverId = coverRes.data.id as string;
    expect(coverRes.data.purpose).toBe('COVER');
    expect((await settled(me.token, coverId)).status).toBe('COMPLETED');
    const coverSet = (await (
      await api('/user/cover-image', me.token, { method: 'PUT', json: { mediaId: coverId } })
    ).json()) as Json;
    const coverUrl = `${info.apiUrl}/media/image/${coverId}`;
    expect(coverSet.data).toEqual({ mediaId: coverId, bannerImage: coverUrl });
    const banner = await sharp(
      (await fetchVariant(null, `/media/image/${coverId}`)).bytes,
    ).metadata();
    expect([banner.width, banner.height]).toEqual([1500, 500]);
    expect(
      (
        await sharp(
          (await fetchVariant(null, `/media/image/${coverId}?quality=low`)).bytes,
        ).metadata()
      ).width,
    ).toBe(750);

    // Shown wherever the profile appears.
    const profile = (await (await api(`/user/profile/${row.handle}`, null)).json()) as Json;
    expect(profile.data).toMatchObject({ avatar: avatarUrl, bannerImage: coverUrl });
    const meBody = (await (await api('/auth/me', me.token)).json()) as {
      data: { user: { attributes: { picture: string } } };
    };
    expect(meBody.data.user.attributes.picture).toBe(avatarUrl);
    const post = await api('/postings', me.token, {
      method: 'POST',
      json: { title: 'hello', content: 'with my face', status: 'PUBLISHED', is_public: true },
    });
    const postingId = ((await post.json()) as Json).data.id as string;
    const posting = (await (await api(`/postings/${postingId}`, stranger.token)).json()) as Json;
    expect((posting.data.user as { avatar: string }).avatar).toBe(avatarUrl);
    expect(
      (
        await api('/comments', me.token, {
          method: 'POST',
          json: { posting_id: postingId, content: 'first' },
        })
      ).status,
    ).toBe(201);
    const comments = (await (
      await api(`/comments/posting/${postingId}`, stranger.token)
    ).json()) as { data: Array<{ author: { avatar: string } }> };
    expect(comments.data[0].author.avatar).toBe(avatarUrl);
    const feed = (await (await api('/feed/public?limit=50', null)).json()) as {
      data: Array<{ id: string; creator: { avatar: string } }>;
    };
    expect(feed.data.find((p) => p.id === postingId)?.creator.avatar).toBe(avatarUrl);
    const explore = (await (await api('/explore/creators/new?limit=50', null)).json()) as {
      data: { creators: Array<{ handle: string; avatar: string; bannerImage: string }> };
    };
    expect(explore.data.creators.find((c) => c.handle === row.handle)).toMatchObject({
      avatar: avatarUrl,
      bannerImage: coverUrl,
    });

    // Replaced: the old picture is private again. Deleted: it is no one's picture.
    const second = (await (
      await formUpload(me.token, 'me2.jpg', 'image/jpeg', photo, { purpose: 'avatar' })
    ).json()) as Json;
    await settled(me.token, second.data.id as string);
    expect(
      (
        await api('/user/profile-image', me.token, {
          method: 'PUT',
          json: { mediaId: second.data.id },
        })
      ).status,
    ).toBe(200);
    expect((await api(`/media/image/${avatarId}`, null)).status).toBe(404);
    expect((await api(`/media/image/${second.data.id as string}`, stranger.token)).status).toBe(
      302,
    );
    expect(
      (await api(`/media/${second.data.id as string}`, me.token, { method: 'DELETE' })).status,
    ).toBe(200);
    expect(
      ((await (await api(`/user/profile/${row.handle}`, null)).json()) as Json).data.avatar,
    ).toBeNull();
  });

  it("takes only a processed image of the viewer's own, uploaded for that purpose", async () => {
    const me = await makeUser(false);
    const other = await makeUser(false);
    const jpeg = await sharp({
      create: { width: 300, height: 300, channels: 3, background: '#000000' },
    })
      .jpeg()
      .toBuffer();
    const theirs = (
      (await (
        await formUpload(other.token, 'x.jpg', 'image/jpeg', jpeg, { purpose: 'avatar' })
      ).json()) as Json
    ).data.id as string;
    const mine = ((await (await formUpload(me.token, 'y.jpg', 'image/jpeg', jpeg)).json()) as Json)
      .data.id as string;
    const cover = (
      (await (
        await formUpload(me.token, 'z.jpg', 'image/jpeg', jpeg, { purpose: 'cover' })
      ).json()) as Json
    ).data.id as string;
    await Promise.all([
      settled(other.token, theirs),
      settled(me.token, mine),
      settled(me.token, cover),
    ]);
    const put = (path: string, mediaId: unknown, token = me.token) =>
      api(path, token, { method: 'PUT', json: { mediaId } });
    const code = async (res: Response) => [res.status, ((await res.json()) as Json).data.code];
    expect(await code(await put('/user/profile-image', theirs))).toEqual([404, 'NOT_FOUND']);
    expect(await code(await put('/user/cover-image', theirs))).toEqual([404, 'NOT_FOUND']);
    expect(await code(await put('/user/profile-image', crypto.randomUUID()))).toEqual([
      404,
      'NOT_FOUND',
    ]);
    expect(await code(await put('/user/profile-image', mine))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await code(await put('/user/profile-image', cover))).toEqual([400, 'VALIDATION_FAILED']);
    expect(await code(await put('/user/profile-image', 'not-a-uuid'))).toEqual([
      400,
      'VALIDATION_FAILED',
    ]);
    expect(
      await code(
        await api('/user/profile-image', me.token, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
        }),
      ),
    ).toEqual([400, 'BAD_REQUEST']);
    expect(
      await code(
        await api('/user/profile-image', null, { method: 'PUT', json: { mediaId: mine } }),
      ),
    ).toEqual([401, 'UNAUTHENTICATED']);
    // Not anyone's picture: still private to its owner.
    expect((await api(`/media/image/${theirs}`, null)).status).toBe(404);
    expect((await put('/user/cover-image', cover)).status).toBe(200);
    expect((await put('/user/cover-image', null)).status).toBe(200);
    expect((await api(`/media/image/${cover}`, null)).status).toBe(404);
  });
});

describe('video', () => {
  let videoId: string;
  let postingId: string;

  beforeAll(async () => {
    const file = join(work, 'clip.mp4');
    await promisify(execFile)('ffmpeg', [
      '-hide_banner',
      '-y',
      '-f',
      'lavfi',
      '-i',
      'testsrc=duration=10:size=1280x720:rate=24',
      '-f',
      'lavfi',
      '-i',
      'sine=frequency=440:duration=10',
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
      file,
    ]);
    videoId = await upload(creator.token, 'clip.mp4', 'video/mp4', readFileSync(file));
    const tier = await createTier(db, creator.id, {
      name: 'members',
      description: null,
      benefits: [],
      level: 1,
      price: 10,
      billingUnit: 'MONTH',
      billingPeriod: 1,
      trialUnit: 'DAY',
      trialPeriod: 0,
      isActive: true,
    });
    await fund(fan.id, 100);
    expect(
      (await api(`/subscription/membership/${tier.id}`, fan.token, { method: 'POST' })).status,
    ).toBe(201);
    const media = await settled(creator.token, videoId, 180_000);
    expect(media.status, JSON.stringify(media)).toBe('COMPLETED');
    const post = await api('/postings', creator.token, {
      method: 'POST',
      json: {
        title: 'members video',
        content: 'paid',
        status: 'PUBLISHED',
        is_membership: true,
        membership_level: 1,
        media_ids: [videoId],
      },
    });
    expect(post.status).toBe(201);
    postingId = ((await post.json()) as Json).data.id as string;
  }, 240_000);

  it('becomes an HLS master with renditions, MP4 fallbacks, 5 frame captures and its duration', async () => {
    const [row] = await db
      .select()
      .from(medias)
      .where((await import('drizzle-orm')).eq(medias.id, videoId));
    expect(row.durationMs).toBeGreaterThanOrEqual(9_900);
    expect(row.durationMs).toBeLessThanOrEqual(10_100);
    expect([row.width, row.height]).toEqual([1280, 720]);
    expect(Object.keys(row.variants ?? {}).sort()).toEqual(['hls', 'mp4_480p', 'mp4_720p']);
    expect(row.thumbnails).toHaveLength(5);
    const frame = await fetchVariant(creator.token, `/media/video/${videoId}?quality=thumbnail-4`);
    expect((await sharp(frame.bytes).metadata()).format).toBe('jpeg');
    const mp4 = await fetchVariant(fan.token, `/media/video/${videoId}?quality=480p`);
    expect(mp4.bytes!.subarray(4, 8).toString('latin1')).toBe('ftyp');
  });

  // HLS (docs/architecture.md, "HLS delivery"): playlists with the viewer's session and the gate on every
  // request; segment URIs with a token bound to viewer and media, valid only with that viewer's session and
  // while the gate's grant holds (MEDIA_HLS_GRANT_TTL_SECONDS: 2 s in the test profile).
  const GRANT_TTL_MS = 2_000;
  let hlsUrl: string;
  let segmentUrls: string[] = [];

  /** Every segment URL of the master, as `token` (a session) gets it. */
  async function walk(token: string | null): Promise<{ renditions: string[]; segments: string[] }> {
    const master = await api(new URL(hlsUrl).pathname, token);
    expect(master.status).toBe(200);
    expect(master.headers.get('cache-control')).toBe('private, no-store');
    const renditions = (await master.text()).split('\n').filter((l) => l && !l.startsWith('#'));
    const segments: string[] = [];
    for (const r of renditions) {
      const playlistUrl = new URL(r, hlsUrl);
      const playlist = await api(playlistUrl.pathname, token);
      expect(playlist.status).toBe(200);
      expect(playlist.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
      for (const e of (await playlist.text()).split('\n').filter((l) => l && !l.startsWith('#')))
        segments.push(new URL(e, playlistUrl).toString());
    }
    return { renditions, segments };
  }
  const segment = (url: string, token: string | null, init: RequestInit = {}) =>
    api(url.slice(info.apiUrl.length), token, init);

  it('plays every segment for the subscriber, with their session; segment URIs carry a token of theirs', async () => {
    const playback = await api(`/media/${videoId}/playback`, fan.token);
    const body = (await playback.json()) as Json;
    expect(playback.status, JSON.stringify(body)).toBe(200);
    expect(playback.headers.get('cache-control')).toBe('private, no-store');
    hlsUrl = body.data.hlsUrl as string;
    // Nothing in the playlist URL grants anything: it is the same for every viewer.
    expect(hlsUrl).toBe(`${info.apiUrl}/media/hls/${videoId}/master.m3u8`);
    const { renditions, segments } = await walk(fan.token);
    expect(renditions).toEqual(['720p/index.m3u8', '480p/index.m3u8']);
    expect(segments.length).toBeGreaterThanOrEqual(4);
    for (const url of segments) {
      expect(new URL(url).searchParams.get('t')).toMatch(
        new RegExp(`^\\d+\\.${fan.id}\\.[0-9a-f]{64}$`),
      );
      const seg = await segment(url, fan.token);
      expect(seg.status, url).toBe(200);
      expect(seg.headers.get('cache-control')).toBe('private, max-age=3600');
      expect((await seg.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
    const ranged = await segment(segments[0], fan.token, { headers: { range: 'bytes=0-187' } });
    expect(ranged.status).toBe(206);
    expect((await ranged.arrayBuffer()).byteLength).toBe(188);
    segmentUrls = segments;
  });

  it('caches segments at the edge under a key without token or viewer', async () => {
    // The creator's playlist gives other tokens for the same segments; the fan's fetches filled the cache.
    const { segments } = await walk(creator.token);
    expect(segments[0]).not.toBe(segmentUrls[0]);
    expect(new URL(segments[0]).pathname).toBe(new URL(segmentUrls[0]).pathname);
    let cache: string | null = null;
    for (let i = 0; i < 20 && cache !== 'HIT'; i++) {
      const res = await segment(segments[0], creator.token);
      expect(res.status).toBe(200);
      cache = res.headers.get('x-cache');
      await res.arrayBuffer();
      if (cache !== 'HIT') await new Promise((r) => setTimeout(r, 100));
    }
    expect(cache).toBe('HIT');
  });

  it("refuses the playlists and the subscriber's segment URLs without cookies and to a fan without a subscription", async () => {
    expect((await api(new URL(hlsUrl).pathname, null)).status).toBe(403);
    expect((await api(new URL('720p/index.m3u8', hlsUrl).pathname, null)).status).toBe(403);
    expect((await api(new URL(hlsUrl).pathname, stranger.token)).status).toBe(403);
    const locked = await api(`/media/${videoId}/playback`, stranger.token);
    expect(locked.status).toBe(403);
    expect(((await locked.json()) as Json).data.code).toBe('CONTENT_LOCKED');
    expect((await api(`/media/video/${videoId}`, stranger.token)).status).toBe(403);
    // The subscriber's own segment URLs, shared: useless without their session, even to a signed-in fan.
    for (const url of segmentUrls.slice(0, 3)) {
      expect((await fetch(url)).status).toBe(403);
      expect((await segment(url, null)).status).toBe(403);
      expect((await segment(url, stranger.token)).status).toBe(403);
    }
  });

  it('refuses tampered, foreign and expired segment tokens', async () => {
    const url = new URL(segmentUrls[0]);
    const token = url.searchParams.get('t')!;
    const [exp, viewer, sig] = token.split('.');
    const withToken = (t: string, path = url.pathname) => `${info.apiUrl}${path}?t=${t}`;
    expect(
      (
        await segment(
          withToken(`${exp}.${viewer}.${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`),
          fan.token,
        )
      ).status,
    ).toBe(403);
    expect(
      (await segment(withToken(`${Number(exp) + 3600}.${viewer}.${sig}`), fan.token)).status,
    ).toBe(403);
    expect((await segment(withToken(`${exp}.${stranger.id}.${sig}`), stranger.token)).status).toBe(
      403,
    );
    expect((await segment(withToken(`${exp}.anon.${sig}`), null)).status).toBe(403);
    expect(
      (
        await segment(
          withToken(token, url.pathname.replace(videoId, crypto.randomUUID())),
          fan.token,
        )
      ).status,
    ).toBe(403);
    expect((await segment(`${info.apiUrl}${url.pathname}`, fan.token)).status).toBe(403);
    // Genuinely signed but expired.
    const past = Math.floor(Date.now() / 1000) - 10;
    const expired = `${past}.${fan.id}.${await hmacHex(LOCAL_MEDIA_TOKEN_SECRET, `hls-seg:${fan.id}:${videoId}:${past}`)}`;
    expect((await segment(withToken(expired), fan.token)).status).toBe(403);
    // The same construction, unexpired, is accepted: the refusals above are for the reasons tested.
    const future = Math.floor(Date.now() / 1000) + 60;
    const fresh = `${future}.${fan.id}.${await hmacHex(LOCAL_MEDIA_TOKEN_SECRET, `hls-seg:${fan.id}:${videoId}:${future}`)}`;
    expect((await segment(withToken(fresh), fan.token)).status).toBe(200);
  });

  it('stops playing for the subscriber once refunded: playlists at once, segments within the grant bound', async () => {
    const [sub] = await db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.subscriberId, fan.id));
    const refund = await api(`/subscription/${sub.id}/refund`, creator.token, {
      method: 'POST',
      json: { reason: 'media-e2e' },
    });
    expect(refund.status, await refund.clone().text()).toBe(200);
    expect(((await refund.json()) as Json).data.full).toBe(true);
    const refundedAt = Date.now();
    expect((await api(`/media/${videoId}/playback`, fan.token)).status).toBe(403);
    expect((await api(new URL(hlsUrl).pathname, fan.token)).status).toBe(403);
    // The playlist's refusal renews the grant as a no: the segments stop too, and stay stopped.
    for (const url of segmentUrls) expect((await segment(url, fan.token)).status, url).toBe(403);
    await new Promise((r) =>
      setTimeout(r, Math.max(0, refundedAt + GRANT_TTL_MS + 500 - Date.now())),
    );
    for (const url of segmentUrls) expect((await segment(url, fan.token)).status, url).toBe(403);
    expect(postingId).toBeTruthy();
  });

  it('a subscriber who never re-fetches the playlist loses the segments within the grant bound', async () => {
    const other = await makeUser(false);
    await fund(other.id, 100);
    const [tier] = await db
      .select()
      .from(membershipItems)
      .where(eq(membershipItems.creatorId, creator.id));
    expect(
      (await api(`/subscription/membership/${tier.id}`, other.token, { method: 'POST' })).status,
    ).toBe(201);
    const playback = await api(`/media/${videoId}/playback`, other.token);
    expect(playback.status).toBe(200);
    const { segments } = await walk(other.token);
    expect((await segment(segments[0], other.token)).status).toBe(200);
    const [sub] = await db
      .select()
      .from(subscriptions)
      .where(eq(subscriptions.subscriberId, other.id));
    // Access ends (expired) without the player asking for a playlist again.
    await db
      .update(subscriptions)
      .set({ status: 'expired', currentPeriodEnd: new Date(Date.now() - 1000) })
      .where(eq(subscriptions.id, sub.id));
    const ended = Date.now();
    await new Promise((r) => setTimeout(r, GRANT_TTL_MS + 500));
    const statuses = await Promise.all(
      segments.map(async (url) => (await segment(url, other.token)).status),
    );
    expect(
      statuses.every((s) => s === 403),
      `${Date.now() - ended} ms after the end: ${statuses.join(',')}`,
    ).toBe(true);
  });

  it('a public video plays without a session (anonymous tokens) until its posting goes away', async () => {
    const post = await api('/postings', creator.token, {
      method: 'POST',
      json: {
        title: 'free video',
        content: 'for all',
        status: 'PUBLISHED',
        is_public: true,
        media_ids: [videoId],
      },
    });
    expect(post.status).toBe(201);
    const publicId = ((await post.json()) as Json).data.id as string;
    expect((await api(`/media/${videoId}/playback`, null)).status).toBe(200);
    const { segments } = await walk(null);
    expect(new URL(segments[0]).searchParams.get('t')).toMatch(/^\d+\.anon\.[0-9a-f]{64}$/);
    expect(
      (await Promise.all(segments.map(async (url) => (await fetch(url)).status))).every(
        (s) => s === 200,
      ),
    ).toBe(true);
    expect((await api(`/postings/${publicId}`, creator.token, { method: 'DELETE' })).status).toBe(
      200,
    );
    expect((await api(new URL(hlsUrl).pathname, null)).status).toBe(403);
    await new Promise((r) => setTimeout(r, GRANT_TTL_MS + 500));
    expect(
      (await Promise.all(segments.map(async (url) => (await fetch(url)).status))).every(
        (s) => s === 403,
      ),
    ).toBe(true);
  });
});

describe('processing webhook', () => {
  async function processingMedia(): Promise<{ id: string; jobId: string }> {
    const id = uuidv7();
    const jobId = `${id}-1`;
    await db.insert(medias).values({
      id,
      ownerId: creator.id,
      type: 'image',
      originalName: 'x.jpg',
      mimeType: 'image/jpeg',
      fileSize: 1,
      storageKey: `uploads/${creator.id}/${id}.jpg`,
      status: 'processing',
      processingJobId: jobId,
      processingAttempts: 1,
    });
    return { id, jobId };
  }
  const post = async (body: string, headers: Record<string, string>) =>
    fetch(`${info.apiUrl}/media/processing-webhook`, { method: 'POST', body, headers });
  const signed = async (payload: unknown, at = new Date()) => {
    const body = JSON.stringify(payload);
    return { body, headers: await signedHeaders(LOCAL_MEDIA_SECRET, 'callback', body, at) };
  };

  it('rejects missing and bad signatures and stale timestamps', async () => {
    const { id, jobId } = await processingMedia();
    const cb = { jobId, mediaId: id, state: 'error', errorMessage: 'forged' };
    expect((await post(JSON.stringify(cb), { 'content-type': 'application/json' })).status).toBe(
      401,
    );
    const ok = await signed(cb);
    expect(
      (await post(ok.body, { ...ok.headers, 'x-crefans-signature': 'ab'.repeat(32) })).status,
    ).toBe(401);
    expect((await post(ok.body.replace('forged', 'forgeD'), ok.headers)).status).toBe(401);
    const stale = await signed(cb, new Date(Date.now() - 6 * 60_000));
    expect((await post(stale.body, stale.headers)).status).toBe(401);
    const [row] = await db
      .select()
      .from(medias)
      .where((await import('drizzle-orm')).eq(medias.id, id));
    expect(row.status).toBe('processing');
  });

  it('applies each (job, state) once and only allowed transitions', async () => {
    const { eq } = await import('drizzle-orm');
    const { id, jobId } = await processingMedia();
    const progress = await signed({ jobId, mediaId: id, state: 'progressing', progress: 40 });
    expect((await post(progress.body, progress.headers)).status).toBe(200);
    const replay = await post(progress.body, progress.headers);
    expect(replay.status).toBe(409);
    expect(((await replay.json()) as Json).data.code).toBe('REPLAYED');
    const outside = await signed({
      jobId,
      mediaId: id,
      state: 'complete',
      result: { variants: { w480: `processed/${stranger.id}/x/w480.webp` }, thumbnails: [] },
    });
    expect((await post(outside.body, outside.headers)).status).toBe(400);
    const prefix = `processed/${creator.id}/${id}/`;
    const done = await signed({
      jobId,
      mediaId: id,
      state: 'complete',
      result: { variants: { w480: `${prefix}w480.webp` }, thumbnails: [], width: 10, height: 10 },
    });
    expect((await post(done.body, done.headers)).status).toBe(200);
    const again = await signed({
      jobId,
      mediaId: id,
      state: 'complete',
      result: { variants: { w480: `${prefix}w480.webp` }, thumbnails: [] },
    });
    expect((await post(again.body, again.headers)).status).toBe(409);
    const late = await signed({ jobId, mediaId: id, state: 'error', errorMessage: 'late' });
    expect((await post(late.body, late.headers)).status).toBe(409);
    const stale = await signed({
      jobId: `${id}-0`,
      mediaId: id,
      state: 'progressing',
      progress: 10,
    });
    expect((await post(stale.body, stale.headers)).status).toBe(409);
    const [row] = await db.select().from(medias).where(eq(medias.id, id));
    expect(row).toMatchObject({ status: 'ready', progress: 100, width: 10 });
  });
});

describe('MediaConvert state events through media-service', () => {
  async function event(name: string, ids: { id: string; jobId: string }): Promise<Response> {
    const text = readFileSync(
      join(import.meta.dirname, '../../media-service/test/fixtures', name),
      'utf8',
    )
      .replaceAll('__JOB__', ids.jobId)
      .replaceAll('__MEDIA__', ids.id)
      .replaceAll('__OWNER__', creator.id)
      .replaceAll('__CALLBACK__', `${info.apiUrl}/media/processing-webhook`);
    return fetch(`${info.mediaServiceUrl}/events/mediaconvert`, {
      method: 'POST',
      body: text,
      headers: { 'content-type': 'application/json', 'x-crefans-events-token': LOCAL_EVENTS_TOKEN },
    });
  }
  async function videoInProcessing(): Promise<{ id: string; jobId: string }> {
    const id = uuidv7();
    const jobId = `${id}-1`;
    await db.insert(medias).values({
      id,
      ownerId: creator.id,
      type: 'video',
      originalName: 'v.mp4',
      mimeType: 'video/mp4',
      fileSize: 1,
      storageKey: `uploads/${creator.id}/${id}.mp4`,
      status: 'processing',
      processingJobId: jobId,
      processingAttempts: 1,
    });
    return { id, jobId };
  }
  const row = async (id: string) =>
    (
      await db
        .select()
        .from(medias)
        .where((await import('drizzle-orm')).eq(medias.id, id))
    )[0];

  it('STATUS_UPDATE moves progress, COMPLETE makes the media ready with its outputs, a repeated event changes nothing', async () => {
    const ids = await videoInProcessing();
    expect((await event('mediaconvert-status-update.json', ids)).status).toBe(200);
    expect((await row(ids.id)).progress).toBe(42);
    expect((await event('mediaconvert-complete.json', ids)).status).toBe(200);
    const p = `processed/${creator.id}/${ids.id}/`;
    expect(await row(ids.id)).toMatchObject({
      status: 'ready',
      progress: 100,
      width: 1920,
      height: 1080,
      durationMs: 12_345,
      variants: {
        hls: `${p}hls/master.m3u8`,
        mp4_1080p: `${p}mp4/video_1080p.mp4`,
        mp4_720p: `${p}mp4/video_720p.mp4`,
        mp4_480p: `${p}mp4/video_480p.mp4`,
      },
      thumbnails: [0, 1, 2, 3, 4].map((i) => `${p}thumbnails/frame.000000${i}.jpg`),
    });
    const again = await event('mediaconvert-complete.json', ids);
    expect(((await again.json()) as { callback: string }).callback).toBe('refused');
    expect((await row(ids.id)).status).toBe('ready');
  });

  it('ERROR fails the media with MediaConvert’s message', async () => {
    const ids = await videoInProcessing();
    expect((await event('mediaconvert-error.json', ids)).status).toBe(200);
    expect(await row(ids.id)).toMatchObject({
      status: 'failed',
      errorMessage: 'MEDIACONVERT_1030: Video codec [indeo4] is not a supported input video codec',
    });
  });
});
