// Edge cache for anonymous public reads (public feed, explore) with the Cache API. Only requests without
// cookies or credentials are served from or stored in the shared cache; anything else is private. A change
// (publish, edit, delete, visibility) shows within PUBLIC_CACHE_TTL_SECONDS — the documented bound.
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context.ts';

function anonymous(req: Request): boolean {
  return !req.headers.has('cookie') && !req.headers.has('authorization');
}

export const edgeCache = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method !== 'GET' || !anonymous(c.req.raw)) {
    await next();
    c.header('Cache-Control', 'private, no-store');
    return;
  }
  // `caches.default` is per data centre (Workers); the URL is the key (no cookies, no credentials).
  const cache = (caches as unknown as { default: Cache }).default;
  const key = new Request(new URL(c.req.url).toString(), { method: 'GET' });
  // A runtime without a cache behind the Cache API (bare workerd) serves uncached rather than failing.
  const hit = await cache.match(key).catch((err: unknown) => {
    c.get('services').logger.warn('edge cache unavailable', { error: err });
    return undefined;
  });
  if (hit) {
    const res = new Response(hit.body, hit);
    res.headers.set('X-Cache', 'HIT');
    return res;
  }
  await next();
  if (c.res.status !== 200) return;
  const ttl = c.get('env').PUBLIC_CACHE_TTL_SECONDS;
  c.res.headers.set('Cache-Control', `public, max-age=${ttl}`);
  c.res.headers.delete('Set-Cookie');
  c.res.headers.set('X-Cache', 'MISS');
  c.executionCtx.waitUntil(cache.put(key, c.res.clone()).catch(() => undefined));
});
