/**
 * The second step of signing in to an account with two-factor on.
 *
 * A correct password starts no session: it leaves a signed, five-minute cookie
 * naming the account (`v2.<user id>.<expiry>.<nonce>.<password fingerprint>.<HMAC>`),
 * and the code page asks for the authenticator's code or a recovery code. Only then
 * does a session start, and the cookie's nonce is spent (a copy is good for nothing
 * after); a password change voids it too. Guesses at the code count against the
 * account, atomically (repository.ts reserveSigninAttempt), so neither signing in with
 * the password again nor racing requests buys more of them; a browser the owner
 * completed a sign-in from before has an allowance of its own, so a stranger who has
 * the password cannot lock the owner out.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../context';
import { hmacBase64url, hmacKey, randomToken, seal, sha256Hex, timingSafeEqual, unseal } from '../crypto';
import { COOKIES, hasBearer } from '../http/request';
import { knownDevice } from './device';
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

/** Ties a second step to the password it followed: a password change voids it. */
const passwordFingerprint = async (passwordHash: string) => (await sha256Hex(`second-step:${passwordHash}`)).slice(0, 16);

/** After a correct password: this browser may now enter a code for `userId`, for five minutes. */
export async function startSecondStep(c: Context<AppEnv>, userId: number, passwordHash: string, now: number): Promise<void> {
  const payload = `v2.${userId}.${now + SECOND_STEP_TTL_MS}.${randomToken(16)}.${await passwordFingerprint(passwordHash)}`;
  setCookie(c, COOKIE, `${payload}.${await signature(c.env.SESSION_SECRET, payload)}`, { ...base, maxAge: SECOND_STEP_TTL_MS / 1000 });
}

/** A second step this browser may take: whose, until when, and its nonce. */
export type PendingSecondStep = { userId: number; expiresAt: number; nonce: string; fingerprint: string };

/**
 * The account this browser entered the password of in the last five minutes, or null.
 * Never on a Bearer request: those carry no cookie's authority (the CSRF check skips them).
 */
export async function pendingSecondStep(c: Context<AppEnv>, now: number): Promise<PendingSecondStep | null> {
  if (hasBearer(c)) return null;
  const cookie = getCookie(c, COOKIE);
  if (!cookie || cookie.length > 160) return null;
  const match = /^v2\.(\d{1,15})\.(\d{1,15})\.([A-Za-z0-9_-]{22})\.([0-9a-f]{16})\.([A-Za-z0-9_-]{43})$/.exec(cookie);
  if (!match || Number(match[2]) <= now) return null;
  const expected = await signature(c.env.SESSION_SECRET, `v2.${match[1]}.${match[2]}.${match[3]}.${match[4]}`);
  if (!timingSafeEqual(match[5]!, expected)) return null;
  return { userId: Number(match[1]), expiresAt: Number(match[2]), nonce: match[3]!, fingerprint: match[4]! };
}

/** Whether a pending second step still follows the account's current password. */
export async function followsPassword(pending: PendingSecondStep, passwordHash: string): Promise<boolean> {
  return timingSafeEqual(pending.fingerprint, await passwordFingerprint(passwordHash));
}

export function endSecondStep(c: Context<AppEnv>): void {
  deleteCookie(c, COOKIE, base);
}

/**
 * Whose wrong codes an attempt counts against (signin_failures): a browser the owner
 * completed a sign-in from has its own allowance (its device cookie, set only after a
 * full sign-in); every other browser shares the account's.
 */
export async function secondStepKey(c: Context<AppEnv>, userId: number): Promise<string> {
  const device = await knownDevice(c, userId);
  return device ? `2fa:device:${device}` : `2fa:${userId}`;
}

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
  /** `unreadable`: the stored secret no longer opens (SESSION_SECRET changed since enrolment). */
  | { ok: false; reason: 'malformed' | 'wrong' | 'unreadable' };

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
    const totpSecret = await unsealTotpSecret(env.SESSION_SECRET, input.userId, input.sealedSecret).catch(() => null);
    if (!totpSecret) return { ok: false, reason: 'unreadable' };
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
