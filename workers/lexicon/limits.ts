/**
 * Per-user rate limits on what makes a ticket or its thread grow. Every Lexicon
 * request is signed in, so the key is the user id (an office behind one address is
 * not one person). The binding counts per Cloudflare location in fixed one-minute
 * windows: abuse control, not accounting. Paging keeps a long thread cheap to read;
 * these keep anyone from making one (or thousands of tickets) in a hurry.
 *
 * The numbers are wrangler.toml's (`simple = { limit = … }` of each binding): the
 * binding enforces them, and `per` only says them to people. A test reads
 * wrangler.toml and fails when the two disagree (test/lexicon/limits.unit.test.ts).
 */
import type { Context } from 'hono';
import { currentAuth } from '../../shared/auth/middleware';
import type { AppEnv } from '../../shared/context';
import { enforceRateLimit, underLimit } from '../../shared/http/rate-limit';

export const LIMITS = {
  ticket: { binding: 'RL_LEXICON_TICKET', what: 'new tickets', per: 20 },
  comment: { binding: 'RL_LEXICON_COMMENT', what: 'replies and notes', per: 30 },
} as const satisfies Record<string, { binding: keyof Env; what: string; per: number }>;

export type Limit = keyof typeof LIMITS;

/** The binding's window, in seconds (what Retry-After says). */
export const RETRY_AFTER = 60;

/** What a form says when its limit is reached (the text typed is kept). */
export const tooMany = (which: Limit): string =>
  `You are sending ${LIMITS[which].what} faster than Lexicon allows (${LIMITS[which].per} a minute). Nothing was saved; wait a minute and send it again.`;

/** One key per user and limit, shared by the forms and the API. */
const limitKey = (c: Context<AppEnv>, which: Limit) => `lexicon-${which}:${currentAuth(c).user.id}`;

/** Whether this user may create one more (counts the try). Forms answer a refusal themselves, keeping what was typed. */
export async function allowed(c: Context<AppEnv>, which: Limit): Promise<boolean> {
  const ok = await underLimit(c.env[LIMITS[which].binding], limitKey(c, which));
  if (!ok) c.header('retry-after', String(RETRY_AFTER));
  return ok;
}

/** The API's form of the same limit: a 429 problem+json with Retry-After. */
export function enforceLimit(c: Context<AppEnv>, which: Limit): Promise<void> {
  return enforceRateLimit(c.env[LIMITS[which].binding], limitKey(c, which), RETRY_AFTER, LIMITS[which].what);
}
