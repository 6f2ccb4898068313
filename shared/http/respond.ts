/** Responses that differ between htmx and plain browser requests. */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../context';
import { renderPage, type PageProps } from '../html/layout';
import { isHtmx } from './request';
import { localPath } from './local-path';

/**
 * Navigates the browser: a 303 for plain forms (post/redirect/get), and for htmx a
 * 204 with `HX-Redirect`, which makes htmx do a full page load of the target.
 * Only within this site: the target is parsed against the request's origin (as the
 * browser will parse it) and anything that would leave it goes home instead.
 */
export function navigate(c: Context<AppEnv>, location: string): Response {
  const target = localPath(location, new URL(c.req.url).origin) ?? '/';
  if (isHtmx(c)) return c.body(null, 204, { 'hx-redirect': target });
  return c.redirect(target, 303);
}

/** Whether the request's If-None-Match lists this ETag (a 304 will do). */
export function matchesEtag(c: Context, etag: string): boolean {
  return (c.req.header('if-none-match') ?? '').split(/\s*,\s*/).includes(etag);
}

/** A fragment for htmx (it swaps it in), or the same content as a whole page. */
export function fragmentOrPage(c: Context<AppEnv>, options: PageProps & { status?: number }, content: Child): Response | Promise<Response> {
  if (isHtmx(c)) return c.html(content as string, (options.status ?? 200) as 200);
  return renderPage(c, options, content);
}
