// media-service on its own: signed jobs only, the image variants, type sniffing, and storage retries.
import { createServer, request as httpRequest } from 'node:http';
import sharp from 'sharp';
import { AwsClient } from 'aws4fetch';
import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { imageVariants } from '../src/images.ts';
import { JobRunner } from '../src/jobs.ts';
import { signedHeaders } from '../src/signing.ts';
import { ContentMismatch, assertContentMatches } from '../src/sniff.ts';
import { Storage } from '../src/storage.ts';
import { SECRET, baseEnv, stackInfo } from './helpers.ts';

const job = {
  jobId: 'j-1',
  mediaId: '01930000-0000-7000-8000-0000000000aa',
  ownerId: 'owner',
  type: 'image',
  mimeType: 'image/jpeg',
  sourceKey: 'uploads/owner/x.jpg',
  outputPrefix: 'processed/owner/01930000-0000-7000-8000-0000000000aa/',
  callbackUrl: 'http://127.0.0.1:9/media/processing-webhook',
};

describe('POST /jobs', () => {
  class Recorder extends JobRunner {
    submitted: unknown[] = [];
    override submit(j: Parameters<JobRunner['submit']>[0]): boolean {
      this.submitted.push(j);
      return true;
    }
  }

  it('accepts only jobs signed by the Worker within five minutes', async () => {
    const config = loadConfig(baseEnv());
    const runner = new Recorder(config);
    const app = createApp(config, runner);
    const body = JSON.stringify(job);
    const post = (headers: Record<string, string>, b = body) =>
      app.request('/jobs', { method: 'POST', body: b, headers });
    expect((await post({ 'content-type': 'application/json' })).status).toBe(401);
    expect((await post(signedHeaders('another-secret-value', 'job', body))).status).toBe(401);
    expect((await post(signedHeaders(SECRET, 'callback', body))).status).toBe(401); // a callback signature is not a job signature
    expect((await post(signedHeaders(SECRET, 'job', body, Date.now() - 6 * 60_000))).status).toBe(
      401,
    );
    expect(
      (await post(signedHeaders(SECRET, 'job', body), body.replace('j-1', 'j-2'))).status,
    ).toBe(401);
    const bad = JSON.stringify({ ...job, outputPrefix: '../../etc/' });
    expect((await post(signedHeaders(SECRET, 'job', bad), bad)).status).toBe(400);
    const ok = await post(signedHeaders(SECRET, 'job', body));
    expect(ok.status).toBe(202);
    // A job from a Worker that does not send a purpose yet is posting media.
    expect(runner.submitted).toEqual([{ ...job, purpose: 'post' }]);
  });
});

describe('images', () => {
  it('makes the variant set with the right sizes, no upscaling, no metadata; the preview is small and blurred', async () => {
    const input = await sharp({
      create: { width: 3000, height: 2000, channels: 3, background: '#204060' },
    })
      .jpeg()
      .withExif({ IFD0: { Copyright: 'exif-marker' } })
      .toBuffer();
    const { width, height, outputs } = await imageVariants(input);
    expect([width, height]).toEqual([3000, 2000]);
    const sizes = Object.fromEntries(outputs.map((o) => [o.name, [o.width, o.height]]));
    expect(sizes).toEqual({
      thumbnail: [150, 150],
      w480: [480, 320],
      w1080: [1080, 720],
      w1920: [1920, 1280],
      preview: [480, 320],
    });
    for (const o of outputs) {
      const meta = await sharp(o.data).metadata();
      expect(meta.format).toBe('webp');
      expect(meta.exif).toBeUndefined();
    }
    const small = await imageVariants(
      await sharp({ create: { width: 200, height: 100, channels: 3, background: '#000' } })
        .png()
        .toBuffer(),
    );
    expect(small.outputs.find((o) => o.name === 'w1920')?.width).toBe(200);
  });

  it('profile pictures get squares, cover images 3:1 banners (cropped, even from small or odd-shaped images), no metadata', async () => {
    const input = await sharp({
      create: { width: 900, height: 1600, channels: 3, background: '#406020' },
    })
      .jpeg()
      .withExif({ IFD0: { Copyright: 'exif-marker' } })
      .toBuffer();
    const sizes = async (purpose: 'avatar' | 'cover', img = input) => {
      const { outputs } = await imageVariants(img, { purpose });
      for (const o of outputs)
        expect([
          (await sharp(o.data).metadata()).format,
          (await sharp(o.data).metadata()).exif,
        ]).toEqual(['webp', undefined]);
      return Object.fromEntries(outputs.map((o) => [o.name, [o.width, o.height]]));
    };
    expect(await sizes('avatar')).toEqual({
      thumbnail: [150, 150],
      avatar_400: [400, 400],
      avatar_160: [160, 160],
    });
    expect(await sizes('cover')).toEqual({
      thumbnail: [150, 150],
      cover_1500: [1500, 500],
      cover_750: [750, 250],
    });
    const tiny = await sharp({
      create: { width: 100, height: 40, channels: 3, background: '#000' },
    })
      .png()
      .toBuffer();
    expect((await sizes('cover', tiny)).cover_1500).toEqual([1500, 500]);
  });

  it('applies the EXIF orientation before dropping the metadata', async () => {
    const rotated = await sharp({
      create: { width: 600, height: 300, channels: 3, background: '#fff' },
    })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const { width, height } = await imageVariants(rotated);
    expect([width, height]).toEqual([300, 600]);
  });

  it('a watermark changes the pixels of the large renditions only', async () => {
    const input = await sharp({
      create: { width: 1200, height: 800, channels: 3, background: '#808080' },
    })
      .png()
      .toBuffer();
    const plain = await imageVariants(input);
    const marked = await imageVariants(input, { watermark: '@creator' });
    const bytes = (set: typeof plain, name: string) =>
      set.outputs.find((o) => o.name === name)!.data;
    expect(bytes(marked, 'w1080').equals(bytes(plain, 'w1080'))).toBe(false);
    expect(bytes(marked, 'thumbnail').equals(bytes(plain, 'thumbnail'))).toBe(true);
  });
});

describe('type sniffing', () => {
  it('rejects an executable declared as a JPEG, and a PDF declared as a video', async () => {
    const exe = Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(1000, 0)]);
    await expect(assertContentMatches('image', 'image/jpeg', exe)).rejects.toBeInstanceOf(
      ContentMismatch,
    );
    await expect(
      assertContentMatches('video', 'video/mp4', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n')),
    ).rejects.toBeInstanceOf(ContentMismatch);
    const jpeg = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } })
      .jpeg()
      .toBuffer();
    expect(await assertContentMatches('image', 'image/jpeg', jpeg)).toBe('image/jpeg');
  });
});

describe('storage', () => {
  const stack = stackInfo();
  // Needs the running test stack's store (npm test starts it before this suite).
  it('a store answering 503 twice is retried and the read succeeds', async () => {
    expect(stack, 'the test stack (stack.json) is required').not.toBeNull();
    const s3 = stack!.s3;
    const key = `media-service-test/${Date.now()}.txt`;
    const client = new AwsClient({
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      region: s3.region,
      service: 's3',
    });
    expect(
      (await client.fetch(`${s3.endpoint}/${s3.bucket}/${key}`, { method: 'PUT', body: 'payload' }))
        .status,
    ).toBe(200);
    const target = new URL(s3.endpoint);
    let seen = 0;
    const flaky = createServer((req, res) => {
      seen++;
      if (seen <= 2) {
        res.writeHead(503);
        res.end();
        req.resume();
        return;
      }
      const up = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: req.headers,
        },
        (r) => {
          res.writeHead(r.statusCode ?? 502, r.headers);
          r.pipe(res);
        },
      );
      req.pipe(up);
    });
    await new Promise<void>((r) => flaky.listen(0, '127.0.0.1', () => r()));
    const addr = flaky.address();
    const port = typeof addr === 'object' && addr ? addr.port : 0;
    try {
      const storage = new Storage(
        loadConfig({ ...baseEnv(), S3_ENDPOINT: `http://127.0.0.1:${port}` }),
      );
      expect((await storage.get(key)).toString()).toBe('payload');
      expect(seen).toBe(3);
    } finally {
      flaky.close();
    }
  });
});
