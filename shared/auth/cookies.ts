/**
 * The session cookies. `__Host-` means Secure, Path=/ and no Domain: no subdomain
 * and no plain-http page can set or read them. Browsers keep Secure cookies on
 * http://localhost and http://127.0.0.1 (secure contexts), so local dev works.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { COOKIES } from '../http/request';
import { ACCESS_TOKEN_TTL_SECONDS } from './jwt';
import { SESSION_IDLE_MS } from './repository';

const ACCESS_COOKIE = COOKIES.access;
const REFRESH_COOKIE = COOKIES.refresh;

const base = { path: '/', secure: true, httpOnly: true, sameSite: 'Lax' } as const;

export function readAccessCookie(c: Context): string | undefined {
  return getCookie(c, ACCESS_COOKIE);
}

export function readRefreshCookie(c: Context): string | undefined {
  return getCookie(c, REFRESH_COOKIE);
}

export function setAccessCookie(c: Context, jwt: string): void {
  setCookie(c, ACCESS_COOKIE, jwt, { ...base, maxAge: ACCESS_TOKEN_TTL_SECONDS });
}

export function setRefreshCookie(c: Context, token: string): void {
  setCookie(c, REFRESH_COOKIE, token, { ...base, maxAge: Math.floor(SESSION_IDLE_MS / 1000) });
}

export function clearSessionCookies(c: Context): void {
  deleteCookie(c, ACCESS_COOKIE, base);
  deleteCookie(c, REFRESH_COOKIE, base);
}
