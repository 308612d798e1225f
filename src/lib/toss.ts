// Toss Payments core API (v1) over fetch: Basic auth with the secret key, JSON bodies, errors `{ code, message }`.
// Every state-changing call carries an Idempotency-Key, so a call retried after a timeout or a lost answer is
// applied once by Toss. Timeouts and 5xx are retried with the same key; 4xx are answers.
import type { Env } from '../env.ts';

export interface TossPayment {
  paymentKey: string;
  orderId: string;
  orderName?: string;
  status:
    | 'READY'
    | 'IN_PROGRESS'
    | 'WAITING_FOR_DEPOSIT'
    | 'DONE'
    | 'CANCELED'
    | 'PARTIAL_CANCELED'
    | 'ABORTED'
    | 'EXPIRED';
  method?: string | null;
  totalAmount: number;
  balanceAmount: number;
  approvedAt?: string | null;
  secret?: string | null;
  lastTransactionKey?: string | null;
  cancels?: Array<{ transactionKey: string; cancelAmount: number; canceledAt: string }> | null;
  [key: string]: unknown;
}

export interface TossBilling {
  billingKey: string;
  customerKey: string;
  cardCompany?: string;
  cardNumber?: string;
  [key: string]: unknown;
}

/** A definite answer from Toss that the operation did not happen (declined, invalid, not found). */
export class TossRejected extends Error {
  readonly code: string;
  readonly status: number;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** No definite answer (timeouts, network errors, 5xx after retries): the outcome is unknown. */
export class TossUnavailable extends Error {}

type TossEnv = Pick<Env, 'TOSS_API_URL' | 'TOSS_SECRET_KEY' | 'TOSS_TIMEOUT_MS'>;

export class TossClient {
  private readonly env: TossEnv;
  private readonly attempts: number;

  constructor(env: TossEnv, attempts = 3) {
    this.env = env;
    this.attempts = attempts;
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Basic ${btoa(`${this.env.TOSS_SECRET_KEY}:`)}`,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey.slice(0, 300);
    let last: unknown;
    for (let i = 0; i < this.attempts; i++) {
      try {
        const res = await fetch(`${this.env.TOSS_API_URL.replace(/\/$/, '')}${path}`, {
          method,
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.env.TOSS_TIMEOUT_MS),
        });
        const text = await res.text();
        if (res.ok) return JSON.parse(text) as T;
        const err = (() => {
          try {
            return JSON.parse(text) as { code?: string; message?: string };
          } catch {
            return {};
          }
        })();
        if (res.status < 500)
          throw new TossRejected(
            res.status,
            err.code ?? `HTTP_${res.status}`,
            err.message ?? text.slice(0, 200),
          );
        last = new TossUnavailable(`Toss ${method} ${path}: ${res.status} ${err.code ?? ''}`);
      } catch (err) {
        if (err instanceof TossRejected) throw err;
        last = err;
      }
      // Only calls that are safe to repeat are retried: reads, and writes with an idempotency key.
      if (method === 'POST' && !idempotencyKey) break;
      await new Promise((r) => setTimeout(r, 200 * 2 ** i));
    }
    throw last instanceof TossUnavailable
      ? last
      : new TossUnavailable(`Toss ${method} ${path}: ${(last as Error)?.message ?? 'no answer'}`);
  }

  confirm(
    input: { paymentKey: string; orderId: string; amount: number },
    idempotencyKey: string,
  ): Promise<TossPayment> {
    return this.call('POST', '/v1/payments/confirm', input, idempotencyKey);
  }

  get(paymentKey: string): Promise<TossPayment> {
    return this.call('GET', `/v1/payments/${encodeURIComponent(paymentKey)}`);
  }

  getByOrder(orderId: string): Promise<TossPayment> {
    return this.call('GET', `/v1/payments/orders/${encodeURIComponent(orderId)}`);
  }

  cancel(
    paymentKey: string,
    input: { cancelReason: string; cancelAmount?: number },
    idempotencyKey: string,
  ): Promise<TossPayment> {
    return this.call(
      'POST',
      `/v1/payments/${encodeURIComponent(paymentKey)}/cancel`,
      input,
      idempotencyKey,
    );
  }

  issueBillingKey(
    input: { authKey: string; customerKey: string },
    idempotencyKey: string,
  ): Promise<TossBilling> {
    return this.call('POST', '/v1/billing/authorizations/issue', input, idempotencyKey);
  }

  chargeBilling(
    billingKey: string,
    input: { customerKey: string; amount: number; orderId: string; orderName: string },
    idempotencyKey: string,
  ): Promise<TossPayment> {
    return this.call(
      'POST',
      `/v1/billing/${encodeURIComponent(billingKey)}`,
      input,
      idempotencyKey,
    );
  }
}
