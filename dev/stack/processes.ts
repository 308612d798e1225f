// Child-process supervision for the local stack: every child runs in its own process group so the
// runner can stop the whole tree (wrangler's workerd, cognito-local's node, …) and leave nothing behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Managed {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

export class Supervisor {
  private readonly children: Managed[] = [];
  private stopping = false;
  private readonly stopHooks: Array<() => void> = [];

  private readonly stateDir: string;
  private readonly log: (line: string) => void;

  constructor(stateDir: string, log: (line: string) => void) {
    this.stateDir = stateDir;
    this.log = log;
    mkdirSync(join(stateDir, 'logs'), { recursive: true });
  }

  get logDir(): string {
    return join(this.stateDir, 'logs');
  }

  /** Kills process groups a previous run left behind (if it was killed without cleaning up). */
  reapLeftovers(): void {
    const file = join(this.stateDir, 'pids.json');
    if (!existsSync(file)) return;
    try {
      const pids = JSON.parse(readFileSync(file, 'utf8')) as number[];
      for (const pid of pids) killGroup(pid, 'SIGKILL');
    } catch {
      // A corrupt pid file only means there is nothing reliable to reap.
    }
    writeFileSync(file, '[]');
  }

  start(
    name: string,
    command: string,
    args: string[],
    options: {
      env?: NodeJS.ProcessEnv;
      cwd?: string;
      inherit?: boolean;
      onLine?: (line: string) => void;
    } = {},
  ): Managed {
    const logFile = join(this.logDir, `${name}.log`);
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      detached: true,
      stdio: options.inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    });
    if (!options.inherit) {
      const out = createWriteStream(logFile, { flags: 'a' });
      child.stdout?.pipe(out);
      child.stderr?.pipe(out);
      if (options.onLine && child.stdout) {
        const onLine = options.onLine;
        createInterface({ input: child.stdout }).on('line', onLine);
      }
    }
    const exited = new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.once('error', (err) => {
        this.log(`${name}: failed to start: ${err.message}`);
        resolve(-1);
      });
    });
    const managed = { name, child, exited };
    this.children.push(managed);
    this.writePids();
    void exited.then((code) => {
      if (!this.stopping) this.log(`${name} exited with code ${code} (log: ${logFile})`);
    });
    return managed;
  }

  private writePids(): void {
    const pids = this.children
      .map((c) => c.child.pid)
      .filter((p): p is number => typeof p === 'number');
    writeFileSync(join(this.stateDir, 'pids.json'), JSON.stringify(pids));
  }

  onStop(hook: () => void): void {
    this.stopHooks.push(hook);
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    for (const hook of this.stopHooks.splice(0)) hook();
    // Reverse order: the API first, the database last.
    for (const managed of [...this.children].reverse()) {
      const pid = managed.child.pid;
      if (pid === undefined || managed.child.exitCode !== null) continue;
      killGroup(pid, 'SIGTERM');
      const done = await Promise.race([
        managed.exited.then(() => true),
        sleep(8_000).then(() => false),
      ]);
      if (!done) killGroup(pid, 'SIGKILL');
      // The group may still hold grandchildren after the leader exits.
      killGroup(pid, 'SIGKILL');
    }
    this.children.length = 0;
    this.writePids();
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

export async function waitFor(
  what: string,
  probe: () => Promise<boolean>,
  timeoutMs: number,
  exited?: Promise<number | null>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void exited?.then(() => {
    dead = true;
  });
  while (Date.now() < deadline) {
    if (dead) throw new Error(`${what} exited before it was ready`);
    try {
      if (await probe()) return;
    } catch {
      // not ready yet
    }
    await sleep(150);
  }
  throw new Error(`${what} was not ready within ${Math.round(timeoutMs / 1000)} s`);
}

export async function httpReady(url: string, init?: RequestInit): Promise<boolean> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(2_000) });
  await res.arrayBuffer();
  return res.status < 500;
}
