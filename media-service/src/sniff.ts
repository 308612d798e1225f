// The real type of an upload, from its bytes (file-type), against what was declared at prepare-upload.
import { fileTypeFromBuffer } from 'file-type';

const ALLOWED: Record<string, string[]> = {
  image: ['image/jpeg', 'image/png', 'image/webp', 'image/gif'],
  video: [
    'video/mp4',
    'video/quicktime',
    'video/x-matroska',
    'video/webm',
    'video/vnd.avi',
    'video/x-msvideo',
    'video/x-m4v',
  ],
  audio: ['audio/mpeg', 'audio/wav', 'audio/x-wav', 'audio/mp4', 'audio/x-m4a', 'audio/m4a'],
  document: ['application/pdf'],
};

export class ContentMismatch extends Error {
  readonly code = 'CONTENT_MISMATCH';
}

/** Throws ContentMismatch unless the bytes are an accepted type of the declared media type. */
export async function assertContentMatches(
  type: string,
  declaredMime: string,
  head: Uint8Array,
): Promise<string> {
  const found = await fileTypeFromBuffer(head);
  const allowed = ALLOWED[type] ?? [];
  if (!found || !allowed.includes(found.mime)) {
    throw new ContentMismatch(
      `the file's content (${found?.mime ?? 'unknown'}) is not an accepted ${type} (declared ${declaredMime})`,
    );
  }
  return found.mime;
}
