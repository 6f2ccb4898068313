/**
 * What a request is, and the names it carries: path and header predicates, the
 * client's address, and every cookie and CSRF name the platform uses. A leaf: it
 * imports nothing of ours, so any module (layout, security, auth, errors) may use it.
 */
import type { Context } from 'hono';

/** Every cookie Sixfold sets: `__Host-` (Secure, Path=/, no Domain), so no other site or subdomain can plant one. */
export const COOKIES = {
  /** The CSRF secret the form token is an HMAC of (security.ts). */
  csrf: '__Host-sf_csrf',
  /** The 15-minute access JWT (auth/cookies.ts). */
  access: '__Host-sf_at',
  /** The rotating refresh token (auth/cookies.ts). */
  refresh: '__Host-sf_rt',
  /** A signed device id, for sign-in throttling (auth/device.ts). */
  device: '__Host-sf_dev',
  /** A password just entered for an account with two-factor on, awaiting its code (auth/second-step.ts). */
  secondStep: '__Host-sf_2fa',
} as const;

/** Cookies whose presence means a request may carry a browser's ambient authority. */
export const AMBIENT_COOKIES = [COOKIES.csrf, COOKIES.access, COOKIES.refresh] as const;

/** The form field and header that carry the CSRF token. */
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function isApiPath(path: string): boolean {
  return /^\/(?:[^/]+\/)?api(?:\/|$)/.test(path);
}

export function isHtmx(c: Context): boolean {
  return c.req.header('hx-request') === 'true';
}

export type ResponseKind = 'api' | 'htmx' | 'page';

export function responseKind(c: Context): ResponseKind {
  if (isApiPath(c.req.path)) return 'api';
  return isHtmx(c) ? 'htmx' : 'page';
}

export function hasBearer(c: Context): boolean {
  return /^Bearer\s/i.test(c.req.header('authorization') ?? '');
}

/**
 * The client's address as a limiter key: IPv4 as is, IPv6 as its /64 network. One
 * subscriber usually holds a whole /64 (2^64 addresses), so keying by the full IPv6
 * address would let one attacker rotate through fresh limits and allowances forever.
 */
export function clientAddress(c: Context): string {
  return addressKey(c.req.header('cf-connecting-ip') ?? 'local');
}

/**
 * `2001:db8:1:2:a:b:c:d` → `2001:db8:1:2::/64`; `::ffff:192.0.2.1` → `192.0.2.1`;
 * IPv4 and `local` unchanged. Cloudflare sends canonical addresses; anything with a
 * colon that does not parse as IPv6 shares one key, so odd spellings never buy a
 * fresh allowance.
 */
export function addressKey(raw: string): string {
  if (!raw.includes(':')) return raw;
  const ip = raw
    .replace(/^\[|\]$/g, '')
    .split('%')[0]!
    .toLowerCase();
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip);
  if (mapped) return mapped[1]!;
  const halves = ip.split('::');
  if (halves.length > 2) return UNPARSED_IPV6;
  const parse = (part: string | undefined) => (part ? part.split(':') : []);
  const [left, right] = [parse(halves[0]), parse(halves[1])];
  // An embedded IPv4 tail (`…:192.0.2.1`) is the last two groups.
  const last = right.length ? right : left;
  if (last.length && last[last.length - 1]!.includes('.')) {
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(last.pop()!)) return UNPARSED_IPV6;
    last.push('0', '0');
  }
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return UNPARSED_IPV6;
  const groups = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...right];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return UNPARSED_IPV6;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

const UNPARSED_IPV6 = 'unparsed-ipv6';
