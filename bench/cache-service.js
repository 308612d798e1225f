/* global TextDecoder, Headers, Response -- workerd runtime globals */
// A Cache API back-end for bare `workerd serve` in benchmarks (Cloudflare provides the real one; Miniflare
// simulates it in tests). workerd sends `cache.put` as PUT <key URL> with the response serialised as HTTP/1.1
// in the body, `cache.match` as GET <key URL> (answer `cf-cache-status: HIT` with the response, or MISS), and
// `cache.delete` as PURGE. Entries live in this isolate's memory for the response's s-maxage / max-age.
// Bench fixture only: no size limit, no Vary, no conditional requests.

const entries = new Map();
const decoder = new TextDecoder();

function indexOf(bytes, pattern, from = 0) {
  outer: for (let i = from; i <= bytes.length - pattern.length; i++) {
    for (let j = 0; j < pattern.length; j++) if (bytes[i + j] !== pattern[j]) continue outer;
    return i;
  }
  return -1;
}

const CRLF = [13, 10];
const CRLFCRLF = [13, 10, 13, 10];

function dechunk(bytes) {
  const parts = [];
  let at = 0;
  for (;;) {
    const eol = indexOf(bytes, CRLF, at);
    const size = parseInt(decoder.decode(bytes.subarray(at, eol)), 16);
    if (!size) break;
    parts.push(bytes.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function parse(bytes) {
  const end = indexOf(bytes, CRLFCRLF);
  const [statusLine, ...lines] = decoder.decode(bytes.subarray(0, end)).split('\r\n');
  const status = Number(statusLine.split(' ')[1]);
  const headers = new Headers();
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  }
  let body = bytes.subarray(end + 4);
  if ((headers.get('transfer-encoding') ?? '').includes('chunked')) {
    body = dechunk(body);
    headers.delete('transfer-encoding');
  }
  return { status, headers, body: body.slice() };
}

function ttlSeconds(headers) {
  const cc = headers.get('cache-control') ?? '';
  const m = /s-maxage=(\d+)/.exec(cc) ?? /max-age=(\d+)/.exec(cc);
  return m ? Number(m[1]) : 0;
}

export default {
  async fetch(request) {
    const key = request.url;
    if (request.method === 'PUT') {
      const stored = parse(new Uint8Array(await request.arrayBuffer()));
      const ttl = ttlSeconds(stored.headers);
      if (ttl > 0) entries.set(key, { ...stored, expires: Date.now() + ttl * 1000 });
      return new Response(null, { status: 204 });
    }
    if (request.method === 'PURGE')
      return new Response(null, { status: entries.delete(key) ? 200 : 404 });
    const hit = entries.get(key);
    if (!hit || hit.expires <= Date.now()) {
      if (hit) entries.delete(key);
      return new Response(null, { status: 504, headers: { 'cf-cache-status': 'MISS' } });
    }
    const headers = new Headers(hit.headers);
    headers.set('cf-cache-status', 'HIT');
    return new Response(hit.body, { status: hit.status, headers });
  },
};
