// A local stand-in for AWS Elemental MediaConvert's REST API (version 2017-08-29), enough for the real
// @aws-sdk/client-mediaconvert: CreateJob (POST /2017-08-29/jobs), GetJob (GET /2017-08-29/jobs/{id}) and
// CancelJob (DELETE /2017-08-29/jobs/{id}). It accepts jobs and never runs them: tests drive job state with
// EventBridge "MediaConvert Job State Change" fixtures. `GET /_fake/jobs` lists what was created (for tests).
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface FakeJob {
  id: string;
  arn: string;
  status: 'SUBMITTED' | 'PROGRESSING' | 'COMPLETE' | 'CANCELED' | 'ERROR';
  createdAt: number;
  request: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

export function startFakeMediaConvert(
  port = 0,
): Promise<{ server: Server; url: string; jobs: FakeJob[] }> {
  const jobs: FakeJob[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, {
          'content-type': 'application/json',
          'x-amzn-requestid': randomUUID(),
        });
        res.end(JSON.stringify(body));
      };
      const path = (req.url ?? '/').split('?')[0];
      // SigV4 is required, as by AWS (the signature itself is not checked here).
      if (
        !path.startsWith('/_fake') &&
        !String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256 ')
      )
        return send(403, { message: 'Missing Authentication Token' });
      if (req.method === 'POST' && path === '/2017-08-29/jobs') {
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        } catch {
          return send(400, { message: 'body is not JSON' });
        }
        if (!body.role || !body.settings)
          return send(400, { message: 'role and settings are required' });
        const id = `${Date.now()}-${randomUUID().slice(0, 6)}`;
        const job: FakeJob = {
          id,
          arn: `arn:aws:mediaconvert:ap-northeast-2:000000000000:jobs/${id}`,
          status: 'SUBMITTED',
          createdAt: Math.floor(Date.now() / 1000),
          request: body,
          headers: req.headers,
        };
        jobs.push(job);
        return send(201, {
          job: {
            id,
            arn: job.arn,
            status: job.status,
            createdAt: job.createdAt,
            role: body.role,
            queue: body.queue,
            settings: body.settings,
            userMetadata: body.userMetadata,
          },
        });
      }
      const m = /^\/2017-08-29\/jobs\/([\w-]+)$/.exec(path);
      if (m) {
        const job = jobs.find((j) => j.id === m[1]);
        if (!job) return send(404, { message: 'job not found' });
        if (req.method === 'DELETE') {
          job.status = 'CANCELED';
          return send(202, {});
        }
        return send(200, {
          job: {
            id: job.id,
            arn: job.arn,
            status: job.status,
            createdAt: job.createdAt,
            settings: job.request.settings,
            userMetadata: job.request.userMetadata,
          },
        });
      }
      if (req.method === 'GET' && path === '/_fake/jobs') return send(200, { jobs });
      return send(404, { message: `no route for ${req.method} ${path}` });
    });
  });
  return new Promise((resolve) =>
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolve({ server, url: `http://127.0.0.1:${actual}`, jobs });
    }),
  );
}
