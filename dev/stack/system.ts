// System packages the local stack needs. Installed with apt-get when running as root on Debian;
// otherwise the missing packages are named and the run stops.
import { execFileSync, spawnSync } from 'node:child_process';

export interface SystemNeed {
  binary: string;
  debianPackages: string[];
  why: string;
}

export const SYSTEM_NEEDS: SystemNeed[] = [
  {
    binary: 'mariadbd',
    debianPackages: ['mariadb-server', 'mariadb-client'],
    why: 'the local MySQL engine',
  },
  { binary: 'ffmpeg', debianPackages: ['ffmpeg'], why: 'local video transcoding in media-service' },
];

/** Only the test profile needs a browser: the /docs test drives headless Chromium. */
export const TEST_SYSTEM_NEEDS: SystemNeed[] = [
  ...SYSTEM_NEEDS,
  { binary: 'chromium', debianPackages: ['chromium'], why: 'the browser test of the /docs page' },
];

export function which(binary: string): string | undefined {
  const paths = (process.env.PATH ?? '')
    .split(':')
    .concat(['/usr/sbin', '/usr/bin', '/sbin', '/bin']);
  for (const dir of paths) {
    const r = spawnSync('test', ['-x', `${dir}/${binary}`]);
    if (r.status === 0) return `${dir}/${binary}`;
  }
  return undefined;
}

export function ensureSystemPackages(
  log: (line: string) => void,
  needs: SystemNeed[] = SYSTEM_NEEDS,
): void {
  const missing = needs.filter((need) => !which(need.binary));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.flatMap((need) => need.debianPackages))];
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !which('apt-get')) {
    const lines = missing.map(
      (need) =>
        `  - ${need.binary} (${need.why}): Debian package ${need.debianPackages.join(', ')}`,
    );
    throw new Error(
      `missing system packages:\n${lines.join('\n')}\ninstall them with: sudo apt-get install -y ${packages.join(' ')}`,
    );
  }
  log(`installing system packages with apt-get: ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    stdio: 'inherit',
    env,
  });
  const still = missing.filter((need) => !which(need.binary));
  if (still.length)
    throw new Error(
      `apt-get finished but ${still.map((n) => n.binary).join(', ')} is still missing`,
    );
}
