// Who is asking, for the endpoints open to a payment's owner or an admin, and the warning logger the
// payment domain writes to.
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { viewerId } from '../../auth/middleware.ts';
import type { AppEnv } from '../../context.ts';
import { users } from '../../db/schema/index.ts';

export async function viewerWithRole(
  c: Context<AppEnv>,
): Promise<{ id: string; isAdmin: boolean }> {
  const id = viewerId(c);
  const [row] = await c
    .get('services')
    .db.select({ role: users.role })
    .from(users)
    .where(eq(users.id, id))
    .limit(1);
  return { id, isAdmin: row?.role === 'admin' };
}

export const logTo = (c: Context<AppEnv>) => (msg: string, fields: Record<string, unknown>) =>
  c.get('services').logger.warn(msg, fields);
