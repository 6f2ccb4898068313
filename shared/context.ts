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
  requestId: string;
  /** Who is calling: a signed-in browser session, a bearer API token, or nobody. */
  auth: Auth | null;
  /** The CSRF token for this browser, rendered into forms and `hx-headers`. */
  csrfToken: string;
  /** Per-request CSP nonce, set by Hono's secureHeaders (`NONCE`). */
  secureHeadersNonce?: string;
};

export type AppEnv = { Bindings: Env; Variables: AppVars };

export type D1Cost = { queries: number; rowsRead: number; rowsWritten: number };

export type RequestScope = { requestId: string; cost: D1Cost };

export const requestScope = new AsyncLocalStorage<RequestScope>();

/** Adds one D1 result's metadata to the current request's counters (no-op outside a request). */
export function recordD1Cost(meta: { rows_read?: number; rows_written?: number } | undefined): void {
  const scope = requestScope.getStore();
  if (!scope) return;
  scope.cost.queries += 1;
  scope.cost.rowsRead += meta?.rows_read ?? 0;
  scope.cost.rowsWritten += meta?.rows_written ?? 0;
}
