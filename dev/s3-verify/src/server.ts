// The verifying front of the local object store: every request must carry a valid SigV4 signature (header or
// presigned URL, unexpired, the store's own key) before it is passed to s3rver, which checks none of that.
// CORS preflights (OPTIONS) pass unsigned, as on S3.
import { randomUUID } from 'node:crypto';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { errorXml, verifyRequest, type Credentials } from './verify.ts';

export interface VerifyProxyOptions {
  port: number;
  host?: string;
  backend: { host: string; port: number };
  credentials: Credentials;
  log?: (line: string) => void;
}

function forward(
  req: IncomingMessage,
  res: ServerResponse,
  backend: VerifyProxyOptions['backend'],
): void {
  const upstream = httpRequest(
    {
      host: backend.host,
      port: backend.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
    },
    (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/xml' });
    res.end(
      errorXml(
        'ServiceUnavailable',
        'The object store behind the verifier is unreachable.',
        randomUUID(),
      ),
    );
  });
  req.pipe(upstream);
}

export function startVerifyProxy(opts: VerifyProxyOptions): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method === 'OPTIONS') return forward(req, res, opts.backend);
    verifyRequest(
      { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers },
      opts.credentials,
    )
      .then((verdict) => {
        if (verdict.ok) return forward(req, res, opts.backend);
        opts.log?.(
          JSON.stringify({
            level: 'warn',
            msg: 's3 request refused',
            method: req.method,
            path: (req.url ?? '').split('?')[0],
            code: verdict.code,
          }),
        );
        res.writeHead(verdict.status, {
          'content-type': 'application/xml',
          'access-control-allow-origin': req.headers.origin ?? '*',
        });
        res.end(
          req.method === 'HEAD' ? undefined : errorXml(verdict.code, verdict.message, randomUUID()),
        );
        req.resume();
      })
      .catch(() => {
        res.writeHead(400, { 'content-type': 'application/xml' });
        res.end(errorXml('InvalidRequest', 'The request could not be verified.', randomUUID()));
        req.resume();
      });
  });
  return new Promise((resolve) =>
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve(server)),
  );
}
