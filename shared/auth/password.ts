/**
 * Password hashing: PBKDF2-HMAC-SHA256 through WebCrypto.
 *
 * 100,000 iterations is the most Cloudflare's production runtime accepts: a higher
 * count throws there, while local workerd and Node do not enforce it, so
 * `hashPassword` refuses higher counts itself and a unit test pins the value.
 *
 * Stored as a self-describing string so the parameters can be raised later:
 *   pbkdf2-sha256$100000$<salt base64url>$<hash base64url>
 * `verifyPassword` reports `needsRehash` when a stored hash uses weaker parameters.
 */
import { base64url, fromBase64url, randomBytes } from '../crypto';

export const PBKDF2_ITERATIONS = 100_000;
/** Production Workers reject PBKDF2 above this count. */
export const PBKDF2_MAX_ITERATIONS = 100_000;
const SALT_BYTES = 16;
const HASH_BITS = 256;
const PREFIX = 'pbkdf2-sha256';

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > PBKDF2_MAX_ITERATIONS) {
    throw new RangeError(`PBKDF2 iterations must be 1..${PBKDF2_MAX_ITERATIONS} (got ${iterations})`);
  }
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, HASH_BITS);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, iterations);
  return `${PREFIX}$${iterations}$${base64url(salt)}$${base64url(hash)}`;
}

export type ParsedHash = { iterations: number; salt: Uint8Array; hash: Uint8Array };

export function parsePasswordHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 4 || parts[0] !== PREFIX) return null;
  const iterations = Number(parts[1]);
  if (!Number.isInteger(iterations)) return null;
  return { iterations, salt: fromBase64url(parts[2]!), hash: fromBase64url(parts[3]!) };
}

export async function verifyPassword(password: string, stored: string): Promise<{ ok: boolean; needsRehash: boolean }> {
  const parsed = parsePasswordHash(stored);
  if (!parsed || parsed.iterations > PBKDF2_MAX_ITERATIONS) return { ok: false, needsRehash: false };
  const candidate = await derive(password, parsed.salt, parsed.iterations);
  const ok = candidate.byteLength === parsed.hash.byteLength && crypto.subtle.timingSafeEqual(candidate, parsed.hash);
  return { ok, needsRehash: ok && parsed.iterations < PBKDF2_ITERATIONS };
}

/**
 * A hash of a random password, verified against when the email is unknown so that a
 * failed sign-in costs the same time whether or not the account exists.
 */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(base64url(randomBytes(16)));
  return dummyHash;
}
