// Opaque keyset cursors: base64url of the last row's sort key (time, id). Clients treat them as strings.
import { ApiError } from './errors.ts';

export interface Keyset {
  at: Date;
  id: string;
}

export function encodeCursor(k: Keyset): string {
  return btoa(JSON.stringify([k.at.getTime(), k.id]))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

export function decodeCursor(cursor: string | undefined): Keyset | null {
  if (!cursor) return null;
  try {
    const json = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    const [ms, id] = JSON.parse(json) as [number, string];
    if (!Number.isFinite(ms) || typeof id !== 'string' || id.length > 64) throw new Error('bad');
    return { at: new Date(ms), id };
  } catch {
    throw new ApiError('VALIDATION_FAILED', '잘못된 커서입니다.', {
      details: [{ path: 'cursor', message: 'invalid cursor' }],
    });
  }
}
