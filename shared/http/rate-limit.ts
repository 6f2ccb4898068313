/**
 * Rate limits through the Workers Rate Limiting binding (per location, eventually
 * consistent: fine for abuse control; use a Durable Object where a strict count
 * matters). Keys are per user, or per client address (`clientAddress`, request.ts).
 */
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context';
import { HttpError } from './http-error';
import { clientAddress } from './request';

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
