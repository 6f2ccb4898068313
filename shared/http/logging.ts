/**
 * Structured logs: one JSON object per line, which Workers Logs indexes by field.
 * One line per request (request id, route, status, duration, user, D1 cost) and one
 * per state change (`audit`). Never pass secrets, passwords, tokens or payload
 * plaintext here: callers log ids and names, not values.
 */
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { requestScope, type AppEnv, type D1Cost } from '../context';
import { hmacBase64url, hmacKey } from '../crypto';

type Level = 'info' | 'warn' | 'error';

export function logEvent(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, msg, request_id: requestScope.getStore()?.requestId, ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}

/** One line per state change: who did what to which thing. */
export function audit(event: string, fields: { actor_id?: number | null } & Record<string, unknown>): void {
  logEvent('info', 'audit', { event, ...fields });
}

/**
 * A value's name in log lines: a keyed hash (12 characters), the same for the same
 * value, so lines correlate, but useless to anyone reading logs: a paste slug is a
 * capability (it opens, and may burn, the paste), so logs name it only like this.
 */
export async function logRef(secret: string, value: string): Promise<string> {
  return (await hmacBase64url(await hmacKey(secret, 'log-ref'), value)).slice(0, 12);
}

/**
 * The request's path as logged: the matched route with each parameter replaced by
 * `~` and its logRef (`/<app>/~Xy12…/raw`), so no URL secret (a slug, an id an
 * attacker could enumerate from logs) is written, while the same thing keeps the
 * same name across lines. Unmatched paths (404s) are logged as requested.
 */
export async function loggedPath(secret: string, route: string, path: string, params: Record<string, string>): Promise<string> {
  const names = Object.keys(params);
  // A route ending in a wildcard (middleware on `/api/*` answering first) names no parameters: redact as unmatched.
  if (route === '*' || route.endsWith('/*')) return redactUnmatched(secret, path);
  if (names.length === 0) return path;
  const refs = await Promise.all(names.map(async (n) => [n, `~${await logRef(secret, params[n]!)}`] as const));
  const byName = new Map(refs);
  return route.replace(/:(\w+)(\{[^}]*\})?\??/g, (whole, name: string) => byName.get(name) ?? whole);
}

/**
 * A path segment that may be or carry a capability (a room id, a long slug, a signed
 * link like `<id>.<n>.<mac>`): one with a run of 16 or more URL-safe characters.
 */
const SECRET_LIKE = /[A-Za-z0-9_-]{16,}/;

/**
 * A path no route matched (answered by middleware: a CSRF 403, a 413, a 404) has no
 * parameter names to go by: any segment that looks like an id is replaced by its
 * logRef, so a refused request does not write the secret a matched one would hide.
 */
async function redactUnmatched(secret: string, path: string): Promise<string> {
  const segments = path.split('/');
  if (!segments.some((s) => SECRET_LIKE.test(s))) return path;
  const out = await Promise.all(segments.map(async (s) => (SECRET_LIKE.test(s) ? `~${await logRef(secret, s)}` : s)));
  return out.join('/');
}

/** What is kept of a client's X-Request-Id: these characters only, at most this many. */
export const CLIENT_REQUEST_ID_MAX = 64;

/** A client-supplied request id made safe to log: [A-Za-z0-9._:-], capped; undefined if nothing is left. */
export function sanitizeClientRequestId(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const kept = value
    .slice(0, 4 * CLIENT_REQUEST_ID_MAX)
    .replace(/[^A-Za-z0-9._:-]/g, '')
    .slice(0, CLIENT_REQUEST_ID_MAX);
  return kept === '' ? undefined : kept;
}

/**
 * Gives every request our own id (a random UUID), sent back as X-Request-Id. The
 * client does not get to choose it: it lands in log lines and audit rows, where a
 * chosen value could collide with or impersonate another request's trail. A
 * client's own X-Request-Id is kept apart (`clientRequestId`) for the request line.
 */
export function assignRequestId(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const id = crypto.randomUUID();
    c.set('requestId', id);
    c.set('clientRequestId', sanitizeClientRequestId(c.req.header('x-request-id')));
    c.header('x-request-id', id);
    await next();
  };
}

/** Opens the request scope (id + D1 cost counters) and writes the request's log line. */
export function requestLog(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    const cost: D1Cost = { queries: 0, statements: 0, rowsRead: 0, rowsWritten: 0 };
    await requestScope.run({ requestId: c.get('requestId'), cost }, next);
    // LOG_REQUESTS=false turns off this line only (audit and error lines stay):
    // for instances that do not want to pay for one Workers Logs event per request.
    if (c.env.LOG_REQUESTS === 'false') return;
    const auth = c.get('auth');
    const route = routePath(c);
    logEvent('info', 'request', {
      request_id: c.get('requestId'),
      client_request_id: c.get('clientRequestId'),
      method: c.req.method,
      route,
      path: await loggedPath(c.env.SESSION_SECRET ?? '', route, c.req.path, c.req.param() as Record<string, string>),
      // Sent by htmx (JavaScript on) rather than by a plain form or link: the e2e
      // walk reads this to prove each unsafe route was driven both ways.
      htmx: c.req.header('hx-request') === 'true',
      status: c.res.status,
      duration_ms: Math.round(performance.now() - started),
      user_id: auth?.user.id ?? null,
      auth: auth?.via ?? null,
      d1_queries: cost.queries,
      d1_statements: cost.statements,
      rows_read: cost.rowsRead,
      rows_written: cost.rowsWritten,
    });
  };
}
