/**
 * Sign-in throttling that an attacker cannot turn into a lockout of the owner:
 * OWASP's "device cookies".
 *
 * A successful password entry (sign-in or sign-up) leaves a signed cookie naming
 * the account: `v1.<user id>.<device id>.<HMAC>`. When a sign-in for that account
 * arrives with a valid one, the browser is one the owner used before, and the
 * attempt answers only to that device's own failure limit. Every other attempt
 * answers to the account's limit, which failed passwords from anywhere fill. So a
 * stranger guessing from a thousand addresses locks the account for unknown
 * browsers only, and never for the owner's.
 *
 * Failures (never successes) are counted in D1 (`signin_failures`): a strict,
 * global count, unlike the per-location Rate Limiting binding, and one that can be
 * read without adding to it. The per-address binding limit still applies first.
 */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../context';
import { hmacBase64url, hmacKey, randomToken, timingSafeEqual } from '../crypto';
import { COOKIES, hasBearer } from '../http/request';

const DEVICE_COOKIE = COOKIES.device;
/** Browsers cap cookie lifetimes at 400 days. */
const DEVICE_COOKIE_MAX_AGE = 400 * 24 * 3600;

export const SIGNIN_FAILURE_WINDOW_MS = 15 * 60_000;
/** Failed passwords per account (from browsers it has not been used in) before it locks for them. */
export const ACCOUNT_FAILURE_LIMIT = 10;
/** Failed passwords from one known browser before that browser locks (for the window). */
export const DEVICE_FAILURE_LIMIT = 10;

async function signature(secret: string, payload: string): Promise<string> {
  return hmacBase64url(await hmacKey(secret, 'device-cookie'), payload);
}

/** Remembers this browser as one `userId` signed in from (after a correct password). */
export async function rememberDevice(c: Context<AppEnv>, userId: number): Promise<void> {
  const payload = `v1.${userId}.${randomToken(16)}`;
  setCookie(c, DEVICE_COOKIE, `${payload}.${await signature(c.env.SESSION_SECRET, payload)}`, {
    path: '/',
    secure: true,
    httpOnly: true,
    sameSite: 'Lax',
    maxAge: DEVICE_COOKIE_MAX_AGE,
  });
}

/** The device id of this browser's valid device cookie for `userId`, or null. */
export async function knownDevice(c: Context<AppEnv>, userId: number): Promise<string | null> {
  // A Bearer request carries no cookie's authority (the CSRF check skips it).
  if (hasBearer(c)) return null;
  const cookie = getCookie(c, DEVICE_COOKIE);
  if (!cookie || cookie.length > 200) return null;
  const match = /^v1\.(\d{1,15})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(cookie);
  if (!match || Number(match[1]) !== userId) return null;
  const expected = await signature(c.env.SESSION_SECRET, `v1.${match[1]}.${match[2]}`);
  return timingSafeEqual(match[3]!, expected) ? match[2]! : null;
}

/** Whose failures an attempt adds to, and how many it may have. */
export type Throttle = { key: string; limit: number; known: boolean };

/**
 * The throttle for a sign-in to `email` (whose account is `userId`, or null if none):
 * the device's own, or the account's. Unknown emails are throttled like accounts,
 * so the answer does not reveal which exist.
 */
export async function signinThrottle(c: Context<AppEnv>, email: string, userId: number | null): Promise<Throttle> {
  const device = userId === null ? null : await knownDevice(c, userId);
  if (device) return { key: `device:${device}`, limit: DEVICE_FAILURE_LIMIT, known: true };
  const account = await hmacBase64url(await hmacKey(c.env.SESSION_SECRET, 'signin-account'), email);
  return { key: `account:${account}`, limit: ACCOUNT_FAILURE_LIMIT, known: false };
}
