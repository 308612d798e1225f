// Every error mapping of the skeleton, proven with the real envelope. Probe routes are added to an app
// built by the same factory as production, and run inside workerd with the test stack's bindings.
import { createRoute, z } from '@hono/zod-openapi';
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../src/app.ts';
import { EnvError, parseEnv } from '../../src/env.ts';
import { ok } from '../../src/lib/envelope.ts';
import { ApiError } from '../../src/lib/errors.ts';
import { redact } from '../../src/lib/logger.ts';
import { expectError, readJson, type Envelope } from './helpers.ts';

function probeApp() {
  const app = createApp();
  app.openapi(
    createRoute({
      method: 'post',
      path: '/__probe/echo',
      request: {
        body: {
          content: {
            'application/json': {
              schema: z.object({
                name: z.string().min(1),
                count: z.number().int().min(0).optional(),
              }),
            },
          },
          required: true,
        },
      },
      responses: { 201: { description: 'echo' } },
    }),
    (c) => ok(c, c.req.valid('json'), { status: 201 }),
  );
  app.get('/__probe/boom', () => {
    throw new Error('db host 10.1.2.3 refused: password=hunter2');
  });
  app.get('/__probe/limited', () => {
    throw new ApiError('RATE_LIMITED', '요청이 너무 많습니다.', {
      headers: { 'Retry-After': '7' },
    });
  });
  return app;
}

const post = (
  body: BodyInit | null,
  headers: Record<string, string> = { 'Content-Type': 'application/json' },
) => ({ method: 'POST', headers, body }) satisfies RequestInit;

afterEach(() => {
  vi.restoreAllMocks();
});

describe('bodies', () => {
  const app = probeApp();

  it('a valid JSON body reaches the handler', async () => {
    const res = await app.request(
      '/__probe/echo',
      post(JSON.stringify({ name: 'kong', count: 2 })),
      env,
    );
    const { status, body } = await readJson<Envelope<unknown>>(res);
    expect(status).toBe(201);
    expect(body).toEqual({ success: true, data: { name: 'kong', count: 2 } });
  });

  it('invalid JSON → 400 INVALID_JSON', async () => {
    await expectError(
      await app.request('/__probe/echo', post('{"name": '), env),
      400,
      'INVALID_JSON',
    );
  });

  it('wrong content type → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    await expectError(
      await app.request(
        '/__probe/echo',
        post('name=kong', { 'Content-Type': 'application/x-www-form-urlencoded' }),
        env,
      ),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    await expectError(
      await app.request(
        '/__probe/echo',
        post('{"name":"kong"}', { 'Content-Type': 'text/plain' }),
        env,
      ),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });

  it.each([
    ['a missing field', {}, 'name'],
    ['a wrong type', { name: 5 }, 'name'],
    ['an out-of-range number', { name: 'a', count: -1 }, 'count'],
  ])(
    'a schema violation (%s) → 400 VALIDATION_FAILED naming the field',
    async (_case, payload, field) => {
      const body = await expectError(
        await app.request('/__probe/echo', post(JSON.stringify(payload)), env),
        400,
        'VALIDATION_FAILED',
      );
      expect(body.data.details?.map((d) => d.path)).toContain(field);
    },
  );

  it('an oversized body → 413 PAYLOAD_TOO_LARGE, with or without Content-Length', async () => {
    const small = { ...env, MAX_BODY_BYTES: '64' };
    const big = JSON.stringify({ name: 'x'.repeat(200) });
    await expectError(
      await app.request('/__probe/echo', post(big), small),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const chunked = new Request('http://api.test/__probe/echo', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: stream,
    });
    expect(chunked.headers.get('content-length')).toBeNull();
    await expectError(await app.request(chunked, undefined, small), 413, 'PAYLOAD_TOO_LARGE');
  });
});

describe('errors', () => {
  const app = probeApp();

  it('an unknown error → generic 500 with the request id; details only in the log', async () => {
    const logged: string[] = [];
    vi.spyOn(console, 'error').mockImplementation(
      (line: unknown) => void logged.push(String(line)),
    );
    const res = await app.request(
      '/__probe/boom',
      { headers: { 'X-Request-Id': 'req-boom-1' } },
      env,
    );
    const text = await res.clone().text();
    const body = await expectError(res, 500, 'INTERNAL_ERROR');
    expect(body.data.requestId).toBe('req-boom-1');
    expect(body.message).toBe('서버 내부 오류가 발생했습니다.');
    expect(text).not.toContain('10.1.2.3');
    expect(text).not.toContain('hunter2');
    const line = logged.find((l) => l.includes('unhandled error'));
    expect(line, logged.join('\n')).toBeDefined();
    expect(JSON.parse(line as string)).toMatchObject({
      level: 'error',
      requestId: 'req-boom-1',
      error: { message: expect.stringContaining('10.1.2.3') },
    });
  });

  it('an ApiError carries its status, code and headers', async () => {
    const res = await app.request('/__probe/limited', {}, env);
    await expectError(res, 429, 'RATE_LIMITED');
    expect(res.headers.get('retry-after')).toBe('7');
  });
});

describe('configuration', () => {
  it('parseEnv names a missing variable', () => {
    const { DATABASE_URL: _omit, ...rest } = env as unknown as Record<string, unknown>;
    let caught: unknown;
    try {
      parseEnv({ ...rest });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(EnvError);
    expect((caught as EnvError).variables).toEqual(['DATABASE_URL']);
    expect((caught as EnvError).message).toContain('DATABASE_URL');
  });

  it('parseEnv names a malformed variable', () => {
    expect(() =>
      parseEnv({ ...(env as unknown as Record<string, unknown>), CORS_ORIGINS: 'not a url' }),
    ).toThrow(/CORS_ORIGINS/);
  });

  it('a request with broken configuration gets a generic 500, and the log names the variable', async () => {
    const logged: string[] = [];
    vi.spyOn(console, 'error').mockImplementation(
      (line: unknown) => void logged.push(String(line)),
    );
    const { DATABASE_URL: _omit, ...rest } = env as unknown as Record<string, unknown>;
    const res = await createApp().request('/health', {}, { ...rest });
    const body = await expectError(res, 500, 'INTERNAL_ERROR');
    expect(JSON.stringify(body)).not.toContain('DATABASE_URL');
    expect(logged.join('\n')).toContain('DATABASE_URL');
  });
});

describe('logs', () => {
  it('write one JSON line per request with no secrets, bodies, cookies or tokens', async () => {
    const lines: string[] = [];
    const capture = (line: unknown) => void lines.push(String(line));
    vi.spyOn(console, 'log').mockImplementation(capture);
    vi.spyOn(console, 'warn').mockImplementation(capture);
    vi.spyOn(console, 'error').mockImplementation(capture);
    const app = probeApp();
    await app.request(
      '/__probe/echo?token=querysecret',
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: 'Bearer eyJsecret',
          Cookie: 'access_token=cookiesecret',
        },
        body: JSON.stringify({ name: 'body-secret-password' }),
      },
      { ...env, LOG_LEVEL: 'debug' },
    );
    const all = lines.join('\n');
    for (const secret of ['querysecret', 'eyJsecret', 'cookiesecret', 'body-secret-password'])
      expect(all).not.toContain(secret);
    const request = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.msg === 'request');
    expect(request).toMatchObject({
      method: 'POST',
      path: '/__probe/echo',
      status: 201,
      requestId: expect.any(String),
    });
  });

  it('redact replaces secret-looking fields at any depth', () => {
    expect(
      redact({ user: { password: 'p', name: 'n' }, accessToken: 't', list: [{ secret: 's' }] }),
    ).toEqual({
      user: { password: '[redacted]', name: 'n' },
      accessToken: '[redacted]',
      list: [{ secret: '[redacted]' }],
    });
  });
});
