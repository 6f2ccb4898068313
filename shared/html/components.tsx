/** Small, pure form and display components shared by every app. */
import type { Child } from 'hono/jsx';

export type FieldProps = {
  label: string;
  name: string;
  /** The input's id, when the page has another field of the same name (default `f-<name>`). */
  id?: string;
  type?: string;
  value?: unknown;
  error?: string | undefined;
  hint?: Child;
  autocomplete?: string;
  required?: boolean;
  minlength?: number;
  maxlength?: number;
  autofocus?: boolean;
  placeholder?: string;
  inputmode?: 'text' | 'numeric' | 'email' | 'url';
  /** A number's or time's granularity (`1`: a datetime-local to the second). */
  step?: string;
  autocapitalize?: 'none' | 'off';
  spellcheck?: boolean;
};

/** A labelled input with its hint and error message wired up for screen readers. */
export function Field({ label, name, id = `f-${name}`, type = 'text', value, error, hint, ...rest }: FieldProps) {
  const described = describedBy(id, hint, error);
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>{label}</label>
      <input
        id={id}
        name={name}
        type={type}
        value={type === 'password' || value === undefined || value === null ? undefined : String(value)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described}
        {...rest}
      />
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}

/** The ids that tie a control to its hint and error, for screen readers. */
function describedBy(id: string, hint: unknown, error: string | undefined): string | undefined {
  return [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
}

/** The hint and error lines under a control. */
function FieldNotes({ id, hint, error }: { id: string; hint?: Child; error?: string | undefined }) {
  return (
    <>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </>
  );
}

export type SelectOption = { value: string; label: string };

/** A labelled select; `value` picks the selected option. */
export function SelectField({
  label,
  name,
  id = `f-${name}`,
  options,
  value,
  error,
  hint,
  required,
}: {
  label: string;
  name: string;
  /** The select's id, when the page has another field of the same name (default `f-<name>`). */
  id?: string;
  options: readonly SelectOption[];
  value?: unknown;
  error?: string | undefined;
  hint?: Child;
  required?: boolean;
}) {
  const selected = value === undefined || value === null ? undefined : String(value);
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>{label}</label>
      <select id={id} name={name} required={required} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(id, hint, error)}>
        {options.map((o) => (
          <option value={o.value} selected={o.value === selected}>
            {o.label}
          </option>
        ))}
      </select>
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}

/** A labelled textarea (the text given back after a refusal). */
export function TextareaField({
  label,
  name,
  value,
  error,
  hint,
  rows = 6,
  required,
  maxlength,
  placeholder,
}: {
  label: string;
  name: string;
  value?: unknown;
  error?: string | undefined;
  hint?: Child;
  rows?: number;
  required?: boolean;
  maxlength?: number;
  placeholder?: string;
}) {
  const id = `f-${name}`;
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>{label}</label>
      <textarea
        id={id}
        name={name}
        rows={rows}
        required={required}
        maxlength={maxlength}
        placeholder={placeholder}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        {formValue(value)}
      </textarea>
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
}

/**
 * A submitted value as a form shows it again: strings as typed, numbers as text,
 * anything else (a file, a list, nothing) as empty. `formValue(values, 'subject')`
 * reads one field of a refused form's values.
 */
export function formValue(value: unknown): string;
export function formValue(values: Record<string, unknown> | undefined, name: string): string;
export function formValue(value: unknown, name?: string): string {
  const v = name === undefined ? value : (value as Record<string, unknown> | undefined)?.[name];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

/** A form-level error (not tied to one field). */
export function FormError({ message }: { message: string | undefined }) {
  return message ? (
    <p class="notice notice-warn" role="alert">
      {message}
    </p>
  ) : null;
}

/**
 * A moment in the reader's time zone. The server writes it in UTC ("2026-11-30 11:35
 * UTC"), which is what a reader without JavaScript sees; public/app.js rewrites every
 * `time[data-local]`: relative while within a week ("3 minutes ago", "in 2 days"), a
 * local date beyond, the full local date and time on hover; again after each htmx
 * swap and every minute. `datetime` keeps the exact value for tools and tests.
 */
export function Time({ ms, never = 'never' }: { ms: number | null; never?: string }) {
  if (ms === null) return <span class="muted">{never}</span>;
  const iso = new Date(ms).toISOString();
  const utc = `${iso.slice(0, 16).replace('T', ' ')} UTC`;
  // No title here: without JavaScript the text already is the exact time, and app.js
  // sets the local one (this keeps a 50-row list ~1.7 KB smaller).
  return (
    <time datetime={iso} data-local="">
      {utc}
    </time>
  );
}
