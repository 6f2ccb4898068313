/**
 * Structured logs: one JSON object per line, which Workers Logs indexes by field.
 * One line per request (request id, route, status, duration, user, D1 cost) and one
 * per state change (`audit`). Never pass secrets, passwords, tokens or payload
 * plaintext here: callers log ids and names, not values.
 */
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { requestScope, type AppEnv, type D1Cost } from '../context';

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
    logEvent('info', 'request', {
      request_id: c.get('requestId'),
      method: c.req.method,
      route: routePath(c),
      path: c.req.path,
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
