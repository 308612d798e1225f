// Who may fetch a media file: its owner; anyone who sees, in full, a posting it is attached to; and, for
// media marked as a free preview, anyone who sees that posting at all. Decided by the one gate.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { medias, postingMedias, postings, type Media } from '../db/schema/index.ts';
import { ApiError } from '../lib/errors.ts';
import { decide, loadGateFacts } from './gate.ts';

export async function mediaForViewer(db: Database, viewerId: string | null, mediaId: string, now: Date): Promise<Media> {
  const [media] = await db.select().from(medias).where(and(eq(medias.id, mediaId), isNull(medias.deletedAt)));
  if (!media) throw new ApiError('NOT_FOUND', '미디어를 찾을 수 없습니다.');
  if (viewerId === media.ownerId) return media;
  const links = await db.select({ postingId: postingMedias.postingId, isFreePreview: postingMedias.isFreePreview }).from(postingMedias).where(eq(postingMedias.mediaId, mediaId));
  const rows = links.length ? await db.select().from(postings).where(inArray(postings.id, links.map((l) => l.postingId))) : [];
  const { viewer, facts } = await loadGateFacts(db, viewerId, rows, now);
  let visibleSomewhere = false;
  for (const row of rows) {
    const d = decide(viewer, row, facts, now);
    if (!d.visible) continue;
    visibleSomewhere = true;
    const free = links.find((l) => l.postingId === row.id)?.isFreePreview ?? false;
    if (d.access === 'full' || free) return media;
  }
  // Seen only locked: say so; never seen: it does not exist for this viewer.
  if (visibleSomewhere) throw new ApiError('CONTENT_LOCKED', '멤버십 또는 구매가 필요한 미디어입니다.');
  throw new ApiError('NOT_FOUND', '미디어를 찾을 수 없습니다.');
}

/** The storage key of the variant asked for, falling back to the original. */
export function variantKey(media: Media, quality: string | undefined): string {
  if (quality && media.variants && media.variants[quality]) return media.variants[quality];
  return media.storageKey;
}
