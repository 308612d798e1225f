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
  status: string;
  processingStatus: string;
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

export function mediaView(m: Media, apiBase: string): MediaView {
  const url = mediaUrlOf(apiBase, m);
  const processedUrls = Object.fromEntries(Object.keys(m.variants ?? {}).map((q) => [q, `${url}?quality=${encodeURIComponent(q)}`]));
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
    status: m.status.toUpperCase(),
    processingStatus: m.status.toUpperCase(),
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
 * HLS token: `<expiry>.<viewer or "anon">.<HMAC(viewer, media, expiry)>`. It sits in the path, so players
 * resolve the playlists' relative URIs under it; it is checked on every request.
 */
export async function hlsToken(secret: string, viewerId: string | null, mediaId: string, expiresAt: Date): Promise<string> {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  const viewer = viewerId ?? 'anon';
  return `${exp}.${viewer}.${await hmacHex(secret, `hls:${viewer}:${mediaId}:${exp}`)}`;
}

export async function verifyHlsToken(secret: string, token: string, mediaId: string, now: Date): Promise<boolean> {
  const m = /^(\d{1,12})\.([0-9a-f-]{36}|anon)\.([0-9a-f]{64})$/.exec(token);
  if (!m) return false;
  if (Number(m[1]) * 1000 < now.getTime()) return false;
  return hmacVerify(secret, `hls:${m[2]}:${mediaId}:${m[1]}`, m[3]);
}
