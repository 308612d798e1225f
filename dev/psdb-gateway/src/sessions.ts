// Session model of the PlanetScale HTTP API over a mysql2 pool.
// A session that opens a transaction (or sets connection state) pins one pooled connection; every
// request on that session then runs on it strictly in order, until the transaction ends. An idle
// pinned connection is destroyed (MySQL rolls the transaction back) and the session is remembered as
// ended, so a later statement in it fails with ABORTED instead of silently running in autocommit.
import type { Pool, PoolConnection, QueryError } from 'mysql2';

const SERVER_STATUS_IN_TRANS = 0x0001;
const ENDED_MEMORY = 10_000;

// Statements whose effect lives in the connection: vtgate keeps them in the session, so we pin.
const SESSION_STATE =
  /^\s*(?:set\b|use\b|lock\s+tables?\b|create\s+temporary\s+table\b)|\bget_lock\s*\(/i;

export interface StatementResult {
  rows?: Array<Array<Buffer | null>>;
  fields?: unknown[];
  header?: { affectedRows: number; insertId: number | string; serverStatus: number };
}

export class SqlError extends Error {
  readonly kind: 'sql' | 'aborted' | 'unavailable' | 'deadline';

  constructor(kind: SqlError['kind'], message: string) {
    super(message);
    this.kind = kind;
  }
}

interface Pin {
  id: string;
  conn: PoolConnection;
  inTransaction: boolean;
  sessionState: boolean;
  tail: Promise<unknown>;
  pending: number;
  timer?: NodeJS.Timeout;
  closed: boolean;
}

export interface Outcome {
  result?: StatementResult;
  error?: SqlError;
  inTransaction: boolean;
}

export interface SessionOptions {
  pool: Pool;
  idleTimeoutMs: number;
  queryTimeoutMs: number;
  acquireTimeoutMs: number;
}

export class SessionManager {
  private readonly pins = new Map<string, Pin>();
  private readonly ended = new Map<string, string>();

  private readonly options: SessionOptions;

  constructor(options: SessionOptions) {
    this.options = options;
  }

  get pinnedCount(): number {
    return this.pins.size;
  }

  /** Runs one statement for a session; never rejects. */
  async run(sessionId: string, claimsTransaction: boolean, sql: string): Promise<Outcome> {
    const pin = this.pins.get(sessionId);
    if (pin) return this.runPinned(pin, sql);
    if (claimsTransaction) {
      const why = this.ended.get(sessionId) ?? 'not found (the gateway may have restarted)';
      return {
        inTransaction: false,
        error: new SqlError('aborted', `transaction for session ${sessionId} ended: ${why}`),
      };
    }
    return this.runUnpinned(sessionId, sql);
  }

  private async runUnpinned(sessionId: string, sql: string): Promise<Outcome> {
    let conn: PoolConnection;
    try {
      conn = await this.acquire();
    } catch (err) {
      return { inTransaction: false, error: unavailable(err) };
    }
    let outcome: { result?: StatementResult; error?: QueryError };
    try {
      outcome = { result: await this.query(conn, sql) };
    } catch (err) {
      outcome = { error: err as QueryError };
    }
    if (outcome.error) {
      if (isFatal(outcome.error)) {
        conn.destroy();
        return { inTransaction: false, error: toSqlError(outcome.error) };
      }
      conn.release();
      return { inTransaction: false, error: toSqlError(outcome.error) };
    }
    const inTransaction = outcome.result?.header
      ? (outcome.result.header.serverStatus & SERVER_STATUS_IN_TRANS) !== 0
      : false;
    const sessionState = SESSION_STATE.test(sql);
    if (inTransaction || sessionState) {
      const pin: Pin = {
        id: sessionId,
        conn,
        inTransaction,
        sessionState,
        tail: Promise.resolve(),
        pending: 0,
        closed: false,
      };
      this.pins.set(sessionId, pin);
      this.arm(pin);
    } else {
      conn.release();
    }
    return { result: outcome.result, inTransaction };
  }

  private runPinned(pin: Pin, sql: string): Promise<Outcome> {
    pin.pending++;
    if (pin.timer) clearTimeout(pin.timer);
    const job = pin.tail.then(() => this.executeOnPin(pin, sql));
    pin.tail = job.catch(() => undefined);
    return job;
  }

  private async executeOnPin(pin: Pin, sql: string): Promise<Outcome> {
    try {
      if (pin.closed) {
        // The pin ended while this request waited behind it (COMMIT or a lost connection).
        const why = this.ended.get(pin.id);
        if (why) {
          return {
            inTransaction: false,
            error: new SqlError('aborted', `transaction for session ${pin.id} ended: ${why}`),
          };
        }
        return await this.run(pin.id, false, sql);
      }
      let result: StatementResult;
      try {
        result = await this.query(pin.conn, sql);
      } catch (err) {
        const error = err as QueryError;
        if (isFatal(error)) {
          this.close(pin, 'connection lost', true);
          return { inTransaction: false, error: toSqlError(error) };
        }
        return { inTransaction: pin.inTransaction, error: toSqlError(error) };
      }
      if (result.header) {
        pin.inTransaction = (result.header.serverStatus & SERVER_STATUS_IN_TRANS) !== 0;
      }
      if (SESSION_STATE.test(sql)) pin.sessionState = true;
      const inTransaction = pin.inTransaction;
      if (!pin.inTransaction && !pin.sessionState) this.close(pin, undefined, false);
      return { result, inTransaction };
    } finally {
      pin.pending--;
      if (!pin.closed && pin.pending === 0) this.arm(pin);
    }
  }

  private arm(pin: Pin): void {
    if (pin.timer) clearTimeout(pin.timer);
    pin.timer = setTimeout(() => {
      if (pin.pending > 0 || pin.closed) return;
      // Destroying the connection makes the server roll back whatever the session left open.
      this.close(pin, 'idle timeout', true);
    }, this.options.idleTimeoutMs);
    pin.timer.unref();
  }

  private close(pin: Pin, endedWhy: string | undefined, destroy: boolean): void {
    if (pin.closed) return;
    pin.closed = true;
    if (pin.timer) clearTimeout(pin.timer);
    this.pins.delete(pin.id);
    if (endedWhy && pin.inTransaction) this.remember(pin.id, endedWhy);
    if (destroy) pin.conn.destroy();
    else pin.conn.release();
  }

  private remember(id: string, why: string): void {
    this.ended.set(id, why);
    if (this.ended.size > ENDED_MEMORY) {
      const oldest = this.ended.keys().next().value;
      if (oldest !== undefined) this.ended.delete(oldest);
    }
  }

  private acquire(): Promise<PoolConnection> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        reject(new Error(`no database connection within ${this.options.acquireTimeoutMs} ms`));
      }, this.options.acquireTimeoutMs);
      this.options.pool.getConnection((err, conn) => {
        clearTimeout(timer);
        if (settled) {
          if (conn) conn.release();
          return;
        }
        settled = true;
        if (err) reject(err);
        else resolve(conn);
      });
    });
  }

  private query(conn: PoolConnection, sql: string): Promise<StatementResult> {
    return new Promise((resolve, reject) => {
      conn.query(
        { sql, rowsAsArray: true, typeCast: false, timeout: this.options.queryTimeoutMs },
        (err, rows, fields) => {
          if (err) return reject(err);
          if (Array.isArray(rows)) {
            resolve({
              rows: rows as unknown as Array<Array<Buffer | null>>,
              fields: fields as unknown[],
            });
          } else {
            resolve({ header: rows as unknown as NonNullable<StatementResult['header']> });
          }
        },
      );
    });
  }

  /** Closes every pinned connection (server shutdown). */
  closeAll(): void {
    for (const pin of [...this.pins.values()]) this.close(pin, 'gateway shutting down', true);
  }
}

function isFatal(err: QueryError): boolean {
  return (
    Boolean((err as { fatal?: boolean }).fatal) ||
    !err.errno ||
    err.code === 'PROTOCOL_SEQUENCE_TIMEOUT'
  );
}

function toSqlError(err: QueryError): SqlError {
  if (err.code === 'PROTOCOL_SEQUENCE_TIMEOUT') return new SqlError('deadline', err.message);
  if (isFatal(err)) return unavailable(err);
  const state = err.sqlState ?? 'HY000';
  const text = (err as QueryError & { sqlMessage?: string }).sqlMessage ?? err.message;
  return new SqlError('sql', `${text} (errno ${err.errno}) (sqlstate ${state})`);
}

function unavailable(err: unknown): SqlError {
  const message =
    err instanceof Error ? err.message || (err as { code?: string }).code || 'error' : String(err);
  return new SqlError('unavailable', `database unavailable: ${message}`);
}
