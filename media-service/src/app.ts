import { Hono } from 'hono';
import type { MediaServiceConfig } from './config.ts';
import { ffmpegVersion } from './tools.ts';

export function createApp(config: MediaServiceConfig) {
  const app = new Hono();
  app.get('/health', async (c) => {
    const ffmpeg = await ffmpegVersion(config.FFMPEG_PATH);
    const healthy = ffmpeg !== null;
    return c.json({ status: healthy ? 'ok' : 'degraded', ffmpeg: { available: healthy, version: ffmpeg } }, healthy ? 200 : 503);
  });
  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: `no route for ${c.req.method} ${c.req.path}` } }, 404));
  return app;
}
