/** The account page: password, sessions, API tokens and security activity, each a section htmx swaps on its own. */
import type { ApiTokenRow, SecurityEvent, SecurityEventKind, SessionRow } from '../../../shared/auth/repository';
import type { Scope } from '../../../shared/auth/scopes';
import type { User } from '../../../shared/auth/types';
import { now as clockNow } from '../../../shared/clock';
import { raw } from 'hono/html';
import { Field, FormError, SelectField, Time } from '../../../shared/html/components';
import { CsrfField } from '../../../shared/html/layout';
import type { FieldErrors } from '../../../shared/http/http-error';
import { SCOPES } from '../../apps';
import { paths, type AccountNotice } from '../paths';

type FormState = { errors?: FieldErrors; values?: Record<string, unknown> };

export const NOTICES: Record<AccountNotice, string> = {
  'password-changed': 'Password changed. Your other sessions were signed out.',
  'password-changed-tokens': 'Password changed. Your other sessions were signed out, and your API tokens were revoked.',
  'session-revoked': 'Session revoked.',
  'sessions-revoked': 'Your other sessions were signed out.',
  'token-revoked': 'Token revoked.',
  'two-factor-off': 'Two-factor sign-in is off. Signing in needs only your password now. Delete the Sixfold entry from your authenticator app.',
  'two-factor-cancelled': 'Two-factor setup cancelled. If you added Sixfold to your authenticator app, delete that entry.',
  'recovery-code-used':
    'You signed in with a recovery code: it is spent. Lost your phone? Turn two-factor off and set it up again on the new one. Running low? Make new recovery codes.',
};

/** The text of a `?notice=` the account page was sent back with (nothing for one it does not know). */
export function noticeText(notice: string | undefined): string | undefined {
  return notice !== undefined && Object.hasOwn(NOTICES, notice) ? NOTICES[notice as AccountNotice] : undefined;
}

/** What the token form needs besides the list: whether to ask for the password, and a failed attempt. */
export type TokenFormState = { needsPassword: boolean; errors?: FieldErrors | undefined; values?: Record<string, unknown> | undefined };

export function AccountPage(props: {
  user: User;
  csrf: string;
  sessions: SessionRow[];
  currentSessionId: string | null;
  tokens: ApiTokenRow[];
  events: SecurityEvent[];
  tokenForm: TokenFormState;
  twoFactor: TwoFactorSectionProps;
  notice?: string | undefined;
  created?: { token: string; name: string } | undefined;
}) {
  return (
    <div class="stack-lg">
      <header class="page-header">
        <h1>Your account</h1>
        <p class="muted">
          {props.user.email} · <span class="badge">{props.user.role}</span> · member since <Time ms={props.user.createdAt} />
        </p>
      </header>
      {props.notice && (
        <p class="notice notice-info" role="status">
          {props.notice}
        </p>
      )}
      <PasswordSection csrf={props.csrf} />
      <TwoFactorSection {...props.twoFactor} />
      <SessionsSection csrf={props.csrf} sessions={props.sessions} currentSessionId={props.currentSessionId} />
      <TokensSection csrf={props.csrf} tokens={props.tokens} created={props.created} {...props.tokenForm} />
      <SecuritySection events={props.events} />
    </div>
  );
}

const EVENT_LABELS: Record<SecurityEventKind, string> = {
  account_created: 'Account created',
  signed_in: 'Signed in',
  password_changed: 'Password changed',
  token_created: 'API token created',
  token_revoked: 'API token revoked',
  session_revoked: 'Session revoked',
  sessions_revoked: 'Other sessions signed out',
  two_factor_enabled: 'Two-factor sign-in turned on',
  two_factor_disabled: 'Two-factor sign-in turned off',
  recovery_codes_replaced: 'New recovery codes made',
  recovery_code_used: 'Signed in with a recovery code',
  second_step_failed: 'Wrong two-factor code after your correct password',
};

/** The account's recent security events, newest first (from security_events). */
export function SecuritySection({ events }: { events: SecurityEvent[] }) {
  return (
    <section id="security" class="panel">
      <h2>Security activity</h2>
      <p class="muted">
        Recent sign-ins and changes to your password, two-factor sign-in and API tokens. Something you do not recognise? Change your password and revoke your
        tokens.
      </p>
      {events.length === 0 ? (
        <p class="muted">Nothing yet.</p>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th>When</th>
              <th>What</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e) => (
              <tr data-event={e.event}>
                <td data-label="When">
                  <Time ms={e.createdAt} />
                </td>
                <td data-label="What">{EVENT_LABELS[e.event] ?? e.event}</td>
                <td data-label="Details" title={e.detail || undefined}>
                  {e.event === 'signed_in' || e.event === 'account_created' || e.event === 'second_step_failed'
                    ? describeAgent(e.detail)
                    : e.detail || <span class="muted">—</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function PasswordSection({
  csrf,
  errors = {},
  done,
  tokensRevoked = 0,
}: Pick<FormState, 'errors'> & { csrf: string; done?: boolean; tokensRevoked?: number }) {
  return (
    <section id="password" class="panel">
      <h2>Password</h2>
      <form
        method="post"
        action={paths.password}
        hx-post={paths.password}
        hx-target="closest section"
        hx-swap="outerHTML"
        class="stack"
        hx-disable="find button"
      >
        <CsrfField token={csrf} />
        {done && (
          <p class="notice notice-info" role="status">
            {NOTICES[tokensRevoked > 0 ? 'password-changed-tokens' : 'password-changed']}
          </p>
        )}
        <FormError message={errors._} />
        <Field label="Current password" name="current" type="password" error={errors.current} autocomplete="current-password" required maxlength={256} />
        <Field
          label="New password"
          name="password"
          type="password"
          error={errors.password}
          autocomplete="new-password"
          required
          minlength={10}
          maxlength={256}
        />
        <Field label="Repeat the new password" name="confirm" type="password" error={errors.confirm} autocomplete="new-password" required maxlength={256} />
        <label class="check">
          <input type="checkbox" name="revokeTokens" value="yes" checked /> Also revoke all my API tokens
          <span class="muted small">(recommended if someone else may have had access; scripts using them will stop working)</span>
        </label>
        <button type="submit">Change password</button>
      </form>
    </section>
  );
}

function describeAgent(ua: string): string {
  if (!ua) return 'Unknown device';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Chrome\//.test(ua)
      ? 'Chrome'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Safari\//.test(ua)
          ? 'Safari'
          : /curl\//.test(ua)
            ? 'curl'
            : 'Browser';
  const os = /Windows/.test(ua)
    ? 'Windows'
    : /Android/.test(ua)
      ? 'Android'
      : /iPhone|iPad/.test(ua)
        ? 'iOS'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : '';
  return os ? `${browser} on ${os}` : browser;
}

export function SessionsSection({
  csrf,
  sessions,
  currentSessionId,
  notice,
}: {
  csrf: string;
  sessions: SessionRow[];
  currentSessionId: string | null;
  notice?: string;
}) {
  const now = clockNow();
  const active = sessions.filter((s) => s.revokedAt === null && s.expiresAt > now);
  const ended = sessions.filter((s) => !(s.revokedAt === null && s.expiresAt > now));
  return (
    <section id="sessions" class="panel">
      <h2>Sessions</h2>
      {notice && (
        <p class="notice notice-info" role="status">
          {notice}
        </p>
      )}
      <table class="table">
        <thead>
          <tr>
            <th>Device</th>
            <th>Signed in</th>
            <th>Last refreshed</th>
            <th>
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {active.map((s) => (
            <tr data-session={s.id}>
              <td data-label="Device" title={s.userAgent}>
                {describeAgent(s.userAgent)} {s.id === currentSessionId && <span class="badge">this browser</span>}
              </td>
              <td data-label="Signed in">
                <Time ms={s.createdAt} />
              </td>
              <td data-label="Last refreshed">
                <Time ms={s.lastSeenAt} />
              </td>
              <td class="actions">
                {s.id !== currentSessionId && (
                  <form method="post" action={paths.revokeSession(s.id)} hx-post={paths.revokeSession(s.id)} hx-target="closest section" hx-swap="outerHTML">
                    <CsrfField token={csrf} />
                    <button type="submit" class="small secondary">
                      Revoke
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {active.length > 1 && currentSessionId && (
        <form method="post" action={paths.revokeOtherSessions} hx-post={paths.revokeOtherSessions} hx-target="closest section" hx-swap="outerHTML">
          <CsrfField token={csrf} />
          <button type="submit" class="secondary">
            Sign out all other sessions
          </button>
        </form>
      )}
      {ended.length > 0 && (
        <details>
          <summary>
            {ended.length} ended session{ended.length === 1 ? '' : 's'} (kept for 7 days)
          </summary>
          <ul class="plain">
            {ended.map((s) => (
              <li>
                {describeAgent(s.userAgent)}, signed in <Time ms={s.createdAt} />, {s.revokedReason ? `ended: ${s.revokedReason.replace('_', ' ')}` : 'expired'}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/** The choices of `TOKEN_EXPIRY_DAYS` (schema.ts), as the token form offers them. */
const EXPIRY_OPTIONS = [
  { value: '30', label: 'in 30 days' },
  { value: '90', label: 'in 90 days' },
  { value: '365', label: 'in a year' },
  { value: 'never', label: 'never' },
] as const;

export function TokensSection({
  csrf,
  tokens,
  created,
  needsPassword = false,
  errors = {},
  values = {},
}: FormState & { csrf: string; tokens: ApiTokenRow[]; created?: { token: string; name: string } | undefined; needsPassword?: boolean }) {
  const now = clockNow();
  const chosen = new Set(Array.isArray(values.scopes) ? (values.scopes as string[]) : values.scopes ? [String(values.scopes)] : []);
  return (
    <section id="tokens" class="panel">
      <h2>API tokens</h2>
      <p class="muted">
        For curl and scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. A token can do only what its scopes allow. Every operation is in the{' '}
        <a href="/api/docs">API reference</a>.
      </p>
      {created && (
        <div class="notice notice-success new-token" role="status">
          <p>
            <strong>Token “{created.name}” created.</strong> Copy it now: it will not be shown again.
          </p>
          <input class="token-value mono" readonly value={created.token} aria-label="New API token" id="new-token" />
          <button type="button" class="small secondary" data-copy="#new-token">
            Copy
          </button>
        </div>
      )}
      {tokens.length > 0 && (
        <table class="table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Scopes</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Expires</th>
              <th>
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => {
              const dead = t.revokedAt !== null || (t.expiresAt !== null && t.expiresAt <= now);
              return (
                <tr data-token={t.id} class={dead ? 'muted' : ''}>
                  <td data-label="Name">
                    {t.name} <code class="muted">{t.prefix}…</code>
                  </td>
                  <td data-label="Scopes">
                    {t.scopes.map((s) => (
                      <code class="scope">{s}</code>
                    ))}
                  </td>
                  <td data-label="Created">
                    <Time ms={t.createdAt} />
                  </td>
                  <td data-label="Last used">
                    <Time ms={t.lastUsedAt} />
                  </td>
                  <td data-label="Expires">{t.revokedAt !== null ? 'revoked' : <Time ms={t.expiresAt} />}</td>
                  <td class="actions">
                    {!dead && (
                      <form
                        method="post"
                        action={paths.revokeToken(t.id)}
                        hx-post={paths.revokeToken(t.id)}
                        hx-target="closest section"
                        hx-swap="outerHTML"
                        hx-confirm={`Revoke “${t.name}”? Scripts using it will stop working.`}
                      >
                        <CsrfField token={csrf} />
                        <button type="submit" class="small danger">
                          Revoke
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <form method="post" action={paths.tokens} hx-post={paths.tokens} hx-target="closest section" hx-swap="outerHTML" class="stack token-form">
        <CsrfField token={csrf} />
        <h3>New token</h3>
        <FormError message={errors._} />
        <Field label="Name" name="name" value={values.name} error={errors.name} required maxlength={60} />
        <fieldset class={errors.scopes ? 'has-error' : ''}>
          <legend>Scopes</legend>
          {(Object.entries(SCOPES) as [Scope, string][]).map(([scope, description]) => (
            <label class="check">
              <input type="checkbox" name="scopes" value={scope} checked={chosen.has(scope)} /> <code>{scope}</code> <span class="muted">{description}</span>
            </label>
          ))}
          {errors.scopes && <p class="error">{errors.scopes}</p>}
        </fieldset>
        <SelectField label="Expires" name="expires" options={EXPIRY_OPTIONS} value={values.expires ?? '90'} error={errors.expires} />
        {(needsPassword || errors.password) && (
          <Field
            label="Your password"
            name="password"
            id="f-token-password"
            type="password"
            error={errors.password}
            autocomplete="current-password"
            required
            maxlength={256}
            hint="A token can act as you without a browser, so creating one needs your password when you have not entered it in the last 10 minutes."
          />
        )}
        <button type="submit">Create token</button>
      </form>
    </section>
  );
}

// ---------------------------------------------------------------- two-factor

/** What the two-factor section shows: off; enrolling (the QR code and the secret); or on. */
export type TwoFactorView =
  | { state: 'off' }
  /** A setup under way in another session (or one that can no longer be finished): it can be started again here, or cancelled. */
  | { state: 'elsewhere' }
  | { state: 'pending'; qrSvg: string; secret: string; uri: string }
  | { state: 'on'; enabledAt: number; recoveryCodesLeft: number };

export type TwoFactorSectionProps = {
  csrf: string;
  view: TwoFactorView;
  needsPassword: boolean;
  errors?: FieldErrors | undefined;
  /** Recovery codes just made: shown this once. */
  codes?: string[] | undefined;
  /** They replace earlier ones (new codes, not the first set). */
  replaced?: boolean | undefined;
  notice?: string | undefined;
};

const SudoPassword = ({
  show,
  error,
  action,
  id,
  label = 'Your password',
}: {
  show: boolean;
  error?: string | undefined;
  action: string;
  id: string;
  label?: string;
}) =>
  show || error ? (
    <Field
      label={label}
      name="password"
      id={id}
      type="password"
      error={error}
      autocomplete="current-password"
      required
      maxlength={256}
      hint={`You have not entered it in the last 10 minutes, and ${action} needs it.`}
    />
  ) : null;

/** The account's two-factor sign-in: set up with an authenticator app, recovery codes, turn off. */
export function TwoFactorSection({ csrf, view, needsPassword, errors = {}, codes, replaced, notice }: TwoFactorSectionProps) {
  // Without JavaScript the answer is the whole page: the fragment brings it back to this section.
  const form = (action: string) =>
    ({ method: 'post', action: `${action}#two-factor`, 'hx-post': action, 'hx-target': 'closest section', 'hx-swap': 'outerHTML' }) as const;
  const setupForm = (
    <form {...form(paths.twoFactorSetup)} class="stack">
      <CsrfField token={csrf} />
      <FormError message={errors._} />
      <SudoPassword show={needsPassword} error={errors.password} action="setting up two-factor" id="f-2fa-setup-password" />
      <div class="actions">
        <button type="submit">Set up two-factor sign-in</button>
      </div>
    </form>
  );
  const cancelForm = (
    <form {...form(paths.twoFactorDisable)}>
      <CsrfField token={csrf} />
      <button type="submit" class="secondary small">
        Cancel setup
      </button>
    </form>
  );
  return (
    <section id="two-factor" class="panel stack" aria-labelledby="two-factor-title">
      <h2 id="two-factor-title">Two-factor sign-in</h2>
      {notice && (
        <p class="notice notice-info" role="status">
          {notice}
        </p>
      )}
      {codes && (
        <div class="notice notice-success stack" role="status">
          <p>
            <strong>Your recovery codes.</strong> Save them somewhere safe now (a password manager, or printed): they are not shown again. Each signs you in
            once if you lose your authenticator.{replaced ? ' The codes you had before no longer work.' : ''}
          </p>
          <textarea id="recovery-codes" class="mono recovery-codes" readonly rows={codes.length} aria-label="Recovery codes" autofocus>
            {codes.join('\n')}
          </textarea>
          <p>
            <button type="button" class="small secondary" data-copy="#recovery-codes">
              Copy the codes
            </button>
          </p>
        </div>
      )}
      {view.state === 'off' && (
        <>
          <p>
            Off. With it on, signing in needs your password <em>and</em> a code from an authenticator app on your phone (1Password, Bitwarden, Google
            Authenticator, Aegis…), so a leaked password alone no longer opens your account.
          </p>
          {setupForm}
        </>
      )}
      {view.state === 'elsewhere' && (
        <>
          <p>A setup was started in another browser or session and is not finished. Start it again here (the other one stops working), or cancel it.</p>
          {setupForm}
          {cancelForm}
        </>
      )}
      {view.state === 'pending' && (
        <>
          <FormError message={errors._} />
          <ol class="stack">
            <li>
              Scan this QR code with your authenticator app:
              <figure class="qr qr-large" role="img" aria-label="QR code to add Sixfold to an authenticator app">
                {raw(view.qrSvg)}
              </figure>
              <p class="small">
                On this phone? <a href={view.uri}>Open it in your authenticator app</a>. Cannot scan it? Add an account by hand with this key (time-based):{' '}
                <code class="mono secret-key">{view.secret}</code>
              </p>
            </li>
            <li>
              <form {...form(paths.twoFactorEnable)} class="stack">
                <CsrfField token={csrf} />
                <Field
                  label="Enter the 6-digit code the app now shows"
                  name="code"
                  id="f-2fa-code"
                  error={errors.code}
                  autocomplete="one-time-code"
                  inputmode="numeric"
                  required
                  maxlength={40}
                  autofocus
                />
                <SudoPassword show={needsPassword} error={errors.password} action="turning two-factor on" id="f-2fa-on-password" />
                <button type="submit">Turn on two-factor sign-in</button>
              </form>
            </li>
          </ol>
          {cancelForm}
        </>
      )}
      {view.state === 'on' && (
        <>
          <p>
            <span class="badge badge-ok">On</span> since <Time ms={view.enabledAt} />. Signing in needs your password and a code from your authenticator app.{' '}
            <span class={view.recoveryCodesLeft <= 3 ? 'error' : 'muted'}>
              {view.recoveryCodesLeft} recovery code{view.recoveryCodesLeft === 1 ? '' : 's'} left.
            </span>
          </p>
          <FormError message={errors._} />
          <form {...form(paths.recoveryCodes)} class="stack" hx-confirm="Make new recovery codes? The ones you saved stop working.">
            <CsrfField token={csrf} />
            <SudoPassword
              show={needsPassword}
              error={errors.password}
              action="making new recovery codes"
              id="f-2fa-codes-password"
              label="Your password (for new codes)"
            />
            <div class="actions">
              <button type="submit" class="secondary">
                Make new recovery codes
              </button>
            </div>
          </form>
          <form {...form(paths.twoFactorDisable)} class="stack" hx-confirm="Turn two-factor sign-in off? Your password alone will sign in again.">
            <CsrfField token={csrf} />
            <SudoPassword
              show={needsPassword}
              error={errors.disablePassword}
              action="turning two-factor off"
              id="f-2fa-off-password"
              label="Your password (to turn it off)"
            />
            <div class="actions">
              <button type="submit" class="danger">
                Turn off two-factor sign-in
              </button>
            </div>
          </form>
        </>
      )}
    </section>
  );
}
