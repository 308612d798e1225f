// Who may fetch a media file: its owner; anyone who sees, in full, a posting it is attached to; and, for
// media marked as a free preview, anyone who sees that posting at all. Decided by the one gate. A profile
// picture or cover image is public while it is its active owner's current one (and only then).
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { medias, postingMedias, postings, users, type Media } from '../db/schema/index.ts';
import { ApiError } from '../lib/errors.ts';
import { decide, loadGateFacts } from './gate.ts';

/** `lockedPreview`: also let through a viewer who sees a posting only locked (for the blurred preview). */
export async function mediaForViewer(
  db: Database,
  ask: { viewerId: string | null; mediaId: string; now: Date; lockedPreview?: boolean },
): Promise<Media> {
  const { viewerId, mediaId, now } = ask;
  const [media] = await db
    .select()
    .from(medias)
    .where(and(eq(medias.id, mediaId), isNull(medias.deletedAt)));
  if (!media) throw new ApiError('NOT_FOUND', '미디어를 찾을 수 없습니다.');
  if (viewerId === media.ownerId) return media;
  if (media.purpose !== 'post' && (await isCurrentProfileImage(db, media))) return media;
  const links = await db
    .select({ postingId: postingMedias.postingId, isFreePreview: postingMedias.isFreePreview })
    .from(postingMedias)
    .where(eq(postingMedias.mediaId, mediaId));
  const rows = links.length
    ? await db
        .select()
        .from(postings)
        .where(
          inArray(
            postings.id,
            links.map((l) => l.postingId),
          ),
        )
    : [];
  const { viewer, facts } = await loadGateFacts(db, viewerId, rows, now);
  let visibleSomewhere = false;
  for (const row of rows) {
    const d = decide(viewer, row, facts, now);
    if (!d.visible) continue;
    visibleSomewhere = true;
    if (ask.lockedPreview) return media;
    const free = links.find((l) => l.postingId === row.id)?.isFreePreview ?? false;
    if (d.access === 'full' || free) return media;
  }
  // Seen only locked: say so; never seen: it does not exist for this viewer.
  if (visibleSomewhere)
    throw new ApiError('CONTENT_LOCKED', '멤버십 또는 구매가 필요한 미디어입니다.');
  throw new ApiError('NOT_FOUND', '미디어를 찾을 수 없습니다.');
}

async function isCurrentProfileImage(db: Database, media: Media): Promise<boolean> {
  const column = media.purpose === 'avatar' ? users.avatarMediaId : users.coverMediaId;
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, media.ownerId), eq(column, media.id), eq(users.status, 'active')))
    .limit(1);
  return row !== undefined;
}

// The client's quality names (and the original backend's) mapped to our variants, best first.
const IMAGE_QUALITY: Record<string, string[]> = {
  high: ['w1920', 'w1080', 'w480'],
  medium: ['w1080', 'w480'],
  low: ['w480'],
  thumbnail: ['thumbnail'],
  preview: ['preview'],
};
const AVATAR_QUALITY: Record<string, string[]> = {
  high: ['avatar_400'],
  medium: ['avatar_160'],
  low: ['avatar_160'],
  thumbnail: ['thumbnail'],
};
const COVER_QUALITY: Record<string, string[]> = {
  high: ['cover_1500'],
  medium: ['cover_750'],
  low: ['cover_750'],
  thumbnail: ['thumbnail'],
};
const VIDEO_QUALITY: Record<string, string[]> = {
  '1080p': ['mp4_1080p', 'mp4_720p', 'mp4_480p'],
  '720p': ['mp4_720p', 'mp4_480p'],
  '480p': ['mp4_480p'],
};

/**
 * The storage key for a quality. Without one: images get their largest web variant, videos the 720p MP4;
 * before processing has finished, the original. `thumbnail-N` picks a video's Nth frame capture.
 */
export function variantKey(media: Media, quality: string | undefined): string {
  const variants = media.variants ?? {};
  const thumb = quality ? /^thumbnail-(\d+)$/.exec(quality) : null;
  if (thumb) return media.thumbnails?.[Number(thumb[1])] ?? media.storageKey;
  if (quality && variants[quality]) return variants[quality];
  if (media.purpose !== 'post') {
    // Profile images never fall back to the original (it may carry EXIF); before processing: nothing.
    const table = media.purpose === 'avatar' ? AVATAR_QUALITY : COVER_QUALITY;
    for (const name of table[quality ?? 'high'] ?? table.high)
      if (variants[name]) return variants[name];
    return '';
  }
  const table = media.type === 'video' ? VIDEO_QUALITY : IMAGE_QUALITY;
  const wanted = table[quality ?? (media.type === 'video' ? '720p' : 'high')] ?? [];
  for (const name of wanted) if (variants[name]) return variants[name];
  if (quality === 'preview' || quality === 'thumbnail')
    return variants.preview ?? variants.thumbnail ?? media.storageKey;
  return media.storageKey;
}
