// POST /payment/webhook — Toss calls this without credentials: the body is a hint, checked against
// Toss itself (see domain/payment-webhooks.ts). Toss unreachable → 503, so Toss delivers it again.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { handleTossWebhook, webhookSchema } from '../../domain/payment-webhooks.ts';
import { ok } from '../../lib/envelope.ts';
import { ApiError } from '../../lib/errors.ts';
import { TossUnavailable } from '../../lib/toss.ts';

export const webhook = new OpenAPIHono<AppEnv>();
webhook.post('/webhook', async (c) => {
  const { db, logger } = c.get('services');
  const parsed = webhookSchema.safeParse(await c.req.json().catch(() => null));
  if (!parsed.success)
    throw new ApiError('VALIDATION_FAILED', '알 수 없는 웹훅 형식입니다.', {
      details: parsed.error.issues
        .slice(0, 5)
        .map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  let outcome: Awaited<ReturnType<typeof handleTossWebhook>>;
  try {
    outcome = await handleTossWebhook(db, c.get('env'), parsed.data, (level, msg, f) =>
      logger[level](msg, f),
    );
  } catch (err) {
    if (err instanceof TossUnavailable)
      throw new ApiError('PAYMENT_PROVIDER_UNAVAILABLE', '결제사 확인에 실패했습니다.', {
        cause: err,
      });
    throw err;
  }
  return ok(c, { outcome }, { message: outcome });
});
