// Response headers every answer gets. Caching: `private, no-store` unless the route set its own
// Cache-Control (the public edge cache in edge-cache.ts, media and HLS segments opt in that way),
// so a personal answer is never stored by a browser or a shared cache by accident. Security: Hono's
// secure-headers (nosniff, no referrer, no framing, HSTS, …) and, outside the /docs page (which
// loads the API reference's script and styles), a CSP that lets an API answer load nothing at all.
import { createMiddleware } from 'hono/factory';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from '../context.ts';

export const DEFAULT_CACHE_CONTROL = 'private, no-store';

export const defaultCacheControl = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.res.headers.has('Cache-Control')) return;
  try {
    c.res.headers.set('Cache-Control', DEFAULT_CACHE_CONTROL);
  } catch {
    // Immutable headers (a response passed through as is): copy it.
    c.res = new Response(c.res.body, c.res);
    c.res.headers.set('Cache-Control', DEFAULT_CACHE_CONTROL);
  }
});

const common = {
  // Media are embedded by the web client on the same site (crefans.com ↔ api.crefans.com).
  crossOriginResourcePolicy: 'same-site',
  xFrameOptions: 'DENY',
  referrerPolicy: 'no-referrer',
} as const;

const apiHeaders = secureHeaders({
  ...common,
  contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
});
// /docs is an HTML page with a third-party script: no CSP here (the docs UI brings its own when
// served locally).
const docsHeaders = secureHeaders(common);

export const securityHeaders = createMiddleware<AppEnv>((c, next) =>
  c.req.path === '/docs' ? docsHeaders(c, next) : apiHeaders(c, next),
);
