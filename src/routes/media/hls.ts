// Video playback as HLS, for a viewer who has access now (docs/architecture.md, "HLS delivery"):
// - `GET /media/{id}/playback` (playback.ts) and every playlist (`/media/hls/{id}/….m3u8`) are authorised by the viewer's
//   own session (cookie or Bearer) and ask the gate on every request; nothing in their URL grants anything.
// - Segment URIs in a served playlist carry a segment token (HMAC of viewer, media, expiry). A segment needs
//   a genuine unexpired token for its media, the session of the token's viewer (a signature check, no database),
//   and a grant: the gate's answer for (viewer, media) cached at the edge for MEDIA_HLS_GRANT_TTL_SECONDS —
//   the bound on how long a viewer who lost access still gets segments. Every playlist fetch refreshes it.
// - Segment bytes are edge-cached under a key without token or viewer, so one copy serves every viewer.
import type { OpenAPIHono } from '@hono/zod-openapi';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { authOptional } from '../../auth/middleware.ts';
import { readAccessToken } from '../../auth/cookies.ts';
import { InvalidTokenError, verifyAccessToken } from '../../auth/jwt.ts';
import type { AppEnv } from '../../context.ts';
import { medias, type Media } from '../../db/schema/index.ts';
import { mediaForViewer } from '../../domain/media-access.ts';
import {
  hlsSegmentToken,
  tokenisePlaylist,
  verifyHlsSegmentToken,
} from '../../domain/media-views.ts';
import { cognitoSettings } from '../../env.ts';
import { ApiError } from '../../lib/errors.ts';
import { getObject } from '../../lib/storage.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const refused = () => new ApiError('FORBIDDEN', '재생 권한이 없거나 만료된 주소입니다.');

const edgeCache = () => (caches as unknown as { default: Cache }).default;
export const apiBase = (c: Context<AppEnv>) => c.get('env').API_BASE_URL.replace(/\/$/, '');

/** Edge-cache key of an HLS file: the media and the path only — no token, no viewer. */
export const hlsCacheKey = (base: string, mediaId: string, path: string) =>
  `${base}/__hls-cache/${mediaId}/${path}`;
const grantKey = (base: string, viewer: string | null, mediaId: string) =>
  `${base}/__hls-grant/${viewer ?? 'anon'}/${mediaId}`;

/** The segment token's lifetime: the configured TTL, plus the video's length so one playlist can play it through. */
export function segmentTokenExpiry(c: Context<AppEnv>, media: Media): Date {
  const ttl = c.get('env').MEDIA_HLS_TOKEN_TTL_SECONDS;
  const lengthSeconds = Math.ceil((media.durationMs ?? 0) / 1000);
  return new Date(c.get('services').clock.now().getTime() + (ttl + lengthSeconds) * 1000);
}

/** The gate's answer, remembered for (viewer, media); `at` is checked too, in case the cache keeps it longer. */
async function storeGrant(
  c: Context<AppEnv>,
  viewer: string | null,
  mediaId: string,
  allowed: boolean,
): Promise<void> {
  const ttl = c.get('env').MEDIA_HLS_GRANT_TTL_SECONDS;
  const at = String(c.get('services').clock.now().getTime());
  const res = new Response(null, {
    headers: {
      'cache-control': `public, max-age=${ttl}`,
      'x-grant': allowed ? 'yes' : 'no',
      'x-grant-at': at,
    },
  });
  await edgeCache()
    .put(new Request(grantKey(apiBase(c), viewer, mediaId)), res)
    .catch(() => undefined);
}

async function gate(
  c: Context<AppEnv>,
  viewer: string | null,
  mediaId: string,
): Promise<Media | null> {
  const { db, clock } = c.get('services');
  try {
    return await mediaForViewer(db, { viewerId: viewer, mediaId, now: clock.now() });
  } catch (err) {
    if (err instanceof ApiError && (err.code === 'NOT_FOUND' || err.code === 'CONTENT_LOCKED'))
      return null;
    throw err;
  }
}

/** A segment's grant: from the edge cache while fresh, else asked of the gate (and remembered). */
async function granted(
  c: Context<AppEnv>,
  viewer: string | null,
  mediaId: string,
): Promise<boolean> {
  const hit = await edgeCache()
    .match(new Request(grantKey(apiBase(c), viewer, mediaId)))
    .catch(() => undefined);
  const at = Number(hit?.headers.get('x-grant-at') ?? NaN);
  const fresh =
    c.get('services').clock.now().getTime() - at < c.get('env').MEDIA_HLS_GRANT_TTL_SECONDS * 1000;
  if (hit && fresh) return hit.headers.get('x-grant') === 'yes';
  const allowed = (await gate(c, viewer, mediaId)) !== null;
  await storeGrant(c, viewer, mediaId, allowed);
  return allowed;
}

/** The session's user by its signature alone (no database: segments stay cheap); null when absent or invalid. */
async function sessionUser(c: Context<AppEnv>): Promise<string | null> {
  const token = readAccessToken(c);
  if (!token) return null;
  const settings = cognitoSettings(c.get('env'));
  try {
    const claims = await verifyAccessToken(token, {
      issuer: settings.issuer,
      jwksUrl: settings.jwksUrl,
      allowedClientIds: settings.allowedClientIds,
    });
    return claims.sub ?? null;
  } catch (err) {
    if (err instanceof InvalidTokenError) return null;
    throw new ApiError('SERVICE_UNAVAILABLE', '인증 서버에 연결할 수 없습니다.', { cause: err });
  }
}

function hlsDir(media: Media): string {
  const hls = media.variants?.hls;
  if (!hls) throw new ApiError('MEDIA_NOT_READY', '미디어가 아직 처리 중입니다.');
  return hls.slice(0, hls.lastIndexOf('/') + 1);
}

export function registerHls(routes: OpenAPIHono<AppEnv>): void {
  routes.get(
    '/hls/:mediaId/:path{.+}',
    async (c, next) => {
      const { mediaId, path } = c.req.param();
      if (
        !UUID.test(mediaId) ||
        !/^[\w.-]+(\/[\w.-]+)*$/.test(path) ||
        path.split('/').includes('..') ||
        !/\.(m3u8|ts|m4s|mp4|aac|vtt)$/.test(path)
      ) {
        throw new ApiError('NOT_FOUND', '미디어를 찾을 수 없습니다.');
      }
      if (path.endsWith('.m3u8')) return authOptional(c, next);
      return next();
    },
    async (c) => {
      const { mediaId, path } = c.req.param();
      return path.endsWith('.m3u8') ? playlist(c, mediaId, path) : segment(c, mediaId, path);
    },
  );
}

/** A playlist: the gate asks about this request's viewer, every time; segment URIs get that viewer's token. */
async function playlist(c: Context<AppEnv>, mediaId: string, path: string): Promise<Response> {
  const env = c.get('env');
  const viewer = c.get('viewer')?.id ?? null;
  const media = await gate(c, viewer, mediaId);
  await storeGrant(c, viewer, mediaId, media !== null);
  if (!media) throw refused();
  const obj = await getObject(env, `${hlsDir(media)}${path}`);
  if (!obj || obj.status !== 200) throw new ApiError('NOT_FOUND', '미디어를 찾을 수 없습니다.');
  const token = await hlsSegmentToken(
    env.MEDIA_TOKEN_SECRET,
    viewer,
    media.id,
    segmentTokenExpiry(c, media),
  );
  return new Response(tokenisePlaylist(await obj.text(), token), {
    headers: {
      'content-type': 'application/vnd.apple.mpegurl',
      'cache-control': 'private, no-store',
    },
  });
}

/** A segment: token, session and grant checked without the database (but for a stale grant), then bytes. */
async function segment(c: Context<AppEnv>, mediaId: string, path: string): Promise<Response> {
  const { db, clock } = c.get('services');
  const env = c.get('env');
  const claim = await verifyHlsSegmentToken(
    env.MEDIA_TOKEN_SECRET,
    c.req.query('t') ?? '',
    mediaId,
    clock.now(),
  );
  if (!claim) throw refused();
  // A token is its viewer's only: without that viewer's session it is useless to anyone it was shared with.
  if (claim.viewerId !== null && (await sessionUser(c)) !== claim.viewerId) throw refused();
  if (!(await granted(c, claim.viewerId, mediaId))) throw refused();

  const range = c.req.header('range') ?? null;
  const cacheKey = new Request(hlsCacheKey(apiBase(c), mediaId, path));
  if (!range) {
    const hit = await edgeCache()
      .match(cacheKey)
      .catch(() => undefined);
    if (hit) {
      const headers = new Headers(hit.headers);
      headers.set('cache-control', 'private, max-age=3600');
      headers.set('x-cache', 'HIT');
      return new Response(hit.body, { status: 200, headers });
    }
  }
  const [media] = await db.select().from(medias).where(eq(medias.id, mediaId));
  if (!media || media.deletedAt || !media.variants?.hls)
    throw new ApiError('NOT_FOUND', '미디어를 찾을 수 없습니다.');
  const obj = await getObject(env, `${hlsDir(media)}${path}`, range);
  if (!obj) throw new ApiError('NOT_FOUND', '미디어를 찾을 수 없습니다.');
  const headers = new Headers();
  for (const h of ['content-type', 'content-length', 'content-range', 'etag', 'last-modified']) {
    const v = obj.headers.get(h);
    if (v) headers.set(h, v);
  }
  headers.set('accept-ranges', 'bytes');
  headers.set('cache-control', 'private, max-age=3600');
  headers.set('x-cache', 'MISS');
  const res = new Response(obj.body, { status: obj.status, headers });
  if (obj.status === 200) keepAtEdge(c, cacheKey, res);
  return res;
}

/** Stores a whole segment's bytes at the edge (in the background), for every viewer. */
function keepAtEdge(c: Context<AppEnv>, cacheKey: Request, res: Response): void {
  const stored = res.clone();
  const cachedHeaders = new Headers(res.headers);
  cachedHeaders.set('cache-control', 'public, max-age=86400');
  cachedHeaders.delete('x-cache');
  c.executionCtx.waitUntil(
    edgeCache()
      .put(cacheKey, new Response(stored.body, { headers: cachedHeaders }))
      .catch(() => undefined),
  );
}
