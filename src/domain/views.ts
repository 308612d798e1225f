// View counting: every view adds to the total; the first view per viewer and UTC day adds to the unique
// count. A signed-in viewer is keyed by their id, an anonymous one by a keyed hash of the address (never
// the address itself). One row per (posting, viewer, day) makes the unique count race-free.
import { eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { postingViews, postings } from '../db/schema/index.ts';

export async function viewerKey(
  viewerId: string | null,
  ip: string,
  secret: string,
): Promise<string> {
  if (viewerId) return `u:${viewerId}`;
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(ip)));
  return `ip:${[...mac.slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export async function recordView(
  db: Database,
  postingId: string,
  key: string,
  now: Date,
): Promise<{ unique: boolean }> {
  const day = now.toISOString().slice(0, 10);
  return db.transaction(async (tx) => {
    const r = await tx
      .insert(postingViews)
      .values({ postingId, viewerKey: key, viewDay: day, count: 1 })
      .onDuplicateKeyUpdate({ set: { count: sql`${postingViews.count} + 1` } });
    // MySQL reports 1 affected row for an insert and 2 for an update through ON DUPLICATE KEY.
    const unique = r.rowsAffected === 1;
    await tx
      .update(postings)
      .set({
        totalViewCount: sql`${postings.totalViewCount} + 1`,
        ...(unique ? { uniqueViewCount: sql`${postings.uniqueViewCount} + 1` } : {}),
      })
      .where(eq(postings.id, postingId));
    return { unique };
  });
}
