import { describe, expect, it } from 'vitest';
import { createApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { baseEnv } from './helpers.ts';

describe('media-service health', () => {
  it('reports ffmpeg (the Debian package) as available with its version', async () => {
    const res = await createApp(loadConfig(baseEnv())).request('/health');
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      status: string;
      ffmpeg: { available: boolean; version: string };
    };
    expect(body.status).toBe('ok');
    expect(body.ffmpeg.version).toMatch(/^\d|^n?\d/);
  });

  it('is degraded (503) when ffmpeg is missing', async () => {
    const res = await createApp(
      loadConfig({ ...baseEnv(), FFMPEG_PATH: '/nonexistent/ffmpeg' }),
    ).request('/health');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'degraded', ffmpeg: { available: false } });
  });

  it('rejects invalid configuration by name', () => {
    expect(() => loadConfig({ ...baseEnv(), PORT: 'not-a-port' })).toThrow(/PORT/);
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await createApp(loadConfig(baseEnv())).request('/nope');
    expect(res.status).toBe(404);
  });
});
