// The response envelope the web client reads (shared/reference/original-crefans.md §0):
// success `{ success: true, message?, data }`, error `{ success: false, message, data: { statusCode, code, requestId, timestamp } }`.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ErrorCode, ErrorDetail } from './errors.ts';

export interface SuccessBody<T> {
  success: true;
  message?: string;
  data: T;
}

export interface ErrorBody {
  success: false;
  message: string;
  data: {
    statusCode: number;
    code: ErrorCode;
    requestId: string;
    timestamp: string;
    details?: ErrorDetail[];
  };
}

export function ok<T, S extends ContentfulStatusCode = 200>(
  c: Context,
  data: T,
  options: { status?: S; message?: string } = {},
) {
  const body: SuccessBody<T> =
    options.message === undefined
      ? { success: true, data }
      : { success: true, message: options.message, data };
  return c.json(body, (options.status ?? 200) as S);
}

/** A list whose `data` must stay a bare array for the web client: paging sits beside it, as in the feed. */
export function okList<T, P>(c: Context, data: T[], pagination: P) {
  return c.json({ success: true as const, data, pagination }, 200);
}

export function errorBody(
  status: number,
  code: ErrorCode,
  message: string,
  requestId: string,
  details?: ErrorDetail[],
): ErrorBody {
  const data: ErrorBody['data'] = {
    statusCode: status,
    code,
    requestId,
    timestamp: new Date().toISOString(),
  };
  if (details && details.length) data.details = details;
  return { success: false, message, data };
}
