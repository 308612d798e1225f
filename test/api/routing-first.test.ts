// Route matching comes before body checks: an unknown method/path is a 404 whatever its body, while a real
// route keeps its 415 (not JSON), 400 (malformed JSON) and 413 (too large).
import { describe, expect, it } from 'vitest';
import { api } from './auth-helpers.ts';
import { expectError } from './helpers.ts';

const send = (method: string, path: string, body: BodyInit, type: string) =>
  api(path, { method, body, headers: { 'content-type': type } });

describe('routing before the body guard', () => {
  it.each([
    ['POST', '/no/such/path', 'a=1', 'application/x-www-form-urlencoded'],
    ['POST', '/no/such/path', 'plain', 'text/plain'],
    ['POST', '/postings/not/a/route', '--x\r\n', 'multipart/form-data; boundary=x'],
    ['PUT', '/nope', '{not json', 'application/json'],
    ['PATCH', '/auth/signup', 'a=1', 'application/x-www-form-urlencoded'], // a path that exists for POST only
    ['DELETE', '/feed', 'x', 'text/plain'],
  ])('%s %s with %s → 404', async (method, path, body, type) => {
    await expectError(await send(method, path, body, type), 404, 'NOT_FOUND');
  });

  it('real routes keep 415, 400 and 413', async () => {
    await expectError(
      await send('POST', '/auth/signin', 'email=a', 'application/x-www-form-urlencoded'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    await expectError(
      await send('POST', '/auth/signin', '{"email":', 'application/json'),
      400,
      'INVALID_JSON',
    );
    await expectError(
      await send('POST', '/postings/0190a0a0-0000-7000-8000-000000000000/like', 'x', 'text/plain'),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
    const big = JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(2_000_000) });
    expect((await send('POST', '/auth/signin', big, 'application/json')).status).toBe(413);
  });
});
