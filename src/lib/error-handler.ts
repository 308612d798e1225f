// Every error leaves through here, in the envelope. Unknown errors become a generic 500 with the
// request id; their details go to the log only.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../context.ts';
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

export function handleError(err: Error, c: Context<AppEnv>): Response {
  const requestId = c.get('requestId') ?? 'unknown';
  const logger = c.get('services')?.logger ?? createLogger('info', { requestId });
  if (err instanceof ApiError) {
    if (err.headers) for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
    return c.json(errorBody(err.status, err.code, err.message, requestId, err.details), err.status as ContentfulStatusCode);
  }
  if (err instanceof HTTPException && HTTP_CODES[err.status]) {
    const code = HTTP_CODES[err.status] as ErrorCode;
    return c.json(errorBody(err.status, code, DEFAULT_MESSAGES[code], requestId), err.status as ContentfulStatusCode);
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
  return c.json(errorBody(404, 'NOT_FOUND', `${c.req.method} ${c.req.path} 경로를 찾을 수 없습니다.`, requestId), 404);
}
