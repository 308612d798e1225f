// Where the local stack lives and which ports it uses. `dev` and `test` profiles differ in state
// directory and ports, so `npm test` can run while `npm run dev` is running.
import { resolve } from 'node:path';

export type Profile = 'dev' | 'test';

export interface StackConfig {
  profile: Profile;
  root: string;
  stateDir: string;
  ports: {
    api: number;
    gateway: number;
    mysql: number;
    cognito: number;
    s3: number;
    s3Store: number;
    media: number;
    toss: number;
    mailbox: number;
    inspector: number;
  };
  mysql: { user: string; password: string; database: string };
  gateway: { user: string; password: string };
  s3: { bucket: string; region: string; accessKeyId: string; secretAccessKey: string };
  cognito: { userPoolName: string; clientName: string; region: string };
  webOrigins: string[];
}

const BASE_PORTS: Record<Profile, StackConfig['ports']> = {
  // 9229 (the Node/devtools inspector default, also cognito-local's default port) is avoided on purpose.
  dev: {
    api: 8787,
    gateway: 3900,
    mysql: 3907,
    cognito: 3910,
    s3: 3920,
    s3Store: 3922,
    media: 3930,
    toss: 3950,
    mailbox: 3940,
    inspector: 9240,
  },
  test: {
    api: 8797,
    gateway: 3901,
    mysql: 3917,
    cognito: 3911,
    s3: 3921,
    s3Store: 3923,
    media: 3931,
    toss: 3951,
    mailbox: 3941,
    inspector: 9241,
  },
};

function port(name: string, fallback: number): number {
  const raw = process.env[`CREFANS_${name.toUpperCase()}_PORT`];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0 || value > 65535)
    throw new Error(`CREFANS_${name.toUpperCase()}_PORT must be a port number`);
  return value;
}

export function loadConfig(profile: Profile, root = process.cwd()): StackConfig {
  const defaultState = profile === 'dev' ? '.dev' : '.test-stack';
  // CREFANS_STATE_DIR moves the dev stack; the test stack has its own variable so both can run at once.
  const stateOverride =
    profile === 'dev' ? process.env.CREFANS_STATE_DIR : process.env.CREFANS_TEST_STATE_DIR;
  const base = BASE_PORTS[profile];
  const ports = Object.fromEntries(
    Object.entries(base).map(([k, v]) => [k, port(k, v)]),
  ) as StackConfig['ports'];
  return {
    profile,
    root,
    stateDir: resolve(root, stateOverride ?? defaultState),
    ports,
    mysql: {
      user: 'crefans',
      password: 'crefans-local',
      database: profile === 'dev' ? 'crefans' : 'crefans_test',
    },
    gateway: { user: 'crefans', password: 'gateway-local' },
    s3: {
      bucket: 'crefans-media',
      region: 'ap-northeast-2',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
    },
    cognito: { userPoolName: 'crefans-local', clientName: 'crefans-web', region: 'ap-northeast-2' },
    webOrigins: ['http://127.0.0.1:3000', 'http://localhost:3000'],
  };
}
