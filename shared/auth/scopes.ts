/**
 * Scopes for personal API tokens. A token carries a subset; `requireScope()` checks
 * it. The type is static: each app declares its scopes by augmenting `ScopeMap`
 * (as Hono's `ContextVariableMap` is augmented) in `workers/<app>/index.ts`, and
 * describes them in its descriptor's `scopes`; `workers/apps.ts` gathers the
 * descriptions (shared/ names no app).
 *
 *   declare module '../../shared/auth/scopes' {
 *     interface ScopeMap { 'notes:write': true }
 *   }
 */
export interface ScopeMap {
  /** The platform's own: read your profile (GET /api/me). */
  'account:read': true;
}

export type Scope = keyof ScopeMap & string;

/** A scope name as stored: `app` or `app:verb`. Stored names no app declares any more grant nothing (no route asks for them). */
export const SCOPE_NAME = /^[a-z][a-z0-9-]*(?::[a-z][a-z0-9-]*)?$/;
