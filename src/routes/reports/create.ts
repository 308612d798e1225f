// POST /reports — report a posting, a comment or a user (one open report per target).
import { OpenAPIHono, createRoute } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { fileReport } from '../../domain/reports.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';
import { CreateReportBody, FiledReport } from './schema.ts';

export const createReportRoute = createRoute({
  method: 'post',
  path: '/',
  tags: ['reports'],
  summary: 'Report a posting, a comment or a user (one open report per target)',
  middleware: [authRequired] as const,
  request: jsonBody(CreateReportBody),
  responses: {
    201: jsonContent(envelope(FiledReport), 'Filed'),
    ...errorResponses(400, 401, 404, 409),
  },
});

export const create = new OpenAPIHono<AppEnv>().openapi(createReportRoute, async (c) => {
  const b = c.req.valid('json');
  const { db, clock } = c.get('services');
  const report = await fileReport(db, {
    reporterId: viewerId(c),
    targetType: b.target_type,
    targetId: b.target_id,
    reason: b.reason,
    description: b.description,
    now: clock.now(),
  });
  return ok(c, report, { status: 201, message: '신고가 접수되었습니다.' });
});
