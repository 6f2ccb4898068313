/** Small, pure form and display components shared by every app. */
import type { Child } from 'hono/jsx';

export type FieldProps = {
  label: string;
  name: string;
  type?: string;
  value?: unknown;
  error?: string | undefined;
  hint?: Child;
  autocomplete?: string;
  required?: boolean;
  minlength?: number;
  maxlength?: number;
  autofocus?: boolean;
};

/** A labelled input with its hint and error message wired up for screen readers. */
export function Field({ label, name, type = 'text', value, error, hint, ...rest }: FieldProps) {
  const id = `f-${name}`;
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
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
      {hint && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p class="error" id={`${id}-error`}>{error}</p>}
    </div>
  );
}

/** A form-level error (not tied to one field). */
export function FormError({ message }: { message: string | undefined }) {
  return message ? <p class="notice notice-warn" role="alert">{message}</p> : null;
}

/** A timestamp rendered in UTC on the server; `<time>` keeps the exact value for tools. */
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
  return <time datetime={iso} data-local="">{utc}</time>;
}
