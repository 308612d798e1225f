// POST /media/processing-webhook — media-service's signed callback; never authenticated by cookies.
// Raw body: the signature covers its bytes (so not an OpenAPI route with a parsed body).
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { applyCallback, callbackSchema, verifySigned } from '../../jobs/media.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';

export const processingWebhookApp = new OpenAPIHono<AppEnv>().post(
  '/processing-webhook',
  async (c) => {
    const { db, clock } = c.get('services');
    const raw = await c.req.text();
    await verifySigned(
      c.get('env').MEDIA_SERVICE_SECRET,
      'callback',
      c.req.raw.headers,
      raw,
      clock.now(),
    );
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new ApiError('INVALID_JSON', '요청 본문이 올바른 JSON이 아닙니다.');
    }
    const cb = callbackSchema.safeParse(parsed);
    if (!cb.success)
      throw new ApiError('VALIDATION_FAILED', '콜백 형식이 올바르지 않습니다.', {
        details: cb.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    await applyCallback(db, cb.data, clock.now());
    return ok(c, { applied: true });
  },
);
