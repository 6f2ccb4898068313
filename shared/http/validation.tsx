/**
 * zod at the edge of every handler. `zValidator(target, schema, hook)` from
 * @hono/zod-validator with one of the hooks below decides what a person sees when
 * input is wrong:
 *   - `rejectInvalid` → 422 listing each field's message (problem+json for APIs);
 *   - `formHook` → 422 with the form re-rendered around the messages: the form
 *                  alone for htmx (it replaces itself), a whole page otherwise.
 * Nothing is written: the handler never runs.
 */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { core } from 'zod';
import type { AppEnv } from '../context';
import { HttpError, problemJson, type FieldErrors } from './http-error';
import { isApiPath } from './request';
import { fragmentOrPage } from './respond';

/**
 * One message per field. `depth: 'field'` files nested issues (`scopes.0`) under
 * their form field (`scopes`), which is where a form shows them.
 */
export function fieldErrors(error: core.$ZodError, depth: 'path' | 'field' = 'path'): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      // A form has no place for a field it does not show: report it form-wide.
      for (const k of issue.keys) {
        const message = `Unknown field “${k}”.`;
        if (depth === 'field') out['_'] = out['_'] ? `${out['_']} ${message}` : message;
        else out[k] ??= message;
      }
      continue;
    }
    const path = depth === 'field' ? issue.path.slice(0, 1) : issue.path;
    const key = path.length ? path.join('.') : '_';
    out[key] ??= issue.message;
  }
  return out;
}

type HookResult = { success: true } | { success: false; error: core.$ZodError; data?: unknown };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyContext = Context<any, any, any>;

/** A 422 naming every invalid field, for input validated outside a zValidator hook. */
export function invalidInput(error: core.$ZodError, what = 'input'): HttpError {
  const fields = fieldErrors(error);
  const detail = Object.entries(fields).map(([k, v]) => (k === '_' ? v : `${k}: ${v}`)).join(' ');
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
