// The first README command end to end: `npm run dev`'s runner on a throw-away state directory and its own
// ports answers /health (database reachable) and /docs, writes stack.json, fires the Cron Triggers
// into the Worker (wrangler dev does not), and Ctrl-C (SIGINT) stops every process it started.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const PORT_NAMES = [
  ...['API', 'GATEWAY', 'MYSQL', 'COGNITO', 'S3', 'MEDIA', 'MAILBOX', 'S3STORE', 'TOSS'],
  'INSPECTOR',
];

/** Ports free right now, one per name (fixed numbers clashed with stacks already running). */
async function freePorts(): Promise<Record<string, number>> {
  const servers = PORT_NAMES.map(() => createServer());
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
  const found = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return Object.fromEntries(PORT_NAMES.map((name, i) => [name, found[i]]));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm run dev', () => {
  it(
    'starts the whole stack with the API, and Ctrl-C leaves no process behind',
    { timeout: 240_000 },
    async () => {
      const ports = await freePorts();
      const stateDir = mkdtempSync(join(tmpdir(), 'crefans-dev-e2e-'));
      const env: NodeJS.ProcessEnv = { ...process.env, CREFANS_STATE_DIR: stateDir, NO_COLOR: '1' };
      for (const [name, port] of Object.entries(ports)) env[`CREFANS_${name}_PORT`] = String(port);
      // Every second instead of wrangler.toml's */10, so that the runner's firing is seen in seconds.
      env.CREFANS_DEV_CRONS = '* * * * * *';
      const child = spawn(process.execPath, [join(root, 'dev/stack/cli.ts'), 'dev'], {
        cwd: root,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      const api = `http://127.0.0.1:${ports.API}`;
      try {
        let health: { success: boolean; data: { database: { reachable: boolean } } } | undefined;
        const deadline = Date.now() + 180_000;
        while (Date.now() < deadline && child.exitCode === null) {
          try {
            const res = await fetch(`${api}/health`, { signal: AbortSignal.timeout(2_000) });
            if (res.status === 200) {
              health = (await res.json()) as typeof health;
              break;
            }
          } catch {
            // not up yet
          }
          await new Promise((r) => setTimeout(r, 500));
        }
        expect(health, output).toMatchObject({
          success: true,
          data: { database: { reachable: true } },
        });
        expect((await fetch(`${api}/docs`)).status).toBe(200);
        const stack = JSON.parse(readFileSync(join(stateDir, 'stack.json'), 'utf8')) as {
          apiUrl: string;
          mysql: { port: number };
        };
        expect(stack).toMatchObject({ apiUrl: api, mysql: { port: ports.MYSQL } });
        // The runner fires the schedule: the Worker's scheduled handler ran and succeeded.
        const fired = /\[cron\]\S* cron "\* \* \* \* \* \*" at (\S+Z): ok/;
        for (let i = 0; i < 100 && !fired.test(output); i++) {
          await new Promise((r) => setTimeout(r, 200));
        }
        expect(output, output).toMatch(fired);
        // By hand, at a chosen time (README): the same endpoint the runner calls.
        const time = Date.UTC(2026, 11, 1);
        const trigger = `${api}/cdn-cgi/local/scheduled?cron=*/10+*+*+*+*&time=${time}&format=json`;
        const byHand = await fetch(trigger);
        expect(await byHand.json()).toMatchObject({ outcome: 'ok' });
        const pids = JSON.parse(readFileSync(join(stateDir, 'pids.json'), 'utf8')) as number[];
        expect(pids.length).toBeGreaterThanOrEqual(6);
        expect(pids.every(alive)).toBe(true);

        child.kill('SIGINT');
        expect(await exited).toBe(0);
        for (let i = 0; i < 20 && pids.some(alive); i++)
          await new Promise((r) => setTimeout(r, 250));
        expect(pids.filter(alive), output).toEqual([]);
        // The process groups are gone too: nothing answers on the stack's ports.
        await expect(
          fetch(`${api}/health`, { signal: AbortSignal.timeout(2_000) }),
        ).rejects.toThrow();
        expect(existsSync(join(stateDir, 'mysql'))).toBe(true);
      } finally {
        // After a failed assertion the runner still owns its process groups: let it stop them.
        if (child.exitCode === null) {
          child.kill('SIGINT');
          await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
        }
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    },
  );
});
