// The Worker skeleton through the real entry (exports.default), inside workerd, against the test stack.
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { readJson, expectError, type Envelope } from './helpers.ts';

const api = (path: string, init?: RequestInit) =>
  exports.default.fetch(new Request(`http://api.test${path}`, init));

describe('GET /health', () => {
  it('answers with success, the build version and a reachable database (through the real driver)', async () => {
    const { status, body, text } = await readJson<
      Envelope<{
        status: string;
        version: string;
        database: { reachable: boolean; latencyMs: number };
      }>
    >(await api('/health'));
    expect(status, text).toBe(200);
    expect(body, text).toMatchObject({
      success: true,
      data: { status: 'ok', version: 'local', database: { reachable: true } },
    });
    expect(body.data.database.latencyMs).toBeGreaterThan(0);
  });
});

describe('request id', () => {
  it('is generated (UUIDv7) when absent and echoed in the header', async () => {
    const res = await api('/');
    expect(res.headers.get('x-request-id')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it('is taken from the request when well-formed, and replaced when not', async () => {
    const kept = await api('/', { headers: { 'X-Request-Id': 'trace-abc-123' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-abc-123');
    const replaced = await api('/', { headers: { 'X-Request-Id': 'bad id with spaces' } });
    expect(replaced.headers.get('x-request-id')).not.toBe('bad id with spaces');
  });
});

describe('envelope and error mapping on real routes', () => {
  it('GET / uses the success envelope', async () => {
    const { body } = await readJson<Envelope<{ message: string }>>(await api('/'));
    expect(body).toEqual({ success: true, data: { message: 'Hello World.' } });
  });

  it('an unknown route is 404 NOT_FOUND in the envelope', async () => {
    const body = await expectError(await api('/no/such/route'), 404, 'NOT_FOUND');
    expect(body.message).toContain('/no/such/route');
  });

  it('a known path with another method is 404 too', async () => {
    await expectError(await api('/health', { method: 'DELETE' }), 404, 'NOT_FOUND');
  });
});

describe('CORS', () => {
  it('answers a preflight from an allowed origin with 204 and credentials', async () => {
    const res = await api('/health', {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://127.0.0.1:3000',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(res.headers.get('access-control-allow-methods')).toContain('PATCH');
  });

  it('does not allow an origin outside the list', async () => {
    const res = await api('/health', { headers: { Origin: 'https://evil.example' } });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('adds the CORS headers to error responses as well', async () => {
    const res = await api('/nope', { headers: { Origin: 'http://127.0.0.1:3000' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000');
  });
});

describe('OpenAPI and docs', () => {
  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const { status, body } = await readJson<{
      openapi: string;
      paths: Record<string, unknown>;
      info: { title: string };
    }>(await api('/openapi.json'));
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    expect(body.info.title).toBe('crefans API');
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/', '/health']));
  });

  it('serves a readable docs page that loads the document', async () => {
    const res = await api('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain('/openapi.json');
    expect(html).toContain('crefans API');
  });
});
