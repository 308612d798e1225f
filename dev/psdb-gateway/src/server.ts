// A local server speaking PlanetScale's HTTP API (`/psdb.v1alpha1.Database/*`) over MariaDB/MySQL.
// Wire format and semantics: shared/reference/planetscale-http-protocol.md.
import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import mysql from 'mysql2';
import { SessionManager, type Outcome } from './sessions.ts';
import { protoField, protoRow, type ColumnDefinition } from './types.ts';

export interface GatewayConfig {
  /** Port to listen on (0 picks a free one). */
  port: number;
  host: string;
  /** Credentials clients must present with Basic auth. */
  username: string;
  password: string;
  mysql: { host: string; port: number; user: string; password: string; database: string };
  poolSize: number;
  /** A pinned (in-transaction) session idle longer than this is rolled back. */
  idleTimeoutMs: number;
  queryTimeoutMs: number;
  acquireTimeoutMs: number;
  maxBodyBytes: number;
  debug: boolean;
}

export const defaultGatewayConfig: Omit<GatewayConfig, 'mysql' | 'username' | 'password'> = {
  port: 0,
  host: '127.0.0.1',
  poolSize: 24,
  idleTimeoutMs: 30_000,
  queryTimeoutMs: 60_000,
  acquireTimeoutMs: 10_000,
  maxBodyBytes: 32 * 1024 * 1024,
  debug: false,
};

// PlanetScale's MySQL 8 default sql_mode (no NO_BACKSLASH_ESCAPES: the client escapes with backslashes).
const SQL_MODE =
  'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

// Vitess-only statements that never reach MySQL.
const NO_OP = /^\s*(?:set\s+@@boost_cached_queries\b|use\s+\S*@)/i;

const EXECUTE = '/psdb.v1alpha1.Database/Execute';
// Fault switch for outage tests (authenticated like queries): `POST {"ms": 4000}` makes the gateway
// behave as if its process died and was restarted after that time — open transactions rolled back,
// every connection dropped, new connections refused — and then it listens again by itself.
const FAULT_OUTAGE = '/_fault/outage';
const CREATE_SESSION = '/psdb.v1alpha1.Database/CreateSession';
const KNOWN_UNIMPLEMENTED = new Set([
  '/psdb.v1alpha1.Database/StreamExecute',
  '/psdb.v1alpha1.Database/Prepare',
  '/psdb.v1alpha1.Database/CloseSession',
]);

interface IncomingSession {
  vitessSession?: { SessionUUID?: string; inTransaction?: boolean };
}

export interface Gateway {
  url: string;
  port: number;
  close(): Promise<void>;
  stats(): { pinnedSessions: number };
}

export async function startGateway(config: GatewayConfig): Promise<Gateway> {
  const pool = mysql.createPool({
    host: config.mysql.host,
    port: config.mysql.port,
    user: config.mysql.user,
    password: config.mysql.password,
    database: config.mysql.database,
    connectionLimit: config.poolSize,
    maxIdle: config.poolSize,
    idleTimeout: 60_000,
    waitForConnections: true,
    queueLimit: 0,
    supportBigNumbers: true,
    bigNumberStrings: true,
    charset: 'UTF8MB4_UNICODE_CI',
    connectTimeout: 5_000,
    enableKeepAlive: true,
    // Found rows (PlanetScale sessions run with clientFoundRows) is in mysql2's defaults; IGNORE_SPACE is not PS.
    flags: ['-IGNORE_SPACE', 'FOUND_ROWS'],
  });
  pool.on('connection', (conn) => {
    // PlanetScale runs in UTC; drizzle reads TIMESTAMP text as UTC.
    conn.query(`SET time_zone = '+00:00', sql_mode = '${SQL_MODE}'`);
  });
  // A pool error (e.g. the server went away) must not crash the gateway; requests see it instead.
  pool.on('error' as 'connection', () => undefined);

  const sessions = new SessionManager({
    pool,
    idleTimeoutMs: config.idleTimeoutMs,
    queryTimeoutMs: config.queryTimeoutMs,
    acquireTimeoutMs: config.acquireTimeoutMs,
  });
  const signingKey = randomBytes(32);
  const expected = {
    user: Buffer.from(config.username),
    password: Buffer.from(config.password),
  };

  function sessionJson(id: string, inTransaction: boolean) {
    const vitessSession: Record<string, unknown> = {
      autocommit: true,
      targetString: config.mysql.database,
      options: { includedFields: 'ALL', clientFoundRows: true },
      DDLStrategy: 'direct',
      SessionUUID: id,
      enableSystemSettings: true,
    };
    if (inTransaction) vitessSession.inTransaction = true;
    const signature = createHmac('sha256', signingKey)
      .update(JSON.stringify(vitessSession))
      .digest('base64');
    return { signature, vitessSession };
  }

  function authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization;
    if (!header || !header.startsWith('Basic ')) return false;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('latin1');
    const colon = decoded.indexOf(':');
    if (colon <= 0 || colon === decoded.length - 1) return false;
    const user = Buffer.from(decoded.slice(0, colon), 'latin1');
    const password = Buffer.from(decoded.slice(colon + 1), 'latin1');
    return safeEqual(user, expected.user) && safeEqual(password, expected.password);
  }

  async function execute(body: Record<string, unknown>): Promise<unknown> {
    const started = performance.now();
    const query = body.query;
    const incoming = (body.session ?? null) as IncomingSession | null;
    const id = incoming?.vitessSession?.SessionUUID || randomUUID();
    const claims = incoming?.vitessSession?.inTransaction === true;
    if (typeof query !== 'string' || query.trim() === '') {
      return {
        session: sessionJson(id, claims),
        error: { message: 'query is required', code: 'INVALID_ARGUMENT' },
        timing: seconds(started),
      };
    }
    let outcome: Outcome;
    if (NO_OP.test(query)) outcome = { result: {}, inTransaction: claims };
    else outcome = await sessions.run(id, claims, query);
    const session = sessionJson(id, outcome.inTransaction);
    if (outcome.error) {
      const code =
        outcome.error.kind === 'aborted'
          ? 'ABORTED'
          : outcome.error.kind === 'deadline'
            ? 'DEADLINE_EXCEEDED'
            : outcome.error.kind === 'unavailable'
              ? 'UNAVAILABLE'
              : 'UNKNOWN';
      return { session, error: { message: outcome.error.message, code }, timing: seconds(started) };
    }
    const r = outcome.result ?? {};
    const result: Record<string, unknown> = {};
    if (r.fields && r.fields.length)
      result.fields = (r.fields as ColumnDefinition[]).map(protoField);
    if (r.rows && r.rows.length) result.rows = r.rows.map(protoRow);
    if (r.header) {
      if (r.header.affectedRows) result.rowsAffected = String(r.header.affectedRows);
      const insertId = String(r.header.insertId ?? 0);
      if (insertId !== '0') result.insertId = insertId;
    }
    return { session, result, timing: seconds(started) };
  }

  const server = createServer((req, res) => {
    const started = performance.now();
    handle(req, res)
      .catch((err: unknown) => {
        // Only a bug here can land; answer with a JSON error, never a non-JSON 2xx.
        send(res, 500, { error: { code: 'INTERNAL', message: 'gateway internal error' } });
        console.error('[psdb-gateway] internal error', err);
      })
      .finally(() => {
        if (config.debug) {
          const ms = (performance.now() - started).toFixed(2);
          console.log(`[psdb-gateway] ${req.method} ${req.url} ${res.statusCode} ${ms}ms`);
        }
      });
  });
  server.keepAliveTimeout = 65_000;

  function outage(ms: number): void {
    const { port } = server.address() as AddressInfo;
    sessions.closeAll();
    server.close();
    server.closeAllConnections();
    console.log(`[psdb-gateway] fault switch: down for ${ms} ms`);
    setTimeout(() => {
      server.listen(port, config.host, () =>
        console.log('[psdb-gateway] fault switch: listening again'),
      );
    }, ms);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === FAULT_OUTAGE && req.method === 'POST' && authorized(req)) {
      const ms = Number(
        (await readJson(req, 1024).catch(() => ({}) as Record<string, unknown>)).ms,
      );
      if (!Number.isInteger(ms) || ms < 1 || ms > 120_000) {
        return send(res, 400, {
          error: { code: 'invalid_argument', message: 'ms must be 1..120000' },
        });
      }
      res.once('finish', () => outage(ms));
      return send(res, 202, { down: true, ms });
    }
    if (path !== EXECUTE && path !== CREATE_SESSION) {
      req.resume();
      const status = KNOWN_UNIMPLEMENTED.has(path) ? 501 : 404;
      return send(res, status, {
        error: {
          code: status === 501 ? 'unimplemented' : 'not_found',
          message: `no route for ${path}`,
        },
      });
    }
    if (req.method !== 'POST') {
      req.resume();
      res.setHeader('Allow', 'POST');
      return send(res, 405, { error: { code: 'invalid_argument', message: 'method not allowed' } });
    }
    if (!authorized(req)) {
      req.resume();
      return send(res, 401, {
        error: { code: 'unauthenticated', message: 'invalid auth credentials' },
      });
    }
    let body: Record<string, unknown>;
    try {
      body = await readJson(req, config.maxBodyBytes);
    } catch (err) {
      const tooLarge = (err as Error).message === 'too large';
      return send(res, tooLarge ? 413 : 400, {
        error: {
          code: tooLarge ? 'resource_exhausted' : 'invalid_argument',
          message: tooLarge ? 'request body too large' : 'request body is not a JSON object',
        },
      });
    }
    if (path === CREATE_SESSION) {
      const user = Buffer.from((req.headers.authorization ?? '').slice(6), 'base64')
        .toString('latin1')
        .split(':')[0];
      return send(res, 200, {
        branch: config.mysql.database,
        user: { username: user, psid: 'local', role: 'admin' },
        session: sessionJson(randomUUID(), false),
      });
    }
    const out = (await execute(body)) as { error?: { code: string } };
    // Losing the database is a transport failure (503), as PlanetScale's edge reports it.
    send(res, out.error?.code === 'UNAVAILABLE' ? 503 : 200, out);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${config.host}:${port}`,
    port,
    stats: () => ({ pinnedSessions: sessions.pinnedCount }),
    async close() {
      sessions.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await new Promise<void>((resolve) => pool.end(() => resolve()));
    },
  };
}

function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function seconds(startedMs: number): number {
  return (performance.now() - startedMs) / 1000;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readJson(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
          throw new Error('not an object');
        resolve(parsed as Record<string, unknown>);
      } catch {
        reject(new Error('bad json'));
      }
    });
    req.on('error', reject);
  });
}
