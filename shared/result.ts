/**
 * One shape for what a repository or service call returns when it can be refused
 * for a reason the caller must answer (not an exception: a conflict, a refused
 * transition, a missing row, a full store): `{ ok: true, …data }` or
 * `{ ok: false, reason, …details }`. Handlers turn a refusal into a response with
 * `refusal()` (shared/http/refusal.ts), the same for pages, htmx and the API.
 */
export type Ok<T extends object = Record<never, never>> = { ok: true } & T;
export type Refused<R extends string, T extends object = Record<never, never>> = { ok: false; reason: R } & T;

export const ok = <T extends object>(data: T): Ok<T> => ({ ok: true, ...data });
export const refused = <R extends string, T extends object = Record<never, never>>(reason: R, details?: T): Refused<R, T> => ({
  ok: false,
  reason,
  ...(details as T),
});
