/**
 * Who is calling, decided once per request.
 *
 * - `Authorization: Bearer sfp_…` → a personal API token. Cookies are ignored on
 *   every bearer request (so CSRF cannot ride on them); a bad `sfp_` token is a
 *   401, never a silent fall-back to anonymous. Other bearer values leave the
 *   request anonymous for the route to interpret (an app's own capability tokens).
 * - Otherwise the `__Host-sf_at` JWT (15 min). It names the user and session; the
 *   session row is checked too (one primary-key join, 2 rows read), so signing out,
 *   revoking a session or disabling an account locks the browser out at once.
 * - No valid access token but a refresh cookie → rotate it (repository.ts explains
 *   the reuse rules) and set fresh cookies on this response.
 *
 * `requireUser`, `requireRole` and `requireScope` are what apps put on routes.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context';
import { now } from '../clock';
import { HttpError } from '../http/http-error';
import { audit, logEvent } from '../http/logging';
import { hasBearer } from '../http/request';
import { clearSessionCookies, readAccessCookie, readRefreshCookie, setAccessCookie, setRefreshCookie } from './cookies';
import { signAccessToken, verifyAccessToken } from './jwt';
import { API_TOKEN_PREFIX, findApiToken, findSessionUser, rotateRefreshToken, touchApiToken } from './repository';
import type { Scope } from './scopes';
import type { Auth, Role } from './types';

export function loadAuth(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('auth', hasBearer(c) ? await bearerAuth(c) : await cookieAuth(c));
    await next();
  };
}

async function bearerAuth(c: Context<AppEnv>): Promise<Auth | null> {
  const token = (c.req.header('authorization') ?? '').replace(/^Bearer\s+/i, '').trim();
  // Other bearer values are not ours to judge here: a route may accept its own
  // (e.g. a paste's delete token). The request stays anonymous and its cookies unused.
  if (!token.startsWith(API_TOKEN_PREFIX)) return null;
  const found = await findApiToken(c.env.DB, token, now());
  if (!found) {
    throw new HttpError(401, 'The API token is invalid, expired or revoked. Create a new one on your account page.', {
      headers: { 'www-authenticate': 'Bearer realm="sixfold", error="invalid_token"' },
    });
  }
  if (found.lastUsedAt === null || found.lastUsedAt < now() - 60_000) {
    c.executionCtx.waitUntil(touchApiToken(c.env.DB, found.tokenId, now()).catch(() => {}));
  }
  return { via: 'token', user: found.user, tokenId: found.tokenId, scopes: found.scopes };
}

async function cookieAuth(c: Context<AppEnv>): Promise<Auth | null> {
  const secret = c.env.SESSION_SECRET;
  const t = now();
  const jwt = readAccessCookie(c);
  if (jwt) {
    const claims = await verifyAccessToken(secret, jwt, t);
    if (claims) {
      const user = await findSessionUser(c.env.DB, claims.sessionId, claims.userId, t);
      if (user) return { via: 'session', user, sessionId: claims.sessionId };
      // Signed but its session ended (signed out elsewhere, revoked, disabled).
      clearSessionCookies(c);
      return null;
    }
  }
  const refresh = readRefreshCookie(c);
  if (!refresh) return null;
  if (refresh.length > 100) {
    clearSessionCookies(c);
    return null;
  }
  const result = await rotateRefreshToken(c.env.DB, refresh, t);
  switch (result.kind) {
    // biome-ignore lint/suspicious/noFallthroughSwitchClause: both kinds get a fresh access token.
    case 'rotated':
      setRefreshCookie(c, result.refreshToken);
    case 'grace':
      setAccessCookie(c, await signAccessToken(secret, { userId: result.user.id, sessionId: result.sessionId }, t));
      return { via: 'session', user: result.user, sessionId: result.sessionId };
    case 'reuse':
      audit('session.refresh_reuse', { session_id: result.sessionId });
      logEvent('warn', 'refresh_token_reuse', { session_id: result.sessionId });
      clearSessionCookies(c);
      return null;
    case 'invalid':
      clearSessionCookies(c);
      return null;
  }
}

export function currentAuth(c: Context<AppEnv>): Auth {
  const auth = c.get('auth');
  if (!auth) throw new HttpError(401, 'Sign in to continue.');
  return auth;
}

/** Any signed-in user (session or token). Pages redirect to sign-in; APIs answer 401. */
export function requireUser(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    currentAuth(c);
    await next();
  };
}

/** A signed-in user with one of these roles. */
export function requireRole(...roles: Role[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = currentAuth(c);
    if (!roles.includes(auth.user.role)) {
      throw new HttpError(403, `This needs the ${roles.join(' or ')} role; your account is ${auth.user.role}.`);
    }
    await next();
  };
}

/**
 * Token requests must carry the scope (403 insufficient_scope otherwise); browser
 * sessions are limited by role only. `hint` ends the message with what to do.
 */
export function assertScope(auth: Auth, scope: Scope, hint = 'Create a token with it on your account page.'): void {
  if (auth.via === 'token' && !auth.scopes.includes(scope)) {
    throw new HttpError(403, `This API token lacks the “${scope}” scope. ${hint}`, {
      headers: { 'www-authenticate': `Bearer realm="sixfold", error="insufficient_scope", scope="${scope}"` },
    });
  }
}

/** Route middleware form of assertScope for a signed-in caller; any of `alternatives` will do too (a broader scope). */
export function requireScope(scope: Scope, ...alternatives: Scope[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = currentAuth(c);
    if (!(auth.via === 'token' && alternatives.some((s) => auth.scopes.includes(s)))) assertScope(auth, scope);
    await next();
  };
}

/** Starts a browser session for a user who just proved who they are. */
export async function startSession(c: Context<AppEnv>, userId: number, sessionId: string, refreshToken: string): Promise<void> {
  setRefreshCookie(c, refreshToken);
  setAccessCookie(c, await signAccessToken(c.env.SESSION_SECRET, { userId, sessionId }, now()));
}

/**
 * A signed-in browser session (not an API token): account management is not for
 * tokens, nor are an app's pages (a token's scopes are checked by its API only).
 */
export function requireSession(message = 'API tokens cannot manage accounts. Use the web page.'): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const auth = currentAuth(c);
    if (auth.via !== 'session') throw new HttpError(403, message);
    await next();
  };
}
