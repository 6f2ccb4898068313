/**
 * Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP) and recovery codes,
 * for two-factor sign-in. WebCrypto and shared/crypto only, so the RFC's test vectors
 * run against these functions directly.
 *
 * Authenticator apps (1Password, Google Authenticator, Aegis, …) all speak the
 * defaults: HMAC-SHA1, 6 digits, 30-second steps, a base32 secret of 160 bits.
 */
import { randomBytes, timingSafeEqual } from '../crypto';

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps either side of now that still count: a phone's clock may be a little off, and typing takes time. */
export const TOTP_DRIFT_STEPS = 1;
export const TOTP_SECRET_BYTES = 20;

export type TotpHash = 'SHA-1' | 'SHA-256' | 'SHA-512';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding (what otpauth:// URIs carry). */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes base32 (case, spaces and padding ignored); null if a character is not base32. */
export function fromBase32(text: string): Uint8Array | null {
  const clean = text.replace(/[\s=]/g, '').toUpperCase();
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of clean) {
    const v = BASE32.indexOf(ch);
    if (v < 0) return null;
    value = ((value << 5) | v) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return new Uint8Array(out);
}

/** A new shared secret for an authenticator app. */
export function newTotpSecret(): Uint8Array {
  return randomBytes(TOTP_SECRET_BYTES);
}

/** The 30-second step a moment (ms since the epoch) falls in. */
export function totpStep(nowMs: number, period = TOTP_PERIOD_SECONDS): number {
  return Math.floor(nowMs / 1000 / period);
}

/** HOTP (RFC 4226) of `secret` at counter `step`: dynamic truncation, `digits` long, zero-padded. */
export async function hotp(secret: Uint8Array, step: number, options: { digits?: number; hash?: TotpHash } = {}): Promise<string> {
  const digits = options.digits ?? TOTP_DIGITS;
  const counter = new Uint8Array(8);
  // The counter is a 64-bit big-endian integer; steps stay far below 2^53.
  new DataView(counter.buffer).setBigUint64(0, BigInt(step));
  const key = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: options.hash ?? 'SHA-1' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, counter));
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** digits).padStart(digits, '0');
}

/** TOTP (RFC 6238): the code an authenticator app shows at `nowMs`. */
export function totp(secret: Uint8Array, nowMs: number, options: { digits?: number; hash?: TotpHash; period?: number } = {}): Promise<string> {
  return hotp(secret, totpStep(nowMs, options.period), options);
}

/** A six-digit code as typed ("123 456", "123-456"), or null if it is not one. */
export function normaliseTotpCode(input: string): string | null {
  const digits = input.replace(/[\s-]/g, '');
  return /^\d{6}$/.test(digits) ? digits : null;
}

/**
 * The step whose code `code` is, among now and TOTP_DRIFT_STEPS either side, or
 * null. The caller accepts it only if it is newer than the last step accepted for
 * the account: that is what makes a code good once.
 */
export async function matchTotp(secret: Uint8Array, code: string, nowMs: number): Promise<number | null> {
  const now = totpStep(nowMs);
  let matched: number | null = null;
  // Every candidate is computed and compared (no early exit), newest step wins.
  for (let step = now - TOTP_DRIFT_STEPS; step <= now + TOTP_DRIFT_STEPS; step++) {
    const expected = await hotp(secret, step);
    if (timingSafeEqual(expected, code)) matched = step;
  }
  return matched;
}

/** The otpauth:// URI an authenticator app reads from the QR code (Google's Key Uri Format). */
export function otpauthUri(input: { secret: Uint8Array; account: string; issuer: string }): string {
  const label = `${encodeURIComponent(input.issuer)}:${encodeURIComponent(input.account)}`;
  const params = new URLSearchParams({
    secret: base32(input.secret),
    issuer: input.issuer,
    algorithm: 'SHA1',
    digits: String(TOTP_DIGITS),
    period: String(TOTP_PERIOD_SECONDS),
  });
  return `otpauth://totp/${label}?${params}`;
}

/** The secret as people type it when they cannot scan: base32 in groups of four. */
export function groupedSecret(secret: Uint8Array): string {
  return base32(secret).replace(/(.{4})(?=.)/g, '$1 ');
}

// ---------------------------------------------------------------- recovery codes

export const RECOVERY_CODE_COUNT = 10;
/** Crockford's base32 alphabet: no i, l, o or u, so nothing reads as something else. */
const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';
const RECOVERY_CHARS = 10;

/** Fresh recovery codes, `xxxxx-xxxxx` (50 random bits each). */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const chars = [...randomBytes(RECOVERY_CHARS)].map((b) => CROCKFORD[b & 31]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/**
 * A recovery code as typed, in its canonical form, or null if it cannot be one.
 * Case, spaces and hyphens do not matter, and o, i and l read as 0, 1 and 1.
 */
export function normaliseRecoveryCode(input: string): string | null {
  const chars = input.toLowerCase().replace(/[\s-]/g, '').replace(/o/g, '0').replace(/[il]/g, '1');
  if (chars.length !== RECOVERY_CHARS || [...chars].some((ch) => !CROCKFORD.includes(ch))) return null;
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}
