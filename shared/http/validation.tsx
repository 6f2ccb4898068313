/**
 * zod at the edge of every handler, one way: a route declares its inputs with the
 * validators below and the handler reads `c.req.valid(target)`. No handler parses
 * input itself.
 *
 *   query(schema)          ?…              422 naming each parameter
 *   params(schema, msg)    :id, :slug      404 with `msg` (an id that cannot exist is one that does not)
 *   json(schema)           API bodies      400/415 for a body that is not JSON, 422 naming each field (problem+json)
 *   headers(schema)        e.g. Idempotency-Key
 *   form(schema, hook)     HTML forms      the CSRF field is stripped first (the CSRF middleware checked it), so
 *                                          form schemas never declare it; `hook` decides what a person sees
 *   byRole(validator, {…}) one schema per role (staff or member), picked after sign-in
 *
 * query/params/json/headers are hono-openapi validators: the same schema that
 * validates a request describes it in /api/openapi.json. What a person sees when
 * input is wrong:
 *   - `rejectInvalid` → 422 listing each field's message (problem+json for APIs);
 *   - `formHook` → 422 with the form re-rendered around the messages: the form
 *                  alone for htmx (it replaces itself), a whole page otherwise.
 * Nothing is written: the handler never runs.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Child } from 'hono/jsx';
import { validator as honoValidator } from 'hono/validator';
import { uniqueSymbol, validator as documentedValidator } from 'hono-openapi';
import type * as z from 'zod';
import type { AppEnv } from '../context';
import { HttpError, problemJson, type FieldErrors } from './http-error';
import { CSRF_FIELD, isApiPath } from './request';
import { fragmentOrPage } from './respond';

/** A validation issue as zod reports it (through Standard Schema too: zod passes its own issues). */
type Issue = {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
  readonly code?: string;
  readonly keys?: readonly string[];
};
type Issues = { readonly issues: readonly Issue[] } | readonly Issue[];

/**
 * One message per field. `depth: 'field'` files nested issues (`scopes.0`) under
 * their form field (`scopes`), which is where a form shows them.
 */
export function fieldErrors(error: Issues, depth: 'path' | 'field' = 'path'): FieldErrors {
  // No prototype: a field named `__proto__` is reported like any other.
  const out: FieldErrors = Object.create(null);
  const issues = 'issues' in error ? error.issues : error;
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      // A form has no place for a field it does not show: report it form-wide.
      const at = (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p));
      for (const k of issue.keys ?? []) {
        const message = `Unknown field “${k}”.`;
        if (depth === 'field') out._ = out._ ? `${out._} ${message}` : message;
        else out[[...at, k].join('.')] ??= message;
      }
      continue;
    }
    const full = (issue.path ?? []).map((p) => String(typeof p === 'object' ? p.key : p));
    const path = depth === 'field' ? full.slice(0, 1) : full;
    const key = path.length ? path.join('.') : '_';
    out[key] ??= issue.message;
  }
  return out;
}

type HookResult = { success: true } | { success: false; error: Issues; data?: unknown };

// biome-ignore lint/suspicious/noExplicitAny: a hook serves routes of any path and input types.
type AnyContext = Context<any, any, any>;

/** A 422 naming every invalid field, for input validated outside a validator hook. */
export function invalidInput(error: Issues, what = 'input'): HttpError {
  const fields = fieldErrors(error);
  const detail = Object.entries(fields)
    .map(([k, v]) => (k === '_' ? v : `${k}: ${v}`))
    .join(' ');
  return new HttpError(422, `Invalid ${what}. ${detail}`, { fields });
}

/**
 * The default hook: 422 with every field's message, as problem+json under /api/
 * and as a notice (htmx) or error page (browser) elsewhere, through onError.
 */
export function rejectInvalid(result: HookResult, c: AnyContext): Response | undefined {
  if (result.success) return undefined;
  const error = invalidInput(result.error);
  if (isApiPath(c.req.path)) return problemJson(c as Context<AppEnv>, 422, error.message, { fields: error.fields });
  throw error;
}

export type FormRender = (c: Context<AppEnv>, state: { errors: FieldErrors; values: Record<string, unknown> }) => { title: string; form: Child };

/** For HTML forms: re-render the form with messages (422). */
export function formHook(render: FormRender) {
  return (result: HookResult, c: AnyContext): Response | Promise<Response> | undefined => {
    if (result.success) return undefined;
    const values = (result.data ?? {}) as Record<string, unknown>;
    const { title, form } = render(c as Context<AppEnv>, { errors: fieldErrors(result.error, 'field'), values });
    return fragmentOrPage(c as Context<AppEnv>, { title, status: 422 }, form);
  };
}

// ---------------------------------------------------------------- the validators

/** Query parameters (documented in the OpenAPI document). */
export function query<S extends z.ZodType>(schema: S) {
  return documentedValidator('query', schema, rejectInvalid);
}

/**
 * Route parameters. A value the schema refuses names a thing that cannot exist, so
 * it is the same 404 (same message) as one that does not exist: nothing to learn by probing ids.
 */
export function params<S extends z.ZodType>(schema: S, notFound: string) {
  return documentedValidator('param', schema, (result) => {
    if (!result.success) throw new HttpError(404, notFound);
  });
}

/** Request headers an API reads (e.g. `Idempotency-Key`): 422 with the schema's own message, which names the header. */
export function headers<S extends z.ZodType>(schema: S) {
  return documentedValidator('header', schema, (result, c) => {
    if (result.success) return undefined;
    const fields = fieldErrors(result.error);
    const error = new HttpError(422, Object.values(fields).join(' '), { fields });
    if (isApiPath(c.req.path)) return problemJson(c as Context<AppEnv>, 422, error.message, { fields });
    throw error;
  });
}

const NOT_JSON = 'The body is not valid JSON. Send Content-Type: application/json and a JSON object.';

/**
 * A JSON body: 415 unless it is sent as JSON, 400 when it does not parse, 422 with
 * each field's message (problem+json) when the schema refuses it.
 */
export function json<S extends z.ZodType>(schema: S, notJson = NOT_JSON) {
  const inner = documentedValidator('json', schema, rejectInvalid);
  const outer: typeof inner = async (c, next) => {
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (!/^application\/([\w.-]+\+)?json$/.test(type)) {
      throw new HttpError(415, `Send the body as JSON (Content-Type: application/json), not ${type || 'without a Content-Type'}.`);
    }
    let reached = false;
    try {
      return await inner(c, async () => {
        reached = true;
        await next();
      });
    } catch (error) {
      // Hono's own 400 for a body that does not parse, said our way; errors after validation pass through.
      if (!reached && error instanceof HTTPException && !(error instanceof HttpError) && error.status === 400) throw new HttpError(400, notJson);
      throw error;
    }
  };
  return Object.assign(outer, { [uniqueSymbol]: (inner as unknown as Record<symbol, unknown>)[uniqueSymbol] });
}

type FormHook = (
  result: { success: false; error: z.core.$ZodError; data: Record<string, unknown> },
  c: Context<AppEnv>,
) => Response | Promise<Response> | undefined | Promise<undefined>;

/**
 * An HTML form's fields, without the CSRF token (the CSRF middleware has checked
 * it): form schemas never declare `_csrf`. Repeated fields (`ids`) arrive as
 * arrays. `hook` answers a refusal (default: `rejectInvalid`).
 */
export function form<S extends z.ZodType>(schema: S, hook: FormHook = (result, c) => rejectInvalid(result, c)) {
  return honoValidator('form', async (value, c): Promise<z.output<S> | Response> => {
    const { [CSRF_FIELD]: _token, ...fields } = value as Record<string, unknown>;
    const parsed = await schema.safeParseAsync(fields);
    if (parsed.success) return parsed.data;
    const answer = await hook({ success: false, error: parsed.error, data: fields }, c as Context<AppEnv>);
    if (answer) return answer;
    throw invalidInput(parsed.error);
  });
}

/**
 * One schema per role, picked after sign-in: `byRole((s) => json(s), (c) => isStaff(c), { yes: StaffTicket, no: RequesterTicket })`.
 * The document shows the first (the fuller) schema.
 */
export function byRole<A extends z.ZodType, B extends z.ZodType, M extends MiddlewareHandler>(
  make: (schema: A | B) => M,
  pick: (c: Context<AppEnv>) => boolean,
  schemas: { yes: A; no: B },
): M {
  const yes = make(schemas.yes);
  const no = make(schemas.no);
  const chosen = ((c: Context<AppEnv>, next: () => Promise<void>) => (pick(c) ? yes : no)(c as never, next)) as unknown as M;
  const meta = (yes as unknown as Record<symbol, unknown>)[uniqueSymbol];
  return meta === undefined ? chosen : Object.assign(chosen, { [uniqueSymbol]: meta });
}
