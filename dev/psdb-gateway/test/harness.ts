// Per-file harness: a fresh database and a gateway in front of it.
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { inject } from 'vitest';
import { Client } from '@planetscale/database';
import {
  defaultGatewayConfig,
  startGateway,
  type Gateway,
  type GatewayConfig,
} from '../src/server.ts';

export interface Harness {
  gateway: Gateway;
  database: string;
  url: string;
  client: Client;
  admin: mysql.Connection;
  close(): Promise<void>;
}

export async function createHarness(overrides: Partial<GatewayConfig> = {}): Promise<Harness> {
  const my = inject('mysql');
  const database = `psdb_${randomBytes(4).toString('hex')}`;
  const admin = await mysql.createConnection({
    host: my.host,
    port: my.port,
    user: my.user,
    password: my.password,
  });
  await admin.query(`CREATE DATABASE \`${database}\``);
  const gateway = await startGateway({
    ...defaultGatewayConfig,
    username: 'app',
    password: 's3cret',
    mysql: { ...my, database },
    ...overrides,
  });
  const url = gateway.url.replace('http://', 'http://app:s3cret@');
  return {
    gateway,
    database,
    url,
    client: new Client({ url }),
    admin,
    async close() {
      await gateway.close();
      await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
      await admin.end();
    },
  };
}

/** Raw POST to the gateway, for assertions about the wire. */
export interface WireBody {
  session?: {
    signature?: string;
    vitessSession?: { SessionUUID?: string; inTransaction?: boolean };
  };
  result?: {
    fields?: Array<{ name: string; type?: string; charset?: number; flags?: number }>;
    rows?: Array<{ lengths: string[]; values?: string }>;
    rowsAffected?: string;
    insertId?: string;
  };
  error?: { message: string; code: string };
  timing?: number;
  branch?: string;
  user?: { username: string };
}

export async function post(
  url: string,
  path: string,
  body: unknown,
  auth = 'app:s3cret',
): Promise<{ status: number; json: WireBody }> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Basic ${btoa(auth)}` },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as WireBody };
}
