/**
 * A domain refusal (`{ ok: false, reason }`, shared/result.ts) as an HTTP answer,
 * one table per app: `throw refusal(TICKET_REFUSALS, result.reason, { members })`.
 * The error handler then answers each kind of caller its way: problem+json (with
 * `members` and `fields`) for the API, a notice for htmx, a page otherwise. A
 * handler that re-renders a form around the message reads the same table
 * (`describeRefusal`) so web and API always say the same thing.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { HttpError } from './http-error';

export type RefusalEntry = {
  status: ContentfulStatusCode;
  message: string;
  /** The form field (and API field) the refusal is about, if one. */
  field?: string;
};

export type RefusalTable<R extends string> = Record<R, RefusalEntry>;

export function describeRefusal<R extends string>(table: RefusalTable<R>, reason: R, message?: string): RefusalEntry {
  const entry = table[reason];
  return message === undefined ? entry : { ...entry, message };
}

/** The HttpError for `reason`; `message` replaces the table's (for one that names the specific rows). */
export function refusal<R extends string>(
  table: RefusalTable<R>,
  reason: R,
  options: { message?: string; members?: Record<string, unknown>; headers?: Record<string, string> } = {},
): HttpError {
  const entry = describeRefusal(table, reason, options.message);
  return new HttpError(entry.status, entry.message, {
    ...(entry.field ? { fields: { [entry.field]: entry.message } } : {}),
    ...(options.members ? { members: options.members } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
}
