/**
 * Small WebCrypto helpers: randomness, encodings, digests, constant-time compare.
 * Pure: no platform imports, so unit tests call them directly.
 */

const encoder = new TextEncoder();

export function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  crypto.getRandomValues(bytes);
  return bytes;
}

export function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(text: string): Uint8Array {
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((text.length + 3) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** A random identifier or secret: `bytes` of entropy as base64url (16 bytes → 22 chars). */
export function randomToken(bytes = 32): string {
  return base64url(randomBytes(bytes));
}

export function hex(bytes: ArrayBuffer | Uint8Array): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** SHA-256 of a UTF-8 string, hex encoded. Used to store tokens we must never keep in clear. */
export async function sha256Hex(text: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(text)));
}

const hmacKeys = new Map<string, Promise<CryptoKey>>();

/** HMAC-SHA256 key for `secret`, domain-separated by `purpose` (one secret, several keys). */
export function hmacKey(secret: string, purpose: string): Promise<CryptoKey> {
  const id = `${purpose}\u0000${secret}`;
  let key = hmacKeys.get(id);
  if (!key) {
    key = (async () => {
      const base = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      const derived = await crypto.subtle.sign('HMAC', base, encoder.encode(`sixfold:${purpose}`));
      return crypto.subtle.importKey('raw', derived, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    })();
    hmacKeys.set(id, key);
  }
  return key;
}

export async function hmacBase64url(key: CryptoKey, message: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message))));
}

/** Constant-time equality of two strings (by their UTF-8 bytes). */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  if (x.byteLength !== y.byteLength) {
    // Compare against itself so the time does not depend on where the strings differ.
    crypto.subtle.timingSafeEqual(x, x);
    return false;
  }
  return crypto.subtle.timingSafeEqual(x, y);
}

/** FNV-1a, 32 bits, base36. A cheap fingerprint for cache keys and ETags; not for secrets. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

const sealKeys = new Map<string, Promise<CryptoKey>>();

/** An AES-256-GCM key derived from `secret` with HKDF, domain-separated by `info`. */
function sealKey(secret: string, info: string): Promise<CryptoKey> {
  const id = `${info}\u0000${secret}`;
  let key = sealKeys.get(id);
  if (!key) {
    key = (async () => {
      const base = await crypto.subtle.importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey']);
      return crypto.subtle.deriveKey(
        { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: encoder.encode(info) },
        base,
        { name: 'AES-GCM', length: 256 },
        false,
        ['encrypt', 'decrypt'],
      );
    })();
    sealKeys.set(id, key);
  }
  return key;
}

/**
 * `value` encrypted at rest under a key derived from an environment secret:
 * `v1.<iv>.<ciphertext>` (AES-256-GCM), bound to `label` (what it is and whose) as
 * associated data, so a sealed value copied to another row does not open there.
 */
export async function seal(secret: string, info: string, label: string, value: Uint8Array): Promise<string> {
  const iv = randomBytes(12);
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: encoder.encode(label) }, await sealKey(secret, info), value);
  return `v1.${base64url(iv)}.${base64url(new Uint8Array(sealed))}`;
}

/** The value `seal` sealed; throws if it was sealed under another secret, info or label, or altered. */
export async function unseal(secret: string, info: string, label: string, sealed: string): Promise<Uint8Array> {
  const [version, iv, body] = sealed.split('.');
  if (version !== 'v1' || !iv || !body) throw new Error('not a sealed value');
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64url(iv), additionalData: encoder.encode(label) },
    await sealKey(secret, info),
    fromBase64url(body),
  );
  return new Uint8Array(plain);
}
