// /reports: report a posting, a comment or a user.
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { authRequired, viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { REPORT_REASONS, REPORT_TARGETS } from '../../db/schema/index.ts';
import { fileReport } from '../../domain/reports.ts';
import { ok } from '../../lib/envelope.ts';
import { envelope, errorResponses, jsonBody, jsonContent } from '../../lib/openapi.ts';

export const reportRoutes = new OpenAPIHono<AppEnv>();

const lower = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(values));

reportRoutes.openapi(
  createRoute({
    method: 'post',
    path: '/',
    tags: ['reports'],
    summary: 'Report a posting, a comment or a user (one open report per target)',
    middleware: [authRequired],
    request: jsonBody(
      z.object({
        target_type: lower(REPORT_TARGETS),
        target_id: z.string().min(1).max(36),
        reason: lower(REPORT_REASONS),
        description: z.string().max(1000).nullish(),
      }),
    ),
    responses: {
      201: jsonContent(envelope(z.object({ id: z.string(), status: z.string() })), 'Filed'),
      ...errorResponses(400, 401, 404, 409),
    },
  }),
  async (c) => {
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
  },
);
