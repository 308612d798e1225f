// A local stand-in for the Toss Payments core API (v1), speaking its documented HTTP shapes: Basic auth with the
// secret key, `POST /v1/payments/confirm`, `GET /v1/payments/{paymentKey}`, `GET /v1/payments/orders/{orderId}`,
// `POST /v1/payments/{paymentKey}/cancel`, `POST /v1/billing/authorizations/issue`, `POST /v1/billing/{billingKey}`,
// errors as `{ code, message }`, and `Idempotency-Key` (the same key answers the same response).
// The payment window is replaced by `POST /_fake/window/approve` ({ orderId, amount, orderName? } → the
// `paymentKey` the widget's success redirect would carry) and `POST /_fake/window/billing-auth` ({ customerKey }
// → `authKey`). Tests steer faults with `POST /_fake/faults` ({ op, mode: fail|timeout|late|decline, times }),
// read calls with `GET /_fake/calls`, and move virtual accounts with `POST /_fake/deposit` and
// `POST /_fake/deposit-revert` ({ paymentKey }). Webhooks are posted by the tests themselves, as Toss would.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

type Status =
  | 'READY'
  | 'IN_PROGRESS'
  | 'WAITING_FOR_DEPOSIT'
  | 'DONE'
  | 'CANCELED'
  | 'PARTIAL_CANCELED'
  | 'ABORTED'
  | 'EXPIRED';
type Op = 'confirm' | 'get' | 'cancel' | 'billing-issue' | 'billing-charge';
type Mode = 'fail' | 'timeout' | 'late' | 'decline';

export interface FakePayment {
  mId: string;
  version: string;
  paymentKey: string;
  orderId: string;
  orderName: string;
  status: Status;
  type: 'NORMAL' | 'BILLING';
  method: string | null;
  currency: 'KRW';
  totalAmount: number;
  balanceAmount: number;
  suppliedAmount: number;
  vat: number;
  taxFreeAmount: number;
  requestedAt: string;
  approvedAt: string | null;
  lastTransactionKey: string | null;
  cancels: Array<{
    transactionKey: string;
    cancelAmount: number;
    cancelReason: string;
    canceledAt: string;
    refundableAmount: number;
    cancelStatus: 'DONE';
  }> | null;
  secret: string | null;
  card: { issuerCode: string; number: string; approveNo: string; cardType: string } | null;
  virtualAccount: { accountNumber: string; bank: string; dueDate: string } | null;
  isPartialCancelable: boolean;
  receipt: { url: string } | null;
  failure: { code: string; message: string } | null;
}

export interface FakeTossOptions {
  port?: number;
  secretKey: string;
  /** Seconds a "timeout" fault holds the request before answering nothing (the client's timeout fires first). */
  timeoutHoldMs?: number;
}

/**
 * A time as Toss writes it: the wall clock in Asia/Seoul (UTC+9, no daylight saving) with that
 * offset.
 */
export function kstTimestamp(at: Date = new Date()): string {
  return `${new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, 19)}+09:00`;
}
const now = () => kstTimestamp();
const key = (prefix: string) => `${prefix}${randomBytes(12).toString('base64url')}`;

export function startFakeToss(opts: FakeTossOptions) {
  const payments = new Map<string, FakePayment>();
  /** Window-approved orders waiting for confirm: paymentKey → { orderId, amount, orderName, method }. */
  const approvals = new Map<
    string,
    { orderId: string; amount: number; orderName: string; method: string }
  >();
  const authKeys = new Map<string, string>();
  const billingKeys = new Map<string, { customerKey: string }>();
  const idempotent = new Map<string, { status: number; body: unknown }>();
  const faults: Array<{ op: Op; mode: Mode; times: number }> = [];
  const calls: Array<{
    op: Op | 'other';
    method: string;
    path: string;
    idempotencyKey: string | null;
    body: unknown;
    at: string;
  }> = [];
  const expected = `Basic ${Buffer.from(`${opts.secretKey}:`).toString('base64')}`;

  function takeFault(op: Op): Mode | null {
    const f = faults.find((x) => x.op === op && x.times > 0);
    if (!f) return null;
    f.times--;
    return f.mode;
  }

  function send(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  }

  function newPayment(
    orderId: string,
    orderName: string,
    amount: number,
    type: FakePayment['type'],
    method: string,
    paymentKey = key('tgen_'),
  ): FakePayment {
    const supplied = Math.round(amount / 1.1);
    return {
      mId: 'tosspayments',
      version: '2022-11-16',
      paymentKey,
      orderId,
      orderName,
      status: 'DONE',
      type,
      method,
      currency: 'KRW',
      totalAmount: amount,
      balanceAmount: amount,
      suppliedAmount: supplied,
      vat: amount - supplied,
      taxFreeAmount: 0,
      requestedAt: now(),
      approvedAt: now(),
      lastTransactionKey: key('txrd_'),
      cancels: null,
      secret: method === '가상계좌' ? key('ps_') : null,
      card:
        method === '카드'
          ? {
              issuerCode: '61',
              number: '43301234****123*',
              approveNo: String(Math.floor(Math.random() * 1e8)).padStart(8, '0'),
              cardType: '신용',
            }
          : null,
      virtualAccount:
        method === '가상계좌'
          ? {
              accountNumber: '0000000000000',
              bank: '우리',
              dueDate: kstTimestamp(new Date(Date.now() + 86_400_000)),
            }
          : null,
      isPartialCancelable: true,
      receipt: {
        url: `https://dashboard.tosspayments.com/receipt/redirection?transactionId=${paymentKey}`,
      },
      failure: null,
    };
  }

  async function route(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    let body: Record<string, unknown> = {};
    if (raw) {
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return send(res, 400, { code: 'INVALID_REQUEST', message: '잘못된 요청입니다.' });
      }
    }

    // Test and window controls (no auth: local only).
    if (path.startsWith('/_fake/')) {
      if (path === '/_fake/window/approve' && req.method === 'POST') {
        const paymentKey = key('tgen_');
        approvals.set(paymentKey, {
          orderId: String(body.orderId),
          amount: Number(body.amount),
          orderName: String(body.orderName ?? 'order'),
          method: String(body.method ?? '카드'),
        });
        return send(res, 200, { paymentKey, orderId: body.orderId, amount: Number(body.amount) });
      }
      if (path === '/_fake/window/billing-auth' && req.method === 'POST') {
        const authKey = key('bln_');
        authKeys.set(authKey, String(body.customerKey));
        return send(res, 200, { authKey, customerKey: body.customerKey });
      }
      if (path === '/_fake/faults' && req.method === 'POST') {
        faults.push({ op: body.op as Op, mode: body.mode as Mode, times: Number(body.times ?? 1) });
        return send(res, 200, { faults });
      }
      if (path === '/_fake/faults' && req.method === 'DELETE') {
        faults.length = 0;
        return send(res, 200, { faults });
      }
      if (path === '/_fake/calls' && req.method === 'GET') return send(res, 200, { calls });
      // A virtual account: the money arrives (DONE), or a deposit is reverted by the bank (back to waiting).
      if (
        (path === '/_fake/deposit' || path === '/_fake/deposit-revert') &&
        req.method === 'POST'
      ) {
        const p = payments.get(String(body.paymentKey));
        if (!p) return send(res, 404, { code: 'NOT_FOUND_PAYMENT', message: 'no such payment' });
        p.status = path === '/_fake/deposit' ? 'DONE' : 'WAITING_FOR_DEPOSIT';
        p.approvedAt = p.status === 'DONE' ? now() : null;
        p.lastTransactionKey = key('txrd_');
        return send(res, 200, p);
      }
      if (path.startsWith('/_fake/payments/') && req.method === 'GET')
        return send(
          res,
          200,
          payments.get(decodeURIComponent(path.slice('/_fake/payments/'.length))) ?? null,
        );
      return send(res, 404, { code: 'NOT_FOUND', message: path });
    }

    const op: Op | 'other' =
      path === '/v1/payments/confirm'
        ? 'confirm'
        : path.endsWith('/cancel')
          ? 'cancel'
          : path === '/v1/billing/authorizations/issue'
            ? 'billing-issue'
            : path.startsWith('/v1/billing/')
              ? 'billing-charge'
              : req.method === 'GET'
                ? 'get'
                : 'other';
    const idempotencyKey = (req.headers['idempotency-key'] as string | undefined) ?? null;
    calls.push({
      op,
      method: req.method ?? 'GET',
      path,
      idempotencyKey,
      body,
      at: new Date().toISOString(),
    });
    if (req.headers.authorization !== expected)
      return send(res, 401, {
        code: 'UNAUTHORIZED_KEY',
        message: '인증되지 않은 시크릿 키 혹은 클라이언트 키 입니다.',
      });
    if (idempotencyKey && req.method === 'POST') {
      const seen = idempotent.get(`${path}:${idempotencyKey}`);
      if (seen) return send(res, seen.status, seen.body);
    }
    const fault = op === 'other' ? null : takeFault(op);
    if (fault === 'timeout') {
      // Holds the connection without answering; the work is not done (the client retries with the same key).
      await new Promise((r) => setTimeout(r, opts.timeoutHoldMs ?? 30_000));
      res.destroy();
      return;
    }
    if (fault === 'fail')
      return send(res, 500, {
        code: 'FAILED_INTERNAL_SYSTEM_PROCESSING',
        message: '내부 시스템 처리 작업이 실패했습니다. 잠시 후 다시 시도해주세요.',
      });
    const remember = (status: number, out: unknown) => {
      if (idempotencyKey && req.method === 'POST')
        idempotent.set(`${path}:${idempotencyKey}`, { status, body: out });
      return send(res, status, out);
    };
    // "late": the work is done, but the answer is lost (the client sees a failure; a retry with the same key gets it).
    const lose = fault === 'late';

    if (op === 'confirm' && req.method === 'POST') {
      const paymentKey = String(body.paymentKey ?? '');
      const existing = payments.get(paymentKey);
      if (existing)
        return remember(400, {
          code: 'ALREADY_PROCESSED_PAYMENT',
          message: '이미 처리된 결제 입니다.',
        });
      const approval = approvals.get(paymentKey);
      if (!approval)
        return remember(404, {
          code: 'NOT_FOUND_PAYMENT_SESSION',
          message: '결제 시간이 만료되어 결제 진행 데이터가 존재하지 않습니다.',
        });
      if (approval.orderId !== body.orderId || approval.amount !== Number(body.amount))
        return remember(400, {
          code: 'INVALID_REQUEST',
          message: '결제 금액 또는 주문번호가 일치하지 않습니다.',
        });
      if (fault === 'decline')
        return remember(403, {
          code: 'REJECT_CARD_PAYMENT',
          message: '한도초과 혹은 잔액부족으로 결제에 실패했습니다.',
        });
      const p = newPayment(
        approval.orderId,
        approval.orderName,
        approval.amount,
        'NORMAL',
        approval.method,
        paymentKey,
      );
      if (approval.method === '가상계좌') {
        p.status = 'WAITING_FOR_DEPOSIT';
        p.approvedAt = null;
      }
      payments.set(paymentKey, p);
      approvals.delete(paymentKey);
      if (lose) {
        if (idempotencyKey) idempotent.set(`${path}:${idempotencyKey}`, { status: 200, body: p });
        res.destroy();
        return;
      }
      return remember(200, p);
    }
    const orderMatch = /^\/v1\/payments\/orders\/([^/]+)$/.exec(path);
    if (orderMatch && req.method === 'GET') {
      const p = [...payments.values()].find((x) => x.orderId === decodeURIComponent(orderMatch[1]));
      return p
        ? send(res, 200, p)
        : send(res, 404, { code: 'NOT_FOUND_PAYMENT', message: '존재하지 않는 결제 정보 입니다.' });
    }
    const cancelMatch = /^\/v1\/payments\/([^/]+)\/cancel$/.exec(path);
    if (cancelMatch && req.method === 'POST') {
      const p = payments.get(decodeURIComponent(cancelMatch[1]));
      if (!p)
        return remember(404, {
          code: 'NOT_FOUND_PAYMENT',
          message: '존재하지 않는 결제 정보 입니다.',
        });
      if (p.status === 'CANCELED')
        return remember(400, {
          code: 'ALREADY_CANCELED_PAYMENT',
          message: '이미 취소된 결제 입니다.',
        });
      const amount = body.cancelAmount === undefined ? p.balanceAmount : Number(body.cancelAmount);
      if (!Number.isInteger(amount) || amount <= 0 || amount > p.balanceAmount)
        return remember(400, {
          code: 'INVALID_CANCEL_AMOUNT',
          message: '취소 금액이 올바르지 않습니다.',
        });
      p.balanceAmount -= amount;
      p.status = p.balanceAmount === 0 ? 'CANCELED' : 'PARTIAL_CANCELED';
      p.lastTransactionKey = key('txrd_');
      p.cancels = [
        ...(p.cancels ?? []),
        {
          transactionKey: p.lastTransactionKey,
          cancelAmount: amount,
          cancelReason: String(body.cancelReason ?? ''),
          canceledAt: now(),
          refundableAmount: p.balanceAmount,
          cancelStatus: 'DONE',
        },
      ];
      return remember(200, p);
    }
    const getMatch = /^\/v1\/payments\/([^/]+)$/.exec(path);
    if (getMatch && req.method === 'GET') {
      const p = payments.get(decodeURIComponent(getMatch[1]));
      return p
        ? send(res, 200, p)
        : send(res, 404, { code: 'NOT_FOUND_PAYMENT', message: '존재하지 않는 결제 정보 입니다.' });
    }
    if (op === 'billing-issue' && req.method === 'POST') {
      const customer = authKeys.get(String(body.authKey ?? ''));
      if (!customer || customer !== body.customerKey)
        return remember(400, { code: 'INVALID_AUTH_KEY', message: '유효하지 않은 인증 키입니다.' });
      authKeys.delete(String(body.authKey));
      const billingKey = key('bk_');
      billingKeys.set(billingKey, { customerKey: customer });
      return remember(200, {
        mId: 'tosspayments',
        customerKey: customer,
        authenticatedAt: now(),
        method: '카드',
        billingKey,
        cardCompany: '현대',
        cardNumber: '43301234****123*',
        card: { issuerCode: '61', number: '43301234****123*', cardType: '신용' },
      });
    }
    const billingMatch = /^\/v1\/billing\/([^/]+)$/.exec(path);
    if (billingMatch && req.method === 'POST') {
      const billing = billingKeys.get(decodeURIComponent(billingMatch[1]));
      if (!billing || billing.customerKey !== body.customerKey)
        return remember(404, {
          code: 'NOT_FOUND_BILLING',
          message: '존재하지 않는 빌링키 입니다.',
        });
      if (fault === 'decline')
        return remember(403, {
          code: 'REJECT_CARD_PAYMENT',
          message: '한도초과 혹은 잔액부족으로 결제에 실패했습니다.',
        });
      const existing = [...payments.values()].find((x) => x.orderId === body.orderId);
      if (existing)
        return remember(400, {
          code: 'DUPLICATED_ORDER_ID',
          message: '이미 승인 및 취소가 진행된 중복된 주문번호 입니다.',
        });
      const p = newPayment(
        String(body.orderId),
        String(body.orderName ?? 'subscription'),
        Number(body.amount),
        'BILLING',
        '카드',
      );
      payments.set(p.paymentKey, p);
      if (lose) {
        if (idempotencyKey) idempotent.set(`${path}:${idempotencyKey}`, { status: 200, body: p });
        res.destroy();
        return;
      }
      return remember(200, p);
    }
    return send(res, 404, { code: 'NOT_FOUND', message: `no route for ${req.method} ${path}` });
  }

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      route(req, res, raw).catch((err: unknown) =>
        send(res, 500, { code: 'FAKE_ERROR', message: String(err) }),
      );
    });
  });
  return new Promise<{ server: Server; url: string; payments: Map<string, FakePayment> }>(
    (resolve) =>
      server.listen(opts.port ?? 0, '127.0.0.1', () => {
        const address = server.address();
        const port = typeof address === 'object' && address ? address.port : 0;
        resolve({ server, url: `http://127.0.0.1:${port}`, payments });
      }),
  );
}
