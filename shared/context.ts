/**
 * Types and per-request state shared by every app.
 *
 * `AppEnv` is the Hono generic every sub-app uses. `requestScope` is an
 * AsyncLocalStorage (nodejs_compat) that carries the request id and the D1 cost
 * counters through code that only receives a `D1Database` — repositories stay
 * free of Hono and of logging concerns, yet every query they run is counted in
 * the request's log line.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Auth } from './auth/types';

export type AppVars = {
  /** Ours, always generated here (crypto.randomUUID()): logs and audit rows can trust it. */
  requestId: string;
  /** The caller's own X-Request-Id, sanitised and capped; only ever logged next to ours. */
  clientRequestId?: string | undefined;
  /** Who is calling: a signed-in browser session, a bearer API token, or nobody. */
  auth: Auth | null;
  /** The CSRF token for this browser, rendered into forms and `hx-headers`. */
  csrfToken: string;
  /** Per-request CSP nonce, set by Hono's secureHeaders (`NONCE`). */
  secureHeadersNonce?: string;
};

export type AppEnv = { Bindings: Env; Variables: AppVars };

/**
 * D1 work of one request. `queries` counts round trips to D1 (a `batch()` is one:
 * one call, one transaction); `statements` counts the SQL statements inside them.
 */
export type D1Cost = { queries: number; statements: number; rowsRead: number; rowsWritten: number };

export type RequestScope = { requestId: string; cost: D1Cost };

export const requestScope = new AsyncLocalStorage<RequestScope>();

type Meta = { rows_read?: number; rows_written?: number } | undefined;

/** Adds one D1 call (a statement, or a batch of them) to the current request's counters (no-op outside a request). */
export function recordD1Cost(metas: Meta[]): void {
  const scope = requestScope.getStore();
  if (!scope) return;
  scope.cost.queries += 1;
  for (const meta of metas) {
    scope.cost.statements += 1;
    scope.cost.rowsRead += meta?.rows_read ?? 0;
    scope.cost.rowsWritten += meta?.rows_written ?? 0;
  }
}
