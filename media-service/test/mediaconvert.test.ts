// The MediaConvert back-end: the CreateJob request the real SDK sends (snapshot, as received by the fake
// MediaConvert endpoint) and the EventBridge state events mapped to processing callbacks.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeMediaConvert } from '../../dev/fake-mediaconvert/src/server.ts';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import type { Callback, Job } from '../src/jobs.ts';
import { verify } from '../src/signing.ts';
import {
  callbackForEvent,
  createJobRequest,
  mediaConvertClient,
  mediaConvertEventSchema,
  submitMediaConvertJob,
} from '../src/video-mediaconvert.ts';
import { SECRET, baseEnv } from './helpers.ts';

const EVENTS_TOKEN = 'events-token-0123456789';
const job: Job = {
  jobId: '01930000-0000-7000-8000-000000000001-1',
  mediaId: '01930000-0000-7000-8000-000000000001',
  ownerId: '11111111-2222-4333-8444-555555555555',
  type: 'video',
  mimeType: 'video/mp4',
  sourceKey:
    'uploads/11111111-2222-4333-8444-555555555555/01930000-0000-7000-8000-000000000001.mp4',
  outputPrefix:
    'processed/11111111-2222-4333-8444-555555555555/01930000-0000-7000-8000-000000000001/',
  callbackUrl: 'http://127.0.0.1:8797/media/processing-webhook',
  purpose: 'post',
};

function fixture(name: string, callbackUrl: string): unknown {
  const text = readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8')
    .replaceAll('__JOB__', job.jobId)
    .replaceAll('__MEDIA__', job.mediaId)
    .replaceAll('__OWNER__', job.ownerId)
    .replaceAll('__CALLBACK__', callbackUrl);
  return JSON.parse(text);
}

let fake: Awaited<ReturnType<typeof startFakeMediaConvert>>;
let capture: Server;
let captureUrl: string;
const received: Array<{ body: Callback; verdict: string }> = [];

beforeAll(async () => {
  fake = await startFakeMediaConvert();
  capture = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const verdict = verify(
        SECRET,
        'callback',
        req.headers['x-crefans-timestamp'] as string,
        req.headers['x-crefans-signature'] as string,
        raw,
      );
      received.push({ body: JSON.parse(raw) as Callback, verdict });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"success":true}');
    });
  });
  await new Promise<void>((r) => capture.listen(0, '127.0.0.1', () => r()));
  const addr = capture.address();
  captureUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/media/processing-webhook`;
  process.env.AWS_ACCESS_KEY_ID ??= 'AKIALOCALTEST';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'local-test-secret';
});

afterAll(() => {
  fake.server.close();
  capture.close();
});

const config = () =>
  loadConfig({
    ...baseEnv(),
    TRANSCODER: 'mediaconvert',
    MEDIACONVERT_ENDPOINT: fake.url,
    MEDIACONVERT_ROLE_ARN: 'arn:aws:iam::111122223333:role/crefans-mediaconvert',
    MEDIACONVERT_QUEUE_ARN: 'arn:aws:mediaconvert:ap-northeast-2:111122223333:queues/Default',
    MEDIACONVERT_BUCKET: 'crefans-media',
    MEDIACONVERT_EVENTS_TOKEN: EVENTS_TOKEN,
  });

describe('CreateJob', () => {
  it('the real SDK sends the HLS ladder, MP4 fallbacks and 5 frame captures (snapshot of the wire request)', async () => {
    const id = await submitMediaConvertJob(mediaConvertClient(config()), config(), job, {
      height: 1080,
      durationMs: 12_345,
    });
    const created = fake.jobs.find((j) => j.id === id);
    expect(created?.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIA/);
    await expect(JSON.stringify(created?.request, null, 2)).toMatchFileSnapshot(
      '__snapshots__/create-job.request.json',
    );
  });

  it('never asks for a rendition above the source, and spreads the captures over the duration', () => {
    const req = createJobRequest(config(), job, { height: 720, durationMs: 95_000 });
    const groups = req.Settings!.OutputGroups!;
    expect(groups[0].Outputs!.map((o) => o.NameModifier)).toEqual(['_720p', '_480p']);
    expect(groups[1].Outputs!.map((o) => o.NameModifier)).toEqual(['_720p', '_480p']);
    expect(
      groups[2].Outputs![0].VideoDescription!.CodecSettings!.FrameCaptureSettings,
    ).toMatchObject({ FramerateNumerator: 5, FramerateDenominator: 95, MaxCaptures: 5 });
    expect(
      createJobRequest(config(), job, {
        height: 360,
        durationMs: 1000,
      }).Settings!.OutputGroups![0].Outputs!.map((o) => o.NameModifier),
    ).toEqual(['_480p']);
  });
});

describe('EventBridge state events', () => {
  it('COMPLETE → a complete callback with the HLS master, one MP4 per rung, 5 frames (7-digit names), size and duration', () => {
    const mapped = callbackForEvent(
      mediaConvertEventSchema.parse(fixture('mediaconvert-complete.json', captureUrl)),
    );
    const p = job.outputPrefix;
    expect(mapped?.callback).toEqual({
      jobId: job.jobId,
      mediaId: job.mediaId,
      state: 'complete',
      result: {
        variants: {
          hls: `${p}hls/master.m3u8`,
          mp4_1080p: `${p}mp4/video_1080p.mp4`,
          mp4_720p: `${p}mp4/video_720p.mp4`,
          mp4_480p: `${p}mp4/video_480p.mp4`,
        },
        thumbnails: [0, 1, 2, 3, 4].map((i) => `${p}thumbnails/frame.000000${i}.jpg`),
        width: 1920,
        height: 1080,
        durationMs: 12_345,
      },
    });
  });

  it('ERROR → an error callback with MediaConvert’s code and message; STATUS_UPDATE → progress', () => {
    expect(
      callbackForEvent(
        mediaConvertEventSchema.parse(fixture('mediaconvert-error.json', captureUrl)),
      )?.callback,
    ).toMatchObject({
      state: 'error',
      errorCode: 'MEDIACONVERT_1030',
      errorMessage: 'Video codec [indeo4] is not a supported input video codec',
    });
    expect(
      callbackForEvent(
        mediaConvertEventSchema.parse(fixture('mediaconvert-status-update.json', captureUrl)),
      )?.callback,
    ).toMatchObject({ state: 'progressing', progress: 42 });
  });

  it('the events endpoint needs its token and forwards a signed callback', async () => {
    const app = createApp(config());
    const event = JSON.stringify(fixture('mediaconvert-status-update.json', captureUrl));
    expect(
      (
        await app.request('/events/mediaconvert', {
          method: 'POST',
          body: event,
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await app.request('/events/mediaconvert', {
          method: 'POST',
          body: event,
          headers: { 'x-crefans-events-token': 'wrong-token-0123456789' },
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await app.request('/events/mediaconvert', {
          method: 'POST',
          body: '{"detail-type":"other"}',
          headers: { 'x-crefans-events-token': EVENTS_TOKEN },
        })
      ).status,
    ).toBe(400);
    const before = received.length;
    const res = await app.request('/events/mediaconvert', {
      method: 'POST',
      body: event,
      headers: { 'x-crefans-events-token': EVENTS_TOKEN },
    });
    expect(res.status).toBe(200);
    expect(received.slice(before)).toEqual([
      {
        verdict: 'ok',
        body: { jobId: job.jobId, mediaId: job.mediaId, state: 'progressing', progress: 42 },
      },
    ]);
  });
});
