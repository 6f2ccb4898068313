/**
 * The second step of signing in to an account with two-factor on.
 *
 * A correct password starts no session: it leaves a signed, five-minute cookie
 * naming the account (`v1.<user id>.<expiry>.<HMAC>`), and the code page asks for
 * the authenticator's code or a recovery code. Only then does a session start. A
 * stolen cookie of this kind is worth nothing without a code, and guesses at the
 * code count against the account (not the browser or the address), so signing in
 * with the password again does not buy more of them.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../context';
import { hmacBase64url, hmacKey, seal, timingSafeEqual, unseal } from '../crypto';
import { COOKIES } from '../http/request';
import { acceptTotpStep, useRecoveryCode } from './repository';
import { matchTotp, normaliseRecoveryCode, normaliseTotpCode } from './totp';

/** Where an account turns two-factor on (the platform's account page), for apps that nudge towards it. */
export const TWO_FACTOR_SETTINGS = '/account#two-factor';

export const SECOND_STEP_TTL_MS = 5 * 60_000;
/** Wrong codes per account in SIGNIN_FAILURE_WINDOW_MS before the second step locks (for everyone). */
export const SECOND_STEP_FAILURE_LIMIT = 5;

const COOKIE = COOKIES.secondStep;
const base = { path: '/', secure: true, httpOnly: true, sameSite: 'Lax' } as const;

async function signature(secret: string, payload: string): Promise<string> {
  return hmacBase64url(await hmacKey(secret, 'second-step'), payload);
}

/** After a correct password: this browser may now enter a code for `userId`, for five minutes. */
export async function startSecondStep(c: Context<AppEnv>, userId: number, now: number): Promise<void> {
  const payload = `v1.${userId}.${now + SECOND_STEP_TTL_MS}`;
  setCookie(c, COOKIE, `${payload}.${await signature(c.env.SESSION_SECRET, payload)}`, { ...base, maxAge: SECOND_STEP_TTL_MS / 1000 });
}

/** The account this browser entered the password of in the last five minutes, or null. */
export async function pendingSecondStep(c: Context<AppEnv>, now: number): Promise<number | null> {
  const cookie = getCookie(c, COOKIE);
  if (!cookie || cookie.length > 120) return null;
  const match = /^v1\.(\d{1,15})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(cookie);
  if (!match || Number(match[2]) <= now) return null;
  const expected = await signature(c.env.SESSION_SECRET, `v1.${match[1]}.${match[2]}`);
  return timingSafeEqual(match[3]!, expected) ? Number(match[1]) : null;
}

export function endSecondStep(c: Context<AppEnv>): void {
  deleteCookie(c, COOKIE, base);
}

/** The failure-count key of an account's second step (signin_failures). */
export const secondStepKey = (userId: number) => `2fa:${userId}`;

// ---------------------------------------------------------------- secrets at rest

const SECRET_INFO = 'sixfold:totp-secret:v1';
const secretLabel = (userId: number) => `user:${userId}`;

/** An authenticator secret sealed under SESSION_SECRET, bound to its account. */
export function sealTotpSecret(secret: string, userId: number, totpSecret: Uint8Array): Promise<string> {
  return seal(secret, SECRET_INFO, secretLabel(userId), totpSecret);
}

export function unsealTotpSecret(secret: string, userId: number, sealed: string): Promise<Uint8Array> {
  return unseal(secret, SECRET_INFO, secretLabel(userId), sealed);
}

/** How a recovery code is stored: an HMAC under SESSION_SECRET, bound to its account. */
export async function recoveryCodeHash(secret: string, userId: number, code: string): Promise<string> {
  return hmacBase64url(await hmacKey(secret, 'recovery-code'), `${userId}:${code}`);
}

export type SecondFactor =
  | { ok: true; via: 'totp' }
  | { ok: true; via: 'recovery'; left: number }
  /** `malformed`: neither six digits nor a recovery code; `wrong`: not a valid code now (or already used). */
  | { ok: false; reason: 'malformed' | 'wrong' };

/**
 * Checks what a person typed at the second step: a six-digit code from the app
 * (good once: its step must be newer than the last accepted), or a recovery code
 * (spent by using it).
 */
export async function checkSecondFactor(
  env: { DB: D1Database; SESSION_SECRET: string },
  input: { userId: number; sealedSecret: string; code: string; now: number },
): Promise<SecondFactor> {
  const digits = normaliseTotpCode(input.code);
  if (digits) {
    const totpSecret = await unsealTotpSecret(env.SESSION_SECRET, input.userId, input.sealedSecret);
    const step = await matchTotp(totpSecret, digits, input.now);
    if (step !== null && (await acceptTotpStep(env.DB, input.userId, step))) return { ok: true, via: 'totp' };
    return { ok: false, reason: 'wrong' };
  }
  const recovery = normaliseRecoveryCode(input.code);
  if (!recovery) return { ok: false, reason: 'malformed' };
  const used = await useRecoveryCode(env.DB, {
    userId: input.userId,
    codeHash: await recoveryCodeHash(env.SESSION_SECRET, input.userId, recovery),
    now: input.now,
  });
  return used.ok ? { ok: true, via: 'recovery', left: used.left } : { ok: false, reason: 'wrong' };
}
