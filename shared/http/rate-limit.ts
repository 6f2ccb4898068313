/**
 * Rate limits through the Workers Rate Limiting binding (per location, eventually
 * consistent: fine for abuse control; use a Durable Object where a strict count
 * matters). The key is the client address Cloudflare puts in `cf-connecting-ip`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context';
import { HttpError } from './errors';

export function clientAddress(c: Context): string {
  return c.req.header('cf-connecting-ip') ?? 'local';
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
