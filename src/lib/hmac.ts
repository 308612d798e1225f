// HMAC-SHA256 with WebCrypto: signatures of media jobs, processing callbacks and HLS tokens. Verification
// goes through crypto.subtle.verify (constant time).
const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function key(secret: string): Promise<CryptoKey> {
  let k = keys.get(secret);
  if (!k) {
    k = crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign', 'verify'],
    );
    keys.set(secret, k);
  }
  return k;
}

const toHex = (buf: ArrayBuffer) =>
  [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, '0')).join('');

function fromHex(hex: string): Uint8Array<ArrayBuffer> | null {
  if (!/^(?:[0-9a-f]{2})+$/.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export async function hmacHex(secret: string, message: string): Promise<string> {
  return toHex(await crypto.subtle.sign('HMAC', await key(secret), encoder.encode(message)));
}

export async function hmacVerify(
  secret: string,
  message: string,
  signatureHex: string,
): Promise<boolean> {
  const sig = fromHex(signatureHex.toLowerCase());
  if (!sig || sig.length !== 32) return false;
  return crypto.subtle.verify('HMAC', await key(secret), sig, encoder.encode(message));
}
