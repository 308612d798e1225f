// Profile picture and cover image: a media of purpose `avatar` / `cover` that the user owns and that has been
// processed (square / banner sizes). The user row keeps the media id (which makes that media public, see
// media-access.ts) and its URL (so that every place showing the profile reads one column, as before).
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { medias, users } from '../db/schema/index.ts';
import { ApiError } from '../lib/errors.ts';
import { mediaUrlOf } from './media-views.ts';

export type ProfileImageKind = 'avatar' | 'cover';

const LABEL: Record<ProfileImageKind, string> = { avatar: '프로필 사진', cover: '커버 이미지' };

/** Sets (or, with null, removes) the user's profile picture or cover image; answers its URL. */
export interface ProfileImageChange {
  apiBase: string;
  userId: string;
  kind: ProfileImageKind;
  /** The processed image of the user's to show, or null to remove it. */
  mediaId: string | null;
}

export async function setProfileImage(
  db: Database,
  { apiBase, userId, kind, mediaId }: ProfileImageChange,
): Promise<string | null> {
  const set = (id: string | null, url: string | null) =>
    kind === 'avatar' ? { avatarMediaId: id, avatarUrl: url } : { coverMediaId: id, coverUrl: url };
  if (mediaId === null) {
    await db.update(users).set(set(null, null)).where(eq(users.id, userId));
    return null;
  }
  // Someone else's media, or a deleted one, does not exist for this user.
  const [media] = await db
    .select()
    .from(medias)
    .where(and(eq(medias.id, mediaId), eq(medias.ownerId, userId), isNull(medias.deletedAt)))
    .limit(1);
  if (!media) throw new ApiError('NOT_FOUND', '미디어를 찾을 수 없습니다.');
  if (media.type !== 'image' || media.purpose !== kind) {
    throw new ApiError(
      'VALIDATION_FAILED',
      `${LABEL[kind]}은(는) purpose=${kind}로 올린 이미지여야 합니다.`,
      { details: [{ path: 'mediaId', message: `not an image uploaded with purpose ${kind}` }] },
    );
  }
  if (media.status === 'failed')
    throw new ApiError('INVALID_STATE', '처리에 실패한 이미지입니다. 다른 이미지를 올려 주세요.');
  if (media.status !== 'ready')
    throw new ApiError(
      'MEDIA_NOT_READY',
      '이미지가 아직 처리 중입니다. 잠시 후 다시 시도해 주세요.',
    );
  const url = mediaUrlOf(apiBase, media);
  // Guarded on the media still being live: a delete racing this request leaves no dangling picture.
  const live = sql`exists (select 1 from ${medias} where ${medias.id} = ${media.id} and ${medias.deletedAt} is null)`;
  const res = await db
    .update(users)
    .set(set(media.id, url))
    .where(and(eq(users.id, userId), live));
  if (res.rowsAffected !== 1) {
    // Zero rows also when nothing changed (the same picture again): only a deleted media is "not found".
    const [still] = await db
      .select({ id: medias.id })
      .from(medias)
      .where(and(eq(medias.id, media.id), isNull(medias.deletedAt)))
      .limit(1);
    if (!still) throw new ApiError('NOT_FOUND', '미디어를 찾을 수 없습니다.');
  }
  return url;
}

/** A deleted media stops being anyone's profile picture or cover image. */
export async function clearProfileImage(
  db: Database,
  userId: string,
  mediaId: string,
): Promise<void> {
  await db
    .update(users)
    .set({ avatarMediaId: null, avatarUrl: null })
    .where(and(eq(users.id, userId), eq(users.avatarMediaId, mediaId)));
  await db
    .update(users)
    .set({ coverMediaId: null, coverUrl: null })
    .where(and(eq(users.id, userId), eq(users.coverMediaId, mediaId)));
}
