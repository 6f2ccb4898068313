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
export function Time({ ms }: { ms: number | null }) {
  if (ms === null) return <span class="muted">never</span>;
  const iso = new Date(ms).toISOString();
  return <time datetime={iso}>{iso.slice(0, 16).replace('T', ' ')} UTC</time>;
}
