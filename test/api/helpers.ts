// Shared assertions for API tests.
import { expect } from 'vitest';
import { ApiError } from '../../src/lib/errors.ts';

/** Runs a domain call and returns 'OK' or the ApiError code it threw (anything else is rethrown). */
export async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (err) {
    if (err instanceof ApiError) return err.code;
    throw err;
  }
}

export interface Envelope<T = unknown> {
  success: boolean;
  message?: string;
  data: T;
}

export interface ErrorData {
  statusCode: number;
  code: string;
  requestId: string;
  timestamp: string;
  details?: Array<{ path?: string; message: string }>;
}

/** Reads a response and checks it is the error envelope with this status and code. */
export async function expectError(
  res: Response,
  status: number,
  code: string,
): Promise<Envelope<ErrorData>> {
  const text = await res.text();
  let body: Envelope<ErrorData>;
  try {
    body = JSON.parse(text) as Envelope<ErrorData>;
  } catch {
    throw new Error(`expected a JSON error envelope, got ${res.status}: ${text}`);
  }
  expect(res.status, text).toBe(status);
  expect(body, text).toMatchObject({
    success: false,
    message: expect.any(String),
    data: {
      statusCode: status,
      code,
      requestId: expect.any(String),
      timestamp: expect.any(String),
    },
  });
  expect(res.headers.get('content-type'), text).toMatch(/^application\/json/);
  expect(body.data.requestId, text).toBe(res.headers.get('x-request-id'));
  expect(new Date(body.data.timestamp).toString(), text).not.toBe('Invalid Date');
  return body;
}

export async function readJson<T>(
  res: Response,
): Promise<{ status: number; body: T; text: string }> {
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as T, text };
  } catch {
    throw new Error(`expected JSON, got ${res.status}: ${text}`);
  }
}
