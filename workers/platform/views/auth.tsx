/** The sign-up and sign-in forms (each re-rendered around its messages after a refusal). */
import { Field, FormError } from '../../../shared/html/components';
import { CsrfField } from '../../../shared/html/layout';
import type { FieldErrors } from '../../../shared/http/http-error';
import { paths } from '../paths';

type FormState = { errors?: FieldErrors; values?: Record<string, unknown> };

/**
 * How this sign-up may claim an instance that has no admin: `first-admin` (local:
 * the first account is the admin), `token` (deployed with ADMIN_SETUP_TOKEN: a field
 * for it), `operator-command` (deployed without: say how the operator does it), or
 * null (there is an admin).
 */
export type AdminSetup = 'first-admin' | 'token' | 'operator-command' | null;

export function SignUpForm({
  csrf,
  errors = {},
  values = {},
  adminSetup = null,
  next,
}: FormState & { csrf: string; adminSetup?: AdminSetup; next?: string | undefined }) {
  return (
    <form
      id="signup-form"
      class="panel narrow stack"
      method="post"
      action={paths.signUp}
      hx-post={paths.signUp}
      hx-target="this"
      hx-swap="outerHTML"
      hx-disable="find button"
    >
      <CsrfField token={csrf} />
      <h1>Create your account</h1>
      {adminSetup === 'first-admin' && <p class="notice notice-info">This is the first account on this Sixfold: it becomes the administrator.</p>}
      {adminSetup === 'operator-command' && (
        <p class="notice notice-info">
          This Sixfold has no administrator yet. Accounts created now are members; whoever deployed it makes one an admin with{' '}
          <code>npx wrangler d1 execute DB --remote --command "UPDATE users SET role = 'admin' WHERE email = 'you@example.com'"</code> (or sets an{' '}
          <code>ADMIN_SETUP_TOKEN</code> secret and signs up with it).
        </p>
      )}
      <FormError message={errors._} />
      <Field label="Email" name="email" type="email" value={values.email} error={errors.email} autocomplete="email" required maxlength={254} autofocus />
      <Field label="Display name (optional)" name="displayName" value={values.displayName} error={errors.displayName} autocomplete="nickname" maxlength={80} />
      <Field
        label="Password"
        name="password"
        type="password"
        error={errors.password}
        autocomplete="new-password"
        required
        minlength={10}
        maxlength={256}
        hint="At least 10 characters. A passphrase of a few words is good."
      />
      {adminSetup === 'token' && (
        <Field
          label="Setup token (operator only)"
          name="setupToken"
          type="password"
          error={errors.setupToken}
          autocomplete="off"
          maxlength={200}
          hint="This Sixfold has no administrator yet. If you deployed it, enter its ADMIN_SETUP_TOKEN secret to become the administrator. Everyone else: leave it empty."
        />
      )}
      {next && <input type="hidden" name="next" value={next} />}
      <button type="submit">Create account</button>
      <p class="muted">
        Already have one? <a href={paths.signIn}>Sign in</a>
      </p>
    </form>
  );
}

export function SignUpClosed() {
  return (
    <section class="panel narrow">
      <h1>Sign-up is closed</h1>
      <p>This Sixfold does not accept new accounts. Ask its administrator to create one for you.</p>
      <p>
        <a href={paths.signIn}>Sign in</a>
      </p>
    </section>
  );
}

export function SignInForm({ csrf, errors = {}, values = {}, next }: FormState & { csrf: string; next?: string | undefined }) {
  return (
    <form
      id="signin-form"
      class="panel narrow stack"
      method="post"
      action={paths.signIn}
      hx-post={paths.signIn}
      hx-target="this"
      hx-swap="outerHTML"
      hx-disable="find button"
    >
      <CsrfField token={csrf} />
      <h1>Sign in</h1>
      <FormError message={errors._} />
      <Field label="Email" name="email" type="email" value={values.email} error={errors.email} autocomplete="username" required maxlength={254} autofocus />
      <Field label="Password" name="password" type="password" error={errors.password} autocomplete="current-password" required maxlength={256} />
      {next && <input type="hidden" name="next" value={next} />}
      <button type="submit">Sign in</button>
      <p class="muted">
        New here? <a href={paths.signUp}>Create an account</a>
      </p>
    </form>
  );
}

/** The second step of signing in: the authenticator's code, or a recovery code. */
export function SecondStepForm({ csrf, errors = {}, next }: Pick<FormState, 'errors'> & { csrf: string; next?: string | undefined }) {
  return (
    <form
      id="second-step-form"
      class="panel narrow stack"
      method="post"
      action={paths.secondStep()}
      hx-post={paths.secondStep()}
      hx-target="this"
      hx-swap="outerHTML"
      hx-disable="find button"
    >
      <CsrfField token={csrf} />
      <h1>Two-factor sign-in</h1>
      <p>Your password was right. Now enter the 6-digit code your authenticator app shows for Sixfold.</p>
      <FormError message={errors._} />
      <Field
        label="Code"
        name="code"
        error={errors.code}
        autocomplete="one-time-code"
        autocapitalize="none"
        spellcheck={false}
        required
        maxlength={40}
        autofocus
        hint="Lost your phone? Enter one of your recovery codes instead (like 4k7qd-x2m9a). Each works once."
      />
      {next && <input type="hidden" name="next" value={next} />}
      <button type="submit">Verify and sign in</button>
      <p class="muted">
        Not you, or the wrong account? <a href={paths.signIn}>Start again</a>
      </p>
    </form>
  );
}

/** The second step after its five minutes (or a cookie that no longer counts): sign in again, no code field. */
export function SecondStepExpired({ next }: { next?: string | undefined }) {
  return (
    <section id="second-step-form" class="panel narrow stack">
      <h1>Sign in again</h1>
      <p class="notice notice-warn" role="alert">
        This sign-in has expired: the code must follow the password within 5 minutes (and a sign-in counts once). Enter your password again.
      </p>
      <p>
        <a class="button" href={next ? `${paths.signIn}?next=${encodeURIComponent(next)}` : paths.signIn}>
          Sign in
        </a>
      </p>
    </section>
  );
}
