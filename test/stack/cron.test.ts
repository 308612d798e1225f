// The dev runner's Cron Triggers (dev/stack/cron.ts): the schedule comes from wrangler.toml, times
// are UTC schedule boundaries, and each one becomes a call of wrangler dev's trigger endpoint with
// that time. (dev-runner.test.ts sees `npm run dev` fire them into a real Worker.)
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nextFire, readCrons, scheduledUrl, startCronScheduler } from '../../dev/stack/cron.ts';

const root = resolve(import.meta.dirname, '../..');

describe('the schedule', () => {
  it("is wrangler.toml's [triggers] crons", async () => {
    const crons = await readCrons(join(root, 'wrangler.toml'), '');
    const toml = readFileSync(join(root, 'wrangler.toml'), 'utf8');
    expect(crons.length).toBeGreaterThan(0);
    for (const cron of crons) expect(toml).toContain(`"${cron}"`);
    expect(crons).toContain('*/10 * * * *');
  });

  it('can be replaced for a dev session (CREFANS_DEV_CRONS, `;`-separated)', async () => {
    const crons = await readCrons(join(root, 'wrangler.toml'), ' * * * * * ; 0 3 * * 1 ');
    expect(crons).toEqual(['* * * * *', '0 3 * * 1']);
  });

  it('names UTC boundaries strictly after the given time', () => {
    const at = (iso: string) => nextFire('*/10 * * * *', new Date(iso)).toISOString();
    expect(at('2026-12-02T12:34:56.789Z')).toBe('2026-12-02T12:40:00.000Z');
    expect(at('2026-12-02T12:40:00.000Z')).toBe('2026-12-02T12:50:00.000Z');
    expect(nextFire('0 3 * * *', new Date('2026-12-02T12:00:00Z')).toISOString()).toBe(
      '2026-12-03T03:00:00.000Z',
    );
    expect(() => nextFire('not a cron', new Date())).toThrow();
  });

  it("is fired through Miniflare's trigger endpoint, with the schedule time in ms", () => {
    const url = new URL(
      scheduledUrl('http://127.0.0.1:1', '*/10 * * * *', new Date(1_796_083_200_000)),
    );
    expect(url.pathname).toBe('/cdn-cgi/local/scheduled');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      cron: '*/10 * * * *',
      time: '1796083200000',
      format: 'json',
    });
  });
});

describe('the scheduler', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

  it('calls the Worker at each time and stops when told', { timeout: 20_000 }, async () => {
    const calls: Array<{ path: string; cron: string | null; time: number; at: number }> = [];
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const time = Number(url.searchParams.get('time'));
      calls.push({ path: url.pathname, cron: url.searchParams.get('cron'), time, at: Date.now() });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ outcome: 'ok', noRetry: false }));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const lines: string[] = [];
    // Six fields: every second, so that the test need not wait a minute.
    const scheduler = startCronScheduler(api, ['* * * * * *'], (l) => lines.push(l));
    while (calls.length < 3) await new Promise((r) => setTimeout(r, 50));
    scheduler.stop();
    const seen = calls.length;
    await new Promise((r) => setTimeout(r, 1_500));
    expect(calls.length).toBe(seen);

    for (const call of calls) {
      expect(call).toMatchObject({ path: '/cdn-cgi/local/scheduled', cron: '* * * * * *' });
      expect(call.time % 1000).toBe(0); // a schedule boundary, not "now"
      expect(call.at).toBeGreaterThanOrEqual(call.time); // fired at (not before) its time
      expect(call.at - call.time).toBeLessThan(5000); // (a loaded machine runs timers late)
    }
    const times = calls.map((c) => c.time);
    expect(new Set(times).size).toBe(times.length);
    expect(lines[0]).toMatch(/^cron "\* \* \* \* \* \*" at \d{4}-\d\d-\d\dT.*Z: ok$/);
  });

  it('rejects an invalid expression at start', () => {
    expect(() =>
      startCronScheduler('http://127.0.0.1:1', ['61 * * * *'], () => undefined),
    ).toThrow();
  });
});
