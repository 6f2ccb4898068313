/**
 * The expected failure every handler throws (`HttpError`), the status titles, and
 * the RFC 9457 problem+json body. No JSX and no layout: anything may import this.
 * How an error becomes a page, a fragment or problem+json is in error-handler.tsx.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../context';

export type FieldErrors = Record<string, string>;

/** An expected failure with a message a person can act on. */
export class HttpError extends HTTPException {
  readonly headers: Record<string, string>;
  readonly fields: FieldErrors | undefined;
  /** Extra members of an API's problem+json (RFC 9457 extensions), e.g. a 409's fresh resource. */
  readonly members: Record<string, unknown> | undefined;
  constructor(
    status: ContentfulStatusCode,
    message: string,
    options: { headers?: Record<string, string>; fields?: FieldErrors; members?: Record<string, unknown> } = {},
  ) {
    super(status, { message });
    this.headers = options.headers ?? {};
    this.fields = options.fields;
    this.members = options.members;
  }
}

export const STATUS_TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Sign-in required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Invalid input',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
  507: 'Insufficient storage',
};

export function problemJson(
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  detail: string,
  extra: { headers?: Record<string, string>; fields?: FieldErrors; members?: Record<string, unknown> | undefined } = {},
): Response {
  const standard = {
    type: 'about:blank',
    title: STATUS_TITLES[status] ?? 'Error',
    status,
    detail,
    instance: c.req.path,
    request_id: c.get('requestId'),
  };
  // The standard members come first (a person reading a 409 sees `detail` before a whole
  // ticket), and an extension can never replace one of them (spread again after it).
  const body = {
    ...standard,
    ...extra.members,
    ...standard,
    ...(extra.fields ? { errors: Object.entries(extra.fields).map(([field, message]) => ({ field, message })) } : {}),
  };
  // Through the context (not `new Response`) so cookies set earlier in the request survive.
  return c.body(JSON.stringify(body), status, { ...extra.headers, 'content-type': 'application/problem+json; charset=utf-8' });
}

/** Where to send a browser that needs to sign in, coming back to `next` afterwards. */
export function signInLocation(next: string): string {
  return `/signin?next=${encodeURIComponent(next)}`;
}
