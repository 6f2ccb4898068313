/**
 * Security middleware shared by every route: response headers (CSP with a
 * per-request nonce, HSTS, nosniff, …), body-size limits, and CSRF protection.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import { NONCE, secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from '../context';
import { hmacBase64url, hmacKey, randomToken, timingSafeEqual } from '../crypto';
import { HttpError } from './http-error';
import { AMBIENT_COOKIES, COOKIES, CSRF_FIELD, CSRF_HEADER, hasBearer, isApiPath } from './request';

/**
 * CSP: scripts only with this response's nonce (htmx and our modules are served
 * from public/ and carry it), styles only from our origin (htmx 4 adds its
 * indicator CSS as a constructed stylesheet, which needs no inline style), no
 * plugins, no <base>, no framing. Handlers may set a stricter policy of their own
 * (e.g. `sandbox` on raw views): `overwrite: false` keeps it.
 */
/** The Content-Security-Policy of every response (NONCE: a fresh nonce per response). */
const CSP = {
  defaultSrc: ["'self'"],
  scriptSrc: [NONCE],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

/** Powerful features no page may use, unless a page allows one for itself (`pagePolicy`). */
const DENIED_FEATURES = ['camera', 'geolocation', 'microphone', 'payment', 'usb'] as const;
export type Feature = (typeof DENIED_FEATURES)[number];

export function securityHeaders(): MiddlewareHandler<AppEnv> {
  const headers = secureHeaders({
    contentSecurityPolicy: CSP,
    strictTransportSecurity: 'max-age=31536000; includeSubDomains',
    referrerPolicy: 'strict-origin-when-cross-origin',
    xFrameOptions: 'DENY',
    crossOriginResourcePolicy: 'same-origin',
    permissionsPolicy: Object.fromEntries(DENIED_FEATURES.map((f) => [f, []])),
    overwrite: false,
  });
  return async (c, next) => {
    await headers(c, next);
    // After secureHeaders has written the CSP, so its nonce is visible here.
    noReuseOfNoncePages(c.res.headers, c.res.status);
    noSharedCachingOfCookies(c.res.headers);
  };
}

/**
 * One page's exceptions to the policy above, and nothing else: extra script sources
 * (exact URLs: a source with a path matches that file only) and features it may use
 * from its own origin: e.g. a page that loads an AudioWorklet module (a worklet cannot
 * carry a nonce) and asks for the microphone. The rest of the policy,
 * nonce included, stays as every page has it.
 */
export function pagePolicy(c: Context<AppEnv>, options: { scriptSrc?: readonly string[]; allow?: readonly Feature[] }): void {
  const nonce = c.get('secureHeadersNonce');
  const directives = Object.entries(CSP).map(([name, sources]) => {
    const values: string[] = sources.map((s) => (s === NONCE ? `'nonce-${nonce}'` : (s as string)));
    if (name === 'scriptSrc') values.push(...(options.scriptSrc ?? []));
    return `${name.replace(/[A-Z]/g, (ch) => `-${ch.toLowerCase()}`)} ${values.join(' ')}`;
  });
  c.header('content-security-policy', directives.join('; '));
  const allow = new Set(options.allow ?? []);
  c.header('permissions-policy', DENIED_FEATURES.map((f) => `${f}=${allow.has(f) ? '(self)' : '()'}`).join(', '));
}

/**
 * A response that sets a cookie (a rotated session, a new CSRF secret) is one
 * person's: a shared cache must never keep it, whatever the handler asked for.
 */
export function noSharedCachingOfCookies(headers: Headers): void {
  if (!headers.has('set-cookie')) return;
  const cacheControl = headers.get('cache-control');
  if (cacheControl !== null && /\bpublic\b/i.test(cacheControl)) headers.set('cache-control', cacheControl.replace(/\bpublic\b/gi, 'private'));
}

const NONCE_IN_CSP = /'nonce-/;

/**
 * A per-request CSP nonce and a validator must never meet. On a 304 the browser
 * keeps its cached HTML, whose <script nonce> values are the old ones, but takes
 * the 304's headers, whose CSP names a new nonce: every script on the page is
 * blocked. So, platform-wide, whatever a handler set:
 *
 * - an HTML response whose CSP carries a nonce loses ETag and Last-Modified (the
 *   browser then has nothing to revalidate with, and never gets a 304 for it) and
 *   may not be stored for reuse: `no-store`, unless the handler already chose
 *   `private, no-cache` (kept only by the browser, and without a validator always
 *   fetched again in full). A shared cache must not keep it either: everyone would
 *   get the same nonce.
 * - a 304 (answering a validator issued before this rule, or sent by hand) never
 *   carries a nonce CSP: without one, the browser keeps the CSP stored with its
 *   cached body, and the two still match.
 */
export function noReuseOfNoncePages(headers: Headers, status: number): void {
  const csp = headers.get('content-security-policy');
  if (csp === null || !NONCE_IN_CSP.test(csp)) return;
  if (status === 304) {
    headers.delete('content-security-policy');
    return;
  }
  if (!(headers.get('content-type') ?? '').toLowerCase().startsWith('text/html')) return;
  headers.delete('etag');
  headers.delete('last-modified');
  const cacheControl = (headers.get('cache-control') ?? '').toLowerCase();
  const browserOnlyRevalidated = /\bprivate\b/.test(cacheControl) && /\bno-cache\b/.test(cacheControl);
  if (!/\bno-store\b/.test(cacheControl) && !browserOnlyRevalidated) headers.set('cache-control', 'no-store');
}

/** Bodies larger than this are refused with 413 before they are read. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * Per-path body limits (from each app's descriptor): the first match wins (a prefix, or
 * a pattern for the whole path), else DEFAULT_BODY_LIMIT. An entry that names a header
 * applies only to requests that carry it: an app's large uploads are sent by its own
 * scripts with the CSRF header, so the CSRF check never has to read a large body to
 * find its token (a stranger's multipart bomb is refused at the app's usual limit).
 */
export type BodyLimits = ReadonlyArray<readonly [prefix: string | RegExp, bytes: number, header?: string]>;

export function bodyLimitFor(limits: BodyLimits, path: string, has: (header: string) => boolean = () => false): number {
  const match = limits.find(
    ([prefix, , header]) =>
      (header === undefined || has(header)) && (typeof prefix === 'string' ? path === prefix || path.startsWith(`${prefix}/`) : prefix.test(path)),
  );
  return match?.[1] ?? DEFAULT_BODY_LIMIT;
}

export function bodyLimits(limits: BodyLimits): MiddlewareHandler<AppEnv> {
  const limiters = new Map<number, MiddlewareHandler>();
  return (c, next) => {
    // An Authorization header counts only as a Bearer token: the CSRF check parses no form body for those.
    const max = bodyLimitFor(limits, c.req.path, (header) => (header === 'authorization' ? hasBearer(c) : c.req.header(header) !== undefined));
    let limiter = limiters.get(max);
    if (!limiter) {
      limiter = bodyLimit({
        maxSize: max,
        onError: () => {
          throw new HttpError(413, `The request body is larger than the ${formatBytes(max)} this endpoint accepts.`);
        },
      });
      limiters.set(max, limiter);
    }
    return limiter(c, next);
  };
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}

// ---------------------------------------------------------------- CSRF

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)/i;

async function tokenFor(secret: string, cookieValue: string): Promise<string> {
  return hmacBase64url(await hmacKey(secret, 'csrf'), cookieValue);
}

/**
 * CSRF protection, in three layers:
 *
 * 1. Any unsafe request whose `Sec-Fetch-Site` or `Origin` says it came from
 *    another site (including `Origin: null`) is refused, whatever its content type.
 *    This also stops login CSRF from browsers that hold no cookie of ours yet.
 * 2. If the request carries one of our cookies, Hono's `csrf()` must see a positive
 *    same-origin signal (Sec-Fetch-Site or Origin) for form-encoded bodies.
 * 3. …and it must carry the token: HMAC(SESSION_SECRET, csrf cookie), sent by htmx
 *    in `X-CSRF-Token` (`hx-headers:inherited` on <body>) or by plain forms in the
 *    hidden `_csrf` field (pages keep working without JavaScript). The cookie is
 *    `__Host-`, HttpOnly: another site can neither read nor plant it.
 *
 * Requests with `Authorization: Bearer` skip 2 and 3: they carry no cookies (auth
 * ignores cookies on them), so there is no ambient authority to forge. Requests
 * with no cookies and no cross-site signal (curl) are anonymous and pass.
 */
export function csrfProtection(): MiddlewareHandler<AppEnv> {
  const honoOriginCheck = csrf();
  return async (c, next) => {
    let cookie = getCookie(c, COOKIES.csrf);
    if (cookie !== undefined && (cookie.length < 20 || cookie.length > 64)) cookie = undefined;
    // Browsers get the cookie on their first page; API clients (bearer, /api/) never need one.
    if (cookie === undefined && !hasBearer(c) && !isApiPath(c.req.path)) {
      cookie = randomToken(24);
      setCookie(c, COOKIES.csrf, cookie, { path: '/', secure: true, httpOnly: true, sameSite: 'Lax', maxAge: 400 * 24 * 3600 });
    }
    const expected = cookie === undefined ? '' : await tokenFor(c.env.SESSION_SECRET, cookie);
    c.set('csrfToken', expected);

    if (SAFE_METHODS.has(c.req.method) || hasBearer(c)) return next();

    const site = c.req.header('sec-fetch-site');
    const origin = c.req.header('origin');
    const self = new URL(c.req.url).origin;
    if ((site !== undefined && site !== 'same-origin') || (origin !== undefined && origin !== self)) {
      throw new HttpError(403, 'Cross-site request refused. Submit the form from this site’s own pages.');
    }

    const ambient = AMBIENT_COOKIES.some((name) => getCookie(c, name) !== undefined);
    if (!ambient) return next();

    try {
      await honoOriginCheck(c, async () => {});
    } catch {
      throw new HttpError(403, 'This request did not come from a Sixfold page. Reload the page and try again.');
    }
    let sent = c.req.header(CSRF_HEADER);
    if (sent === undefined && FORM_TYPES.test(c.req.header('content-type') ?? '')) {
      let body: Record<string, unknown>;
      try {
        body = await c.req.parseBody();
      } catch {
        // A multipart body without a boundary, or cut short: nothing a page of ours sends.
        throw new HttpError(400, 'The form body could not be read. Reload the page and submit the form again.');
      }
      const field = body[CSRF_FIELD];
      sent = typeof field === 'string' ? field : undefined;
    }
    if (sent === undefined || expected === '' || !timingSafeEqual(sent, expected)) {
      throw new HttpError(403, 'The form’s security token is missing or out of date. Reload the page and try again.');
    }
    return next();
  };
}
