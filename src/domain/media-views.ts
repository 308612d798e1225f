// What the API says about a media row (the owner's view): the fields the web client reads plus state and
// progress. URLs point back at the API (gated), never at storage.
import type { Media } from '../db/schema/index.ts';
import { hmacHex, hmacVerify } from '../lib/hmac.ts';

export interface MediaView {
  id: string;
  mediaId: string;
  type: string;
  originalName: string;
  fileName: string;
  mimeType: string;
  fileSize: number;
  s3Key: string;
  status: WireMediaStatus;
  processingStatus: WireMediaStatus;
  purpose: 'POST' | 'AVATAR' | 'COVER';
  progress: number;
  width: number | null;
  height: number | null;
  duration: number | null;
  mediaUrl: string;
  processedUrls: Record<string, string>;
  thumbnailUrls: string[];
  errorMessage: string | null;
  processedAt: string | null;
  createdAt: string;
}

export function mediaUrlOf(apiBase: string, m: { id: string; type: string }): string {
  return `${apiBase.replace(/\/$/, '')}/media/${m.type === 'video' ? 'video' : 'image'}/${m.id}`;
}

/**
 * The processing state in the original client's vocabulary (its `ProcessingStatus`): UPLOADING until the
 * upload is complete, PROCESSING while queued or running, then COMPLETED or FAILED. Our `ready` is COMPLETED.
 */
export type WireMediaStatus = 'UPLOADING' | 'PROCESSING' | 'COMPLETED' | 'FAILED';
export function wireStatus(status: Media['status'] | string): WireMediaStatus {
  if (status === 'ready') return 'COMPLETED';
  if (status === 'failed') return 'FAILED';
  if (status === 'uploading') return 'UPLOADING';
  return 'PROCESSING';
}

export function mediaView(m: Media, apiBase: string): MediaView {
  const url = mediaUrlOf(apiBase, m);
  const processedUrls = Object.fromEntries(
    Object.keys(m.variants ?? {}).map((q) => [q, `${url}?quality=${encodeURIComponent(q)}`]),
  );
  const thumbnailUrls = (m.thumbnails ?? []).map((_, i) => `${url}?quality=thumbnail-${i}`);
  return {
    id: m.id,
    mediaId: m.id,
    type: m.type.toUpperCase(),
    originalName: m.originalName,
    fileName: m.originalName,
    mimeType: m.mimeType,
    fileSize: m.fileSize,
    s3Key: m.storageKey,
    status: wireStatus(m.status),
    processingStatus: wireStatus(m.status),
    purpose: m.purpose.toUpperCase() as MediaView['purpose'],
    progress: m.progress,
    width: m.width,
    height: m.height,
    duration: m.durationMs === null ? null : m.durationMs / 1000,
    mediaUrl: url,
    processedUrls,
    thumbnailUrls,
    errorMessage: m.errorMessage,
    processedAt: m.processedAt ? m.processedAt.toISOString() : null,
    createdAt: m.createdAt.toISOString(),
  };
}

/**
 * HLS segment token: `<expiry>.<viewer or "anon">.<HMAC("hls-seg", viewer, media, expiry)>`, put by the
 * Worker on every segment URI of a playlist it served to that viewer after the gate said yes. A segment
 * request must carry a valid, unexpired token for its media and, unless the token is anonymous, the session
 * of the same viewer; access itself is re-checked through the grant cache (see routes/media/hls.ts).
 */
export async function hlsSegmentToken(
  secret: string,
  viewerId: string | null,
  mediaId: string,
  expiresAt: Date,
): Promise<string> {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  const viewer = viewerId ?? 'anon';
  return `${exp}.${viewer}.${await hmacHex(secret, `hls-seg:${viewer}:${mediaId}:${exp}`)}`;
}

/** The token's viewer (`null` for an anonymous token) when it is genuine, for this media and unexpired. */
export async function verifyHlsSegmentToken(
  secret: string,
  token: string,
  mediaId: string,
  now: Date,
): Promise<{ viewerId: string | null } | null> {
  const m = /^(\d{1,12})\.([0-9a-f-]{36}|anon)\.([0-9a-f]{64})$/.exec(token);
  if (!m) return null;
  if (Number(m[1]) * 1000 <= now.getTime()) return null;
  if (!(await hmacVerify(secret, `hls-seg:${m[2]}:${mediaId}:${m[1]}`, m[3]))) return null;
  return { viewerId: m[2] === 'anon' ? null : m[2] };
}

/**
 * A playlist as served to one viewer: every URI that is not itself a playlist (segments, `EXT-X-MAP` init
 * sections, keys) gets the viewer's segment token as `?t=`; child playlists stay as they are (they are
 * fetched with the viewer's session and rewritten in turn). Relative URIs stay relative.
 */
export function tokenisePlaylist(text: string, token: string): string {
  const withToken = (uri: string) =>
    /\.m3u8(?:[?#]|$)/.test(uri) || /^[a-z]+:/i.test(uri)
      ? uri
      : `${uri}${uri.includes('?') ? '&' : '?'}t=${token}`;
  return text
    .split('\n')
    .map((line) => {
      const trimmed = line.trim();
      if (!trimmed) return line;
      if (!trimmed.startsWith('#')) return withToken(trimmed);
      return line.replace(/URI="([^"]*)"/g, (_, uri: string) => `URI="${withToken(uri)}"`);
    })
    .join('\n');
}
