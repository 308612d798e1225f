// A streaming multipart/form-data reader (RFC 7578) for one file field: the file's bytes come out in chunks
// as they arrive, so a large upload is never held whole in memory. Small text fields before the file are
// collected (up to 1 KiB each); anything after the file is ignored.
import { ApiError } from './errors.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const MAX_HEADER_BYTES = 16 * 1024;
const MAX_FIELD_BYTES = 1024;

export interface FilePart {
  fieldName: string;
  fileName: string;
  contentType: string;
  /** Fields sent before the file, by name. */
  fields: Record<string, string>;
  /** The file's bytes; must be read to the end (or abandoned with the request). */
  chunks: AsyncGenerator<Uint8Array>;
}

const malformed = (why: string) =>
  new ApiError('VALIDATION_FAILED', '멀티파트 요청 형식이 올바르지 않습니다.', {
    details: [{ path: 'body', message: why }],
  });

function indexOf(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0];
  for (
    let i = hay.indexOf(first, from);
    i !== -1 && i <= hay.length - needle.length;
    i = hay.indexOf(first, i + 1)
  ) {
    let j = 1;
    while (j < needle.length && hay[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (!a.length) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** The boundary of a `multipart/form-data` content type, or null. */
export function boundaryOf(contentType: string | undefined): string | null {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return null;
  const m = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : null;
}

function parseHeaders(text: string): {
  name: string | null;
  fileName: string | null;
  contentType: string;
} {
  let name: string | null = null;
  let fileName: string | null = null;
  let contentType = 'application/octet-stream';
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const key = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (key === 'content-type') contentType = value;
    if (key === 'content-disposition') {
      name = /;\s*name="([^"]*)"/i.exec(value)?.[1] ?? null;
      const star = /;\s*filename\*=UTF-8''([^;]+)/i.exec(value)?.[1];
      fileName = star
        ? decodeURIComponent(star)
        : (/;\s*filename="([^"]*)"/i.exec(value)?.[1] ?? null);
    }
  }
  return { name, fileName, contentType };
}

/** Reads the form up to the first file part named `field` and hands its bytes out as a stream. */
export async function readFilePart(
  body: ReadableStream<Uint8Array>,
  boundary: string,
  field: string,
): Promise<FilePart> {
  const reader = body.getReader();
  const open = encoder.encode(`--${boundary}`);
  const delimiter = encoder.encode(`\r\n--${boundary}`);
  let buf: Uint8Array = new Uint8Array(0);
  let ended = false;
  const more = async (): Promise<boolean> => {
    if (ended) return false;
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      return false;
    }
    buf = concat(buf, value);
    return true;
  };
  // Until `needle` is in the buffer (at most `limit` bytes ahead); its index.
  const find = async (needle: Uint8Array, limit: number): Promise<number> => {
    for (;;) {
      const i = indexOf(buf, needle);
      if (i !== -1) return i;
      if (buf.length > limit) throw malformed('part headers or field too long');
      if (!(await more())) throw malformed('unexpected end of body');
    }
  };

  const start = await find(open, MAX_HEADER_BYTES);
  buf = buf.subarray(start + open.length);
  const fields: Record<string, string> = {};
  for (;;) {
    while (buf.length < 2 && (await more()));
    if (buf[0] === 0x2d && buf[1] === 0x2d) throw malformed(`no file field "${field}"`);
    const headerEnd = await find(encoder.encode('\r\n\r\n'), MAX_HEADER_BYTES);
    const headers = parseHeaders(decoder.decode(buf.subarray(2, headerEnd)));
    buf = buf.subarray(headerEnd + 4);
    if (headers.name === field && headers.fileName !== null) {
      const chunks = async function* (): AsyncGenerator<Uint8Array> {
        for (;;) {
          const i = indexOf(buf, delimiter);
          if (i !== -1) {
            if (i > 0) yield buf.slice(0, i);
            buf = new Uint8Array(0);
            await reader.cancel().catch(() => undefined);
            return;
          }
          // Keep a tail that may be the start of the delimiter.
          const safe = buf.length - (delimiter.length - 1);
          if (safe > 0) {
            yield buf.slice(0, safe);
            buf = buf.slice(safe);
          }
          if (!(await more())) throw malformed('unexpected end of file part');
        }
      };
      return {
        fieldName: field,
        fileName: headers.fileName,
        contentType: headers.contentType,
        fields,
        chunks: chunks(),
      };
    }
    // A text field (or another file): kept if small and named, then skipped to the next part.
    const end = await find(
      delimiter,
      headers.fileName === null ? MAX_FIELD_BYTES + delimiter.length : 1024 * 1024,
    );
    if (headers.name !== null && headers.fileName === null)
      fields[headers.name] = decoder.decode(buf.subarray(0, end));
    buf = buf.subarray(end + delimiter.length);
  }
}
