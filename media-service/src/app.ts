import { Hono } from 'hono';
import type { MediaServiceConfig } from './config.ts';
import { timingSafeEqual } from 'node:crypto';
import { JobRunner, jobSchema, sendCallback } from './jobs.ts';
import { callbackForEvent, mediaConvertEventSchema } from './video-mediaconvert.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verify } from './signing.ts';
import { ffmpegVersion } from './tools.ts';

export function createApp(config: MediaServiceConfig, runner = new JobRunner(config)) {
  const app = new Hono();
  app.get('/health', async (c) => {
    const ffmpeg = await ffmpegVersion(config.FFMPEG_PATH);
    const healthy = ffmpeg !== null;
    return c.json(
      {
        status: healthy ? 'ok' : 'degraded',
        ffmpeg: { available: healthy, version: ffmpeg },
        jobs: { active: runner.active.size },
      },
      healthy ? 200 : 503,
    );
  });
  // A job from the Worker: signed (HMAC over timestamp and body, 5 minutes), accepted at once, run in the background.
  app.post('/jobs', async (c) => {
    const raw = await c.req.text();
    const verdict = verify(
      config.MEDIA_SERVICE_SECRET,
      'job',
      c.req.header(TIMESTAMP_HEADER),
      c.req.header(SIGNATURE_HEADER),
      raw,
    );
    if (verdict !== 'ok')
      return c.json(
        { error: { code: 'INVALID_SIGNATURE', message: `job signature ${verdict}` } },
        401,
      );
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return c.json({ error: { code: 'INVALID_JSON', message: 'body is not JSON' } }, 400);
    }
    const job = jobSchema.safeParse(body);
    if (!job.success)
      return c.json(
        {
          error: {
            code: 'VALIDATION_FAILED',
            message: job.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
          },
        },
        400,
      );
    const accepted = runner.submit(job.data);
    return c.json({ jobId: job.data.jobId, accepted }, 202);
  });
  // MediaConvert job state events (EventBridge rule → API destination with the events token header).
  app.post('/events/mediaconvert', async (c) => {
    const expected = config.MEDIACONVERT_EVENTS_TOKEN;
    const given = c.req.header('x-crefans-events-token') ?? '';
    if (
      !expected ||
      given.length !== expected.length ||
      !timingSafeEqual(Buffer.from(given), Buffer.from(expected))
    ) {
      return c.json(
        { error: { code: 'UNAUTHENTICATED', message: 'events token missing or wrong' } },
        401,
      );
    }
    const event = mediaConvertEventSchema.safeParse(await c.req.json().catch(() => null));
    if (!event.success)
      return c.json(
        {
          error: {
            code: 'VALIDATION_FAILED',
            message: 'not a MediaConvert Job State Change event with our user metadata',
          },
        },
        400,
      );
    const mapped = callbackForEvent(event.data);
    if (!mapped) return c.json({ ignored: event.data.detail.status }, 200);
    const outcome = await sendCallback(config, mapped.url, mapped.callback);
    // Not delivered: 502, so EventBridge retries the event later.
    return c.json({ callback: outcome }, outcome === 'failed' ? 502 : 200);
  });
  app.notFound((c) =>
    c.json(
      { error: { code: 'NOT_FOUND', message: `no route for ${c.req.method} ${c.req.path}` } },
      404,
    ),
  );
  return app;
}
