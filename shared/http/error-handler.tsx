/**
 * Errors in one place. Handlers throw `HttpError` (or Hono's HTTPException) where
 * a problem is found; `handleError` / `handleNotFound` turn it into what the caller
 * understands:
 *   - `/api/…` and `/<app>/api/…`  → application/problem+json (RFC 9457)
 *   - htmx requests                → a small fragment swapped into `#flash`
 *   - everything else              → a full page
 * An unexpected error is logged with its stack and the request id; the client sees
 * only the request id.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../context';
import { ConfigError } from '../env';
import { ErrorNotice, ErrorPage } from '../html/errors';
import { renderPage } from '../html/layout';
import { HttpError, problemJson, signInLocation, STATUS_TITLES } from './http-error';
import { localPath } from './local-path';
import { logEvent } from './logging';
import { responseKind } from './request';

function safeNext(c: Context): string {
  // After a failed POST, come back to the page the form was on, not to the POST target.
  // htmx requests come from the page in HX-Current-URL; a failed POST returns to the page the form was on.
  const from = c.req.header('hx-current-url') ?? (c.req.method === 'GET' ? c.req.url : (c.req.header('referer') ?? '/'));
  const path = localPath(from, new URL(c.req.url).origin);
  // The fragment never reaches the server in a real request; drop one a header carried.
  return path === null ? '/' : path.replace(/#.*$/, '') || '/';
}

export function handleError(error: Error, c: Context<AppEnv>): Response | Promise<Response> {
  // A misconfigured instance (found by the platform's check or by an app's own
  // settings) tells whoever runs it what to fix.
  const err = error instanceof ConfigError ? new HttpError(503, `Sixfold is not configured: ${error.message}`) : error;
  const status = (err instanceof HTTPException ? err.status : 500) as ContentfulStatusCode;
  // HttpError is always deliberate, with a message written for people (even a 503 for
  // a misconfigured instance); anything else at 5xx is a bug and stays private.
  const expected = err instanceof HttpError || (err instanceof HTTPException && status < 500);
  const headers = err instanceof HttpError ? err.headers : {};
  const fields = err instanceof HttpError ? err.fields : undefined;
  const members = err instanceof HttpError ? err.members : undefined;
  if (!expected) {
    logEvent('error', 'unhandled_error', { status, error: err.name, message: err.message, stack: err.stack });
  } else if (status >= 500 && error instanceof ConfigError) {
    // The operator must see a misconfiguration: one error line, no stack (it is not a bug).
    logEvent('error', 'misconfigured', { status, message: err.message });
  } else if (status >= 500) {
    // A deliberate 5xx (a 507 "storage is full"): a warning anyone can trigger, so no
    // stack and not at error level, where it would page someone once per request.
    logEvent('warn', 'refused', { status, message: err.message });
  }
  const message = expected
    ? err.message || STATUS_TITLES[status] || 'Request failed'
    : `Something went wrong on our side. If it keeps happening, report request id ${c.get('requestId')}.`;

  switch (responseKind(c)) {
    case 'api':
      if (status === 401) headers['www-authenticate'] ??= 'Bearer realm="sixfold"';
      return problemJson(c, status, message, { headers, fields, members });
    case 'htmx':
      if (status === 401) {
        return c.body(null, 204, { ...headers, 'hx-redirect': signInLocation(safeNext(c)) });
      }
      return c.html(<ErrorNotice status={status} message={message} />, status, {
        ...headers,
        'hx-retarget': '#flash',
        'hx-reswap': 'innerHTML',
      });
    case 'page':
      if (status === 401) return c.redirect(signInLocation(safeNext(c)), 303);
      return renderPage(c, { title: STATUS_TITLES[status] ?? 'Error', status, headers }, <ErrorPage status={status} message={message} />);
  }
}

export function handleNotFound(c: Context<AppEnv>): Response | Promise<Response> {
  return handleError(new HttpError(404, `Nothing lives at ${c.req.path}.`), c);
}
