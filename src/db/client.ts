// The database client, built per request from env: the PlanetScale driver is plain fetch, so there is
// no connection to keep, and a module-level singleton would leak one request's state into another.
//
// Every statement has a deadline (an abort signal on the driver's fetch), and every way of not reaching
// the database — refused or reset connection, deadline passed, the HTTP edge or the gateway answering
// "unavailable" — is turned into one error, DatabaseUnavailableError, that the error handler answers with
// 503 SERVICE_UNAVAILABLE and Retry-After. See docs/architecture.md "Failure behaviour".
import { Client, DatabaseError } from '@planetscale/database';
import { drizzle } from 'drizzle-orm/planetscale-serverless';
import * as schema from './schema/index.ts';

export interface DbStats {
  /** HTTP round trips to the database made through this client. */
  roundTrips: number;
}

/**
 * Deadline of one statement (one HTTP round trip) when the caller names none;
 * DB_STATEMENT_TIMEOUT_MS.
 */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;

export interface DbOptions {
  /** Deadline of each statement, in milliseconds. */
  timeoutMs?: number;
  /**
   * After the first statement that could not reach the database, every later statement of this
   * client fails at once with the same error instead of waiting out its own deadline (a request
   * answers within one deadline). For per-request clients only: a long-lived client would stay
   * broken.
   */
  failFast?: boolean;
  /**
   * Keeps background work alive (the Worker's waitUntil): the ROLLBACK of a transaction cut off by
   * a failure.
   */
  background?: (work: Promise<unknown>) => void;
}

// The background ROLLBACK of a transaction cut off by an outage: tries of 1 s for up to ~25 s
// (within the 30 s a Worker may keep working after its answer).
const ROLLBACK_ATTEMPTS = 20;
const ROLLBACK_ATTEMPT_MS = 1_000;

export type OutageReason = 'timeout' | 'unreachable' | 'unavailable';

/** The database could not be reached or did not answer in time. Safe to retry (503). */
export class DatabaseUnavailableError extends Error {
  readonly reason: OutageReason;

  constructor(reason: OutageReason, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
    this.reason = reason;
  }
}

// Codes of the PlanetScale API (and of the local gateway) that mean "not now", never "your
// statement is wrong". ABORTED: the session's transaction was ended under it (gateway restart, idle
// timeout) — nothing committed.
const UNAVAILABLE_CODES = new Set([
  'unavailable',
  'deadline_exceeded',
  'resource_exhausted',
  'aborted',
]);
// MySQL: lock wait timeout (1205), too many connections (1040), server shutting down (1053), query
// interrupted by max_execution_time (3024).
const UNAVAILABLE_ERRNO = /\(errno (?:1205|1040|1053|3024)\)/;

/**
 * The outage behind an error, if it is one: walks the cause chain (drizzle wraps the driver's
 * error). The one place that decides what counts as "database unavailable".
 */
export function databaseOutage(err: unknown): DatabaseUnavailableError | null {
  let current: unknown = err;
  for (let depth = 0; depth < 6 && current; depth++) {
    if (current instanceof DatabaseUnavailableError) return current;
    if (current instanceof DatabaseError) {
      const code = String(
        (current.body as { code?: unknown } | undefined)?.code ?? '',
      ).toLowerCase();
      if (
        UNAVAILABLE_CODES.has(code) ||
        current.status === 502 ||
        current.status === 503 ||
        current.status === 504 ||
        current.status >= 520
      ) {
        return new DatabaseUnavailableError(
          code === 'deadline_exceeded' ? 'timeout' : 'unavailable',
          current.message,
          { cause: current },
        );
      }
      if (UNAVAILABLE_ERRNO.test(current.message))
        return new DatabaseUnavailableError('unavailable', current.message, { cause: current });
      return null;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

function isRollback(body: RequestInit['body']): boolean {
  if (typeof body !== 'string') return false;
  try {
    return /^\s*rollback\s*$/i.test(String((JSON.parse(body) as { query?: unknown }).query ?? ''));
  } catch {
    return false;
  }
}

export function createDb(url: string, stats: DbStats = { roundTrips: 0 }, options: DbOptions = {}) {
  const timeoutMs = options.timeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
  let tripped: DatabaseUnavailableError | null = null;

  // One round trip, with its deadline covering the body too: the driver then reads an in-memory
  // body.
  async function roundTrip(input: string, init: RequestInit | undefined): Promise<Response> {
    stats.roundTrips++;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const res = await fetch(input, { ...init, signal });
      const body = await res.arrayBuffer();
      if (res.status === 502 || res.status === 503 || res.status === 504 || res.status >= 520) {
        throw new DatabaseUnavailableError('unavailable', `database answered HTTP ${res.status}`);
      }
      return new Response(body, {
        status: res.status,
        statusText: res.statusText,
        headers: res.headers,
      });
    } catch (err) {
      if (err instanceof DatabaseUnavailableError) throw err;
      if (signal.aborted) {
        throw new DatabaseUnavailableError(
          'timeout',
          `database statement exceeded its ${timeoutMs} ms deadline`,
          { cause: err },
        );
      }
      throw new DatabaseUnavailableError(
        'unreachable',
        `database unreachable: ${(err as Error)?.message ?? String(err)}`,
        { cause: err },
      );
    }
  }

  // A request abandoned while the server was frozen may never reach it once it wakes up (the
  // connection was closed under it), so the ROLLBACK is sent again until some answer comes back: a
  // repeat is harmless (the session is one transaction's; an ended one answers ABORTED), and the
  // transaction's locks go within about a second of the database returning instead of at the
  // server's idle timeout.
  async function rollbackUntilDelivered(
    input: string,
    init: RequestInit | undefined,
  ): Promise<void> {
    for (let attempt = 0; attempt < ROLLBACK_ATTEMPTS; attempt++) {
      try {
        const signal = AbortSignal.timeout(ROLLBACK_ATTEMPT_MS);
        await (await fetch(input, { ...init, signal })).arrayBuffer();
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
  }

  const client = new Client({
    url,
    fetch: async (input, init) => {
      if (tripped) {
        // The transaction this ROLLBACK ends may have reached the server: end it there (in the
        // background, so this request does not wait a second deadline); the gateway also rolls back
        // idle sessions.
        if (isRollback(init?.body))
          options.background?.(rollbackUntilDelivered(String(input), init));
        throw new DatabaseUnavailableError(tripped.reason, tripped.message, { cause: tripped });
      }
      try {
        return await roundTrip(String(input), init);
      } catch (err) {
        if (options.failFast && err instanceof DatabaseUnavailableError) tripped = err;
        throw err;
      }
    },
  });
  return drizzle({ client, schema });
}

export type Database = ReturnType<typeof createDb>;
