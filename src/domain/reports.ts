// Reports of a posting, a comment or a user. The reporter must be able to see what they report
// (through the gate; otherwise 404, as for anything the viewer must not know exists); one open
// report per reporter and target (a database key).
import { and, eq } from 'drizzle-orm';
import { uuidv7 } from 'uuidv7';
import type { Database } from '../db/client.ts';
import type { REPORT_REASONS, REPORT_TARGETS } from '../db/schema/index.ts';
import { comments, reports, users } from '../db/schema/index.ts';
import { ApiError } from '../lib/errors.ts';
import { gateFor } from './engagement.ts';
import { isDuplicateKey } from './identity.ts';

export async function fileReport(
  db: Database,
  input: {
    reporterId: string;
    targetType: (typeof REPORT_TARGETS)[number];
    targetId: string;
    reason: (typeof REPORT_REASONS)[number];
    description?: string | null;
    now: Date;
  },
) {
  if (input.targetType === 'posting')
    await gateFor(db, input.reporterId, input.targetId, input.now);
  if (input.targetType === 'comment') {
    // A comment is seen only with full access to its posting (as the comment list is), and not once
    // deleted: anything else is indistinguishable from a comment that does not exist.
    const [c] = await db
      .select({ postingId: comments.postingId, deletedAt: comments.deletedAt })
      .from(comments)
      .where(eq(comments.id, input.targetId));
    if (!c || c.deletedAt) throw new ApiError('NOT_FOUND', '신고 대상을 찾을 수 없습니다.');
    const { decision } = await gateFor(db, input.reporterId, c.postingId, input.now).catch(
      (err: unknown) => {
        if (err instanceof ApiError && err.code === 'NOT_FOUND')
          throw new ApiError('NOT_FOUND', '신고 대상을 찾을 수 없습니다.');
        throw err;
      },
    );
    if (decision.access !== 'full')
      throw new ApiError('NOT_FOUND', '신고 대상을 찾을 수 없습니다.');
  }
  if (input.targetType === 'user') {
    if (input.targetId === input.reporterId)
      throw new ApiError('VALIDATION_FAILED', '자기 자신은 신고할 수 없습니다.');
    const [u] = await db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.id, input.targetId), eq(users.status, 'active')));
    if (!u) throw new ApiError('NOT_FOUND', '신고 대상을 찾을 수 없습니다.');
  }
  const id = uuidv7();
  try {
    await db.insert(reports).values({
      id,
      reporterId: input.reporterId,
      targetType: input.targetType,
      targetId: input.targetId,
      reason: input.reason,
      description: input.description ?? null,
    });
  } catch (err) {
    if (isDuplicateKey(err))
      throw new ApiError('ALREADY_REPORTED', '이미 신고한 대상입니다. 처리 결과를 기다려 주세요.');
    throw err;
  }
  return { id, status: 'pending' as const };
}
