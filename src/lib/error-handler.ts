// Every error leaves through here, in the envelope. Unknown errors become a generic 500 with the
// request id; their details go to the log only.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../context.ts';
import { databaseOutage } from '../db/client.ts';
import { EnvError } from '../env.ts';
import { errorBody } from './envelope.ts';
import { ApiError, DEFAULT_MESSAGES, type ErrorCode } from './errors.ts';
import { createLogger } from './logger.ts';

const HTTP_CODES: Partial<Record<number, ErrorCode>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/**
 * What a 503 tells the client to wait before retrying (the database, storage or a provider being
 * away).
 */
export const RETRY_AFTER_SECONDS = 2;

export function handleError(err: Error, c: Context<AppEnv>): Response {
  const requestId = c.get('requestId') ?? 'unknown';
  const logger = c.get('services')?.logger ?? createLogger('info', { requestId });
  if (err instanceof ApiError) {
    if (err.headers) for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    if (err.status === 503 && !err.headers?.['Retry-After'])
      c.header('Retry-After', String(RETRY_AFTER_SECONDS));
    return c.json(
      errorBody(err.status, err.code, err.message, requestId, err.details),
      err.status as ContentfulStatusCode,
    );
  }
  if (err instanceof HTTPException && HTTP_CODES[err.status]) {
    const code = HTTP_CODES[err.status] as ErrorCode;
    return c.json(
      errorBody(err.status, code, DEFAULT_MESSAGES[code], requestId),
      err.status as ContentfulStatusCode,
    );
  }
  const outage = databaseOutage(err);
  if (outage) {
    // Refused, reset, past its deadline or "unavailable": retryable, and (transactions being
    // atomic) nothing was half-written. A COMMIT cut off this way may still have landed: retries go
    // through idempotency keys.
    logger.warn('database unavailable', {
      reason: outage.reason,
      error: err,
      method: c.req.method,
      path: c.req.path,
    });
    c.header('Retry-After', String(RETRY_AFTER_SECONDS));
    const message = '데이터베이스에 일시적으로 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.';
    return c.json(errorBody(503, 'SERVICE_UNAVAILABLE', message, requestId), 503);
  }
  if (err instanceof EnvError) {
    logger.error('configuration error', { variables: err.variables, error: err.message });
  } else {
    logger.error('unhandled error', { error: err, method: c.req.method, path: c.req.path });
  }
  return c.json(errorBody(500, 'INTERNAL_ERROR', DEFAULT_MESSAGES.INTERNAL_ERROR, requestId), 500);
}

export function handleNotFound(c: Context<AppEnv>): Response {
  const requestId = c.get('requestId') ?? 'unknown';
  return c.json(
    errorBody(
      404,
      'NOT_FOUND',
      `${c.req.method} ${c.req.path} 경로를 찾을 수 없습니다.`,
      requestId,
    ),
    404,
  );
}
