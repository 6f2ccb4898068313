/**
 * Rate limits through the Workers Rate Limiting binding (per location, eventually
 * consistent: fine for abuse control; use a Durable Object where a strict count
 * matters). The key is the client address Cloudflare puts in `cf-connecting-ip`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context';
import { HttpError } from './errors';

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
  const ip = raw.replace(/^\[|\]$/g, '').split('%')[0]!.toLowerCase();
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
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

const UNPARSED_IPV6 = 'unparsed-ipv6';

/** Counts one try against `key`; false when it is over the binding's limit (for callers that answer a refusal themselves). */
export async function underLimit(limiter: RateLimit, key: string): Promise<boolean> {
  return (await limiter.limit({ key })).success;
}

/** Throws 429 with Retry-After when `key` is over the binding's limit. */
export async function enforceRateLimit(limiter: RateLimit, key: string, periodSeconds: number, what: string): Promise<void> {
  if (!(await underLimit(limiter, key))) {
    throw new HttpError(429, `Too many ${what}. Wait a minute and try again.`, {
      headers: { 'retry-after': String(periodSeconds) },
    });
  }
}

/** Middleware: at most the binding's limit of requests per client address for this route. */
export function limitPerAddress(limiter: (env: Env) => RateLimit, scope: string, what: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await enforceRateLimit(limiter(c.env), `${scope}:${clientAddress(c)}`, 60, what);
    await next();
  };
}
