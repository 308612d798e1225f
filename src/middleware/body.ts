// Request bodies: a size limit (413), JSON only (415), and well-formed JSON (400) before any handler
// runs. The parsed body stays cached on the request, so validators read it without parsing again.
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
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
  if (STREAMED_BODY.has(`${c.req.method} ${c.req.path}`)) return next();
  return bodyLimit({
    maxSize: c.get('env').MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError('PAYLOAD_TOO_LARGE', `요청 본문은 ${c.get('env').MAX_BODY_BYTES}바이트를 넘을 수 없습니다.`);
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
