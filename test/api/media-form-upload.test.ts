// The older form upload (POST /media/upload, multipart/form-data with the file in `file`, as the creator-centre
// page sends it) inside workerd: the client's request shape and the `data.id` it reads; what is refused (not a
// form, no file, a bad type or purpose, too large, no session) with nothing half-written; body-less POSTs on the
// JSON routes of /media are 400, not skipped. (A real JPEG to COMPLETED: test/stack/media-e2e.)
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { medias } from '../../src/db/schema/index.ts';
import { headObject, listKeys } from '../../src/lib/storage.ts';
import { api, tokenFor } from './auth-helpers.ts';
import { db, makeCreator } from './economy-helpers.ts';
import { expectError, readJson } from './helpers.ts';

const storageEnv = {
  S3_ENDPOINT: env.S3_ENDPOINT,
  S3_BUCKET: env.S3_BUCKET,
  S3_REGION: env.S3_REGION,
  S3_ACCESS_KEY_ID: env.S3_ACCESS_KEY_ID,
  S3_SECRET_ACCESS_KEY: env.S3_SECRET_ACCESS_KEY,
};
const CAP = Number(env.MEDIA_FORM_UPLOAD_MAX_BYTES);
// A 1×1 PNG.
const PNG = Uint8Array.from(
  atob(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  ),
  (ch) => ch.charCodeAt(0),
);

/** The browser's `fetch(…, { body: formData })`: the form encoded with its own boundary in the Content-Type. */
async function upload(
  userId: string | null,
  form: FormData | BodyInit,
  init: RequestInit = {},
  path = '/media/upload',
): Promise<Response> {
  const cookies = userId ? { cookies: { access_token: await tokenFor(userId) } } : {};
  if (!(form instanceof FormData))
    return api(path, { method: 'POST', body: form, ...init, ...cookies });
  const encoded = new Response(form);
  const headers = { 'content-type': encoded.headers.get('content-type')! };
  return api(path, { method: 'POST', body: await encoded.arrayBuffer(), headers, ...cookies });
}

function fileForm(
  bytes: Uint8Array,
  name: string,
  type: string,
  fields: Record<string, string> = {},
): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new File([bytes], name, { type }));
  return form;
}

const mediaOf = (owner: string) => db.select().from(medias).where(eq(medias.ownerId, owner));

describe('POST /media/upload', () => {
  it("takes the client's form, stores the bytes under a server key and queues the same pipeline", async () => {
    const user = await makeCreator();
    const { status, body, text } = await readJson<{
      success: boolean;
      data: Record<string, unknown>;
    }>(await upload(user, fileForm(PNG, 'dot.png', 'image/png')));
    expect(status, text).toBe(201);
    expect(body.success).toBe(true);
    const id = body.data.id as string;
    expect(body.data).toMatchObject({
      mediaId: id,
      type: 'IMAGE',
      fileName: 'dot.png',
      fileSize: PNG.length,
      s3Key: `uploads/${user}/${id}.png`,
      status: 'PROCESSING',
      purpose: 'POST',
    });
    expect((await headObject(storageEnv, `uploads/${user}/${id}.png`))?.size).toBe(PNG.length);
    const [row] = await mediaOf(user);
    expect(row).toMatchObject({
      id,
      status: expect.stringMatching(/^(uploaded|processing|ready)$/),
      fileSize: PNG.length,
      mimeType: 'image/png',
    });
  });

  it('takes a purpose field before the file (or in the query); only images may be profile images', async () => {
    const user = await makeCreator();
    const a = await readJson<{ data: { purpose: string } }>(
      await upload(user, fileForm(PNG, 'me.png', 'image/png', { purpose: 'avatar' })),
    );
    expect([a.status, a.body.data.purpose]).toEqual([201, 'AVATAR']);
    const b = await readJson<{ data: { purpose: string } }>(
      await upload(user, fileForm(PNG, 'c.png', 'image/png'), {}, '/media/upload?purpose=cover'),
    );
    expect([b.status, b.body.data.purpose]).toEqual([201, 'COVER']);
    await expectError(
      await upload(user, fileForm(PNG, 'me.png', 'image/png', { purpose: 'wallpaper' })),
      400,
      'VALIDATION_FAILED',
    );
    await expectError(
      await upload(user, fileForm(PNG, 'clip.mp4', 'video/mp4', { purpose: 'avatar' })),
      415,
      'UNSUPPORTED_FILE_TYPE',
    );
    expect(await mediaOf(user)).toHaveLength(2);
  });

  it('refuses what is not an accepted file, with nothing kept', async () => {
    const user = await makeCreator();
    await expectError(
      await upload(null, fileForm(PNG, 'dot.png', 'image/png')),
      401,
      'UNAUTHENTICATED',
    );
    await expectError(
      await upload(user, JSON.stringify({ file: 'x' }), {
        headers: { 'content-type': 'application/json' },
      }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    await expectError(
      await upload(user, 'file=x', {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    const noFile = new FormData();
    noFile.append('title', 'hello');
    await expectError(await upload(user, noFile), 400, 'VALIDATION_FAILED');
    await expectError(
      await upload(user, fileForm(PNG, 'setup.exe', 'application/x-msdownload')),
      415,
      'UNSUPPORTED_FILE_TYPE',
    );
    await expectError(
      await upload(user, fileForm(PNG, 'photo.png', 'image/jpeg')),
      415,
      'UNSUPPORTED_FILE_TYPE',
    );
    await expectError(
      await upload(user, fileForm(new Uint8Array(0), 'empty.png', 'image/png')),
      400,
      'VALIDATION_FAILED',
    );
    const cut =
      '--xyz\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\nabc';
    await expectError(
      await upload(user, cut, { headers: { 'content-type': 'multipart/form-data; boundary=xyz' } }),
      400,
      'VALIDATION_FAILED',
    );
    expect(await mediaOf(user)).toEqual([]);
    expect(await listKeys(storageEnv, `uploads/${user}/`)).toEqual([]);
  });

  it(`refuses a file past the cap (${CAP} bytes here) while it streams, and keeps nothing`, async () => {
    const user = await makeCreator();
    const big = new Uint8Array(CAP + 1);
    big.set(PNG);
    await expectError(
      await upload(user, fileForm(big, 'big.png', 'image/png')),
      413,
      'FILE_TOO_LARGE',
    );
    expect(await mediaOf(user)).toEqual([]);
    expect(await listKeys(storageEnv, `uploads/${user}/`)).toEqual([]);
  });
});

describe('body-less POSTs under /media', () => {
  it('are 400, never handled as an empty body', async () => {
    const user = await makeCreator();
    const cookies = { access_token: await tokenFor(user) };
    for (const path of ['/media/prepare-upload', '/media/complete-upload']) {
      for (const headers of [{}, { 'content-type': 'application/json' }] as Array<
        Record<string, string>
      >) {
        const res = await readJson<{ success: boolean }>(
          await api(path, { method: 'POST', cookies, headers }),
        );
        expect([path, res.status, res.body.success]).toEqual([path, 400, false]);
      }
    }
    expect(await mediaOf(user)).toEqual([]);
  });
});
