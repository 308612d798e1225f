// Request bodies: a size limit (413), JSON only (415), and well-formed JSON (400) before any handler
// runs. The parsed body stays cached on the request, so validators read it without parsing again.
// Routing comes first: a method and path no route answers is a 404 whatever its body
// (bodyGuardFor).
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { TrieRouter } from 'hono/router/trie-router';
import type { AppEnv } from '../context.ts';
import { ApiError } from '../lib/errors.ts';

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Routes that stream their own (non-JSON) body with their own size cap: the form upload. */
const STREAMED_BODY = new Set(['POST /media/upload']);

function hasBody(req: Request): boolean {
  const length = req.headers.get('content-length');
  if (length !== null) return Number(length) > 0;
  return req.headers.has('transfer-encoding') || req.body !== null;
}

export const bodyGuard = createMiddleware<AppEnv>(async (c, next) => {
  if (!WITH_BODY.has(c.req.method) || !hasBody(c.req.raw)) return next();
  return checkBody(c, next);
});

/**
 * The body guard for an app: requests that no route answers skip it and reach the not-found handler
 * (404 before 415). The table of the app's routes (middleware, registered for every method, left
 * out) is built once per isolate on the first request, after every route was mounted.
 */
export function bodyGuardFor(app: Pick<Hono<AppEnv>, 'routes'>) {
  let table: TrieRouter<true> | null = null;
  const routed = (method: string, path: string) => {
    if (!table) {
      table = new TrieRouter<true>();
      for (const r of app.routes) if (r.method !== 'ALL') table.add(r.method, r.path, true);
    }
    return table.match(method, path)[0].length > 0;
  };
  return createMiddleware<AppEnv>(async (c, next) => {
    const { method, path, raw } = c.req;
    if (!WITH_BODY.has(method) || !hasBody(raw) || !routed(method, path)) return next();
    return checkBody(c, next);
  });
}

const checkBody = createMiddleware<AppEnv>(async (c, next) => {
  if (STREAMED_BODY.has(`${c.req.method} ${c.req.path}`)) return next();
  return bodyLimit({
    maxSize: c.get('env').MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError(
        'PAYLOAD_TOO_LARGE',
        `요청 본문은 ${c.get('env').MAX_BODY_BYTES}바이트를 넘을 수 없습니다.`,
      );
    },
  })(c, async () => {
    const type = c.req.header('content-type') ?? '';
    if (!JSON_TYPE.test(type)) {
      throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'Content-Type은 application/json이어야 합니다.');
    }
    const text = await c.req.text();
    if (text.trim() === '') return next();
    try {
      JSON.parse(text);
    } catch {
      throw new ApiError('INVALID_JSON', '요청 본문이 올바른 JSON이 아닙니다.');
    }
    await next();
  });
});
