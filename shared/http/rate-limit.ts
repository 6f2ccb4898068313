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

/** `2001:db8:1:2:a:b:c:d` → `2001:db8:1:2::/64`; `::ffff:192.0.2.1` → `192.0.2.1`; anything else unchanged. */
export function addressKey(ip: string): string {
  if (!ip.includes(':')) return ip;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1]!;
  const [head = '', tail] = ip.toLowerCase().split('%')[0]!.split('::', 2) as [string, string | undefined];
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  // An embedded IPv4 tail (`…:1.2.3.4`) counts as two groups; only the first four matter.
  const rightGroups = right.flatMap((g) => (g.includes('.') ? ['0', '0'] : [g]));
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - rightGroups.length)).fill('0'), ...rightGroups];
  if (groups.length < 4 || groups.slice(0, 4).some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return ip;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** Throws 429 with Retry-After when `key` is over the binding's limit. */
export async function enforceRateLimit(limiter: RateLimit, key: string, periodSeconds: number, what: string): Promise<void> {
  const { success } = await limiter.limit({ key });
  if (!success) {
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
