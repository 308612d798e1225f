// Shared OpenAPI pieces: the envelope around every success payload and the error body.
import { z } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { ApiError, ERROR_STATUS } from './errors.ts';

export function envelope<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), message: z.string().optional(), data });
}

export const ErrorBodySchema = z
  .object({
    success: z.literal(false),
    message: z.string().openapi({ example: '입력값이 올바르지 않습니다.' }),
    data: z.object({
      statusCode: z.number().int(),
      code: z.enum(
        Object.keys(ERROR_STATUS) as [
          keyof typeof ERROR_STATUS,
          ...Array<keyof typeof ERROR_STATUS>,
        ],
      ),
      requestId: z.string(),
      timestamp: z.string(),
      details: z.array(z.object({ path: z.string().optional(), message: z.string() })).optional(),
    }),
  })
  .openapi('Error');

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description };
}

export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, jsonContent(ErrorBodySchema, `Error (${s})`)]));

/** A query enum as the web client spells it (upper case) for values stored in lower case. */
export function upperEnum(values: readonly string[]) {
  return z.enum(values.map((v) => v.toUpperCase()) as [string, ...string[]]);
}

/**
 * A JSON request body that must be present: @hono/zod-openapi skips validation of a body that is not
 * `required` when the request sends none, so a body-less POST would reach the handler unvalidated.
 */
export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return {
    body: { content: { 'application/json': { schema } }, required: true as const, description },
  };
}

/**
 * Route middleware (after auth) for a `jsonBody()` whose fields are all optional: the validator
 * reads a request without a JSON body as `{}`, so that schema cannot refuse it. A body-less POST is
 * 400; `{}` is a body.
 */
export const requireJsonBody: MiddlewareHandler = async (c, next) => {
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(c.req.header('content-type') ?? '')) {
    throw new ApiError('VALIDATION_FAILED', '요청 본문(JSON)이 필요합니다.', {
      details: [{ path: 'body', message: 'a JSON body is required' }],
    });
  }
  await next();
};
