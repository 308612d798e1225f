// Response headers: personal answers are never cacheable (`private, no-store` unless a route opts
// in to public caching), public cached pages keep their public header, and every answer carries the
// security headers; the /docs page still loads its script (no CSP there).
import { describe, expect, it } from 'vitest';
import { api, tokenFor } from './auth-helpers.ts';
import { makeCreator } from './economy-helpers.ts';

const PERSONAL = [
  '/auth/me',
  '/wallet',
  '/wallet/transfers',
  '/payment/history',
  '/subscription/my/list',
  '/subscription/billing/my',
  '/media/my-media',
  '/postings/my/list',
  '/user/creator-status',
  '/membership',
  '/feed',
];

describe('Cache-Control', () => {
  it('every personal endpoint answers private, no-store', async () => {
    const cookies = { access_token: await tokenFor(await makeCreator()) };
    const seen = await Promise.all(
      PERSONAL.map(async (path) => {
        const res = await api(path, { cookies });
        await res.arrayBuffer();
        return `${path} ${res.status} ${res.headers.get('cache-control')}`;
      }),
    );
    expect(seen).toEqual(
      PERSONAL.map((path) => expect.stringMatching(new RegExp(`^${path} 200 private, no-store$`))),
    );
  });

  it('errors and answers without a token are not cacheable either', async () => {
    for (const path of ['/wallet', '/auth/me', '/nope']) {
      const res = await api(path);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.headers.get('cache-control'), path).toBe('private, no-store');
    }
    expect((await api('/openapi.json')).headers.get('cache-control')).toBe('private, no-store');
  });

  it('anonymous public feed and explore pages keep their public header', async () => {
    for (const path of ['/feed/public', '/explore/creators/new']) {
      const res = await api(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('cache-control'), path).toMatch(/^public, max-age=\d+$/);
    }
  });
});

describe('security headers', () => {
  it('API answers: nosniff, no referrer, no framing, a CSP that loads nothing', async () => {
    for (const res of [await api('/health'), await api('/wallet'), await api('/feed/public')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toBe(
        "default-src 'none'; frame-ancestors 'none'",
      );
      expect(res.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
    }
  });

  it('/docs still serves the API reference page with its script, framed by nobody, with its own CSP', async () => {
    const res = await api('/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toMatch(/<script[ >]/);
    // The docs page has its own policy (only our origin), not the API's load-nothing one.
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });
});
