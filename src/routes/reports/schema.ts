// Shapes of a report: target and reason accepted in any case, stored in lower case.
import { z } from '@hono/zod-openapi';
import { REPORT_REASONS, REPORT_STATUSES, REPORT_TARGETS } from '../../db/schema/index.ts';

const lower = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((v) => v.toLowerCase())
    .pipe(z.enum(values));

export const CreateReportBody = z.object({
  target_type: lower(REPORT_TARGETS),
  target_id: z.string().min(1).max(36),
  reason: lower(REPORT_REASONS),
  description: z.string().max(1000).nullish(),
});

export const FiledReport = z
  .object({ id: z.string(), status: z.enum(REPORT_STATUSES).openapi({ example: 'pending' }) })
  .openapi('FiledReport');
