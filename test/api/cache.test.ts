// The edge cache for anonymous public reads, inside workerd: hits for anonymous repeats, never for signed-in
// readers, and a publish visible within the documented bound (PUBLIC_CACHE_TTL_SECONDS; 2 s in tests).
import { describe, expect, it } from 'vitest';
import { api, postJson, tokenFor } from './auth-helpers.ts';
import { makeCreator } from './economy-helpers.ts';

describe('edge cache', () => {
  it('serves an anonymous repeat from the cache; a signed-in reader never', async () => {
    const url = `/feed/public?limit=7&probe=${crypto.randomUUID()}`;
    const first = await api(url);
    expect(first.headers.get('x-cache')).toBe('MISS');
    expect(first.headers.get('cache-control')).toBe('public, max-age=2');
    const second = await api(url);
    expect(second.headers.get('x-cache')).toBe('HIT');
    expect(await second.json()).toEqual(await first.json());
    const user = await makeCreator();
    for (let i = 0; i < 2; i++) {
      const signedIn = await api(url, { cookies: { access_token: await tokenFor(user) } });
      expect(signedIn.headers.get('x-cache')).toBeNull();
      expect(signedIn.headers.get('cache-control')).toBe('private, no-store');
    }
    const explore = `/explore/categories?probe=${crypto.randomUUID()}`;
    expect((await api(explore)).headers.get('x-cache')).toBe('MISS');
    expect((await api(explore)).headers.get('x-cache')).toBe('HIT');
  });

  it('a publish shows on the anonymous public feed within the bound', async () => {
    const url = `/feed/public?limit=3&probe=${crypto.randomUUID()}`;
    await api(url);
    // The first answer is stored in the background (waitUntil): wait until it is served from the cache.
    for (let i = 0; i < 40 && (await api(url)).headers.get('x-cache') !== 'HIT'; i++)
      await new Promise((r) => setTimeout(r, 25));
    const author = await makeCreator();
    const res = await postJson(
      '/postings',
      { title: 'fresh', content: 'fresh', status: 'PUBLISHED' },
      { cookies: { access_token: await tokenFor(author) } },
    );
    const id = ((await res.json()) as { data: { id: string } }).data.id;
    const stale = (await (await api(url)).json()) as { data: Array<{ id: string }> };
    expect(stale.data.map((p) => p.id)).not.toContain(id);
    await new Promise((r) => setTimeout(r, 2_300));
    const fresh = await api(url);
    expect(fresh.headers.get('x-cache')).toBe('MISS');
    expect(((await fresh.json()) as { data: Array<{ id: string }> }).data[0].id).toBe(id);
  });
});
