/** Pages and fragments of the platform: home, sign-in/up, account, admin. */
import { now as clockNow } from '../../shared/clock';
import type { AdminUserRow, ApiTokenRow, SecurityEvent, SecurityEventKind, SessionRow } from '../../shared/auth/repository';
import type { Scope } from '../../shared/auth/scopes';
import type { User } from '../../shared/auth/types';
import { Field, FormError, Time } from '../../shared/html/components';
import { CsrfField } from '../../shared/html/layout';
import type { FieldErrors } from '../../shared/http/http-error';
import { APPS, SCOPES, type AppSlug } from '../apps';

type Errors = { errors?: FieldErrors };
type Values = { values?: Record<string, unknown> };

// ---------------------------------------------------------------- home

export function HomePage({ available, user }: { available: ReadonlySet<AppSlug>; user: User | null }) {
  return (
    <>
      <section class="hero">
        <h1>Six tools. One Worker. Yours.</h1>
        <p class="lede">
          Sixfold is a pastebin, an analytics dashboard, a dead man’s switch, a helpdesk, an audio visualizer and a
          music composer, self-hosted on Cloudflare Workers with one shared account.
        </p>
        {!user && (
          <p class="actions">
            <a class="button" href="/signup">Create an account</a> <a href="/signin">Sign in</a>
          </p>
        )}
      </section>
      <ul class="app-grid" aria-label="Apps">
        {APPS.map((app) => {
          const live = available.has(app.slug);
          return (
            <li class={`app-card${live ? '' : ' soon'}`} data-app={app.slug}>
              <span class="app-icon" aria-hidden="true">{app.icon}</span>
              <h2>{live ? <a href={`/${app.slug}`}>{app.name}</a> : app.name}</h2>
              <p>{app.purpose}</p>
              {!live && <span class="badge">coming soon</span>}
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** The one app a page is about (a row of workers/apps.ts). */
type AppInfo = { slug: string; name: string; icon: string; purpose: string };

export function ComingSoonPage({ app }: { app: AppInfo }) {
  return (
    <section class="panel narrow coming-soon" data-app={app.slug}>
      <p class="eyebrow"><span class="app-icon" aria-hidden="true">{app.icon}</span> Coming soon</p>
      <h1>{app.name} is coming soon</h1>
      <p>{app.purpose}</p>
      <p class="muted">It is not part of this Sixfold yet. The apps you can use today are on the home page.</p>
      <p><a class="button" href="/">See the apps</a></p>
    </section>
  );
}

// ---------------------------------------------------------------- status

export type D1Check =
  | { status: 'ok'; latency_ms: number; latest_migration: string | null }
  | { status: 'error'; error: string };

export function StatusPage({ ok, d1 }: { ok: boolean; d1: D1Check }) {
  return (
    <section class="panel narrow stack status-page">
      <h1>Status</h1>
      <p class={`notice ${ok ? 'notice-success' : 'notice-error'}`} role="status">
        {ok ? 'Everything is working.' : 'Something is wrong: see below.'}
      </p>
      <dl class="facts">
        <div data-check="d1" data-status={d1.status}>
          <dt>Database (D1)</dt>
          <dd>
            {d1.status === 'ok' ? (
              <>OK, answered in {d1.latency_ms} ms · schema at <code>{d1.latest_migration ?? 'no migrations'}</code></>
            ) : (
              <>Error: {d1.error}</>
            )}
          </dd>
        </div>
      </dl>
      <p class="muted small">
        For monitors: <code>curl /healthz</code> answers JSON (<a href="/healthz.json">view it</a>), 200 when healthy, 503 otherwise.
      </p>
    </section>
  );
}

// ---------------------------------------------------------------- sign up / sign in

/**
 * How this sign-up may claim an instance that has no admin: `first-admin` (local:
 * the first account is the admin), `token` (deployed with ADMIN_SETUP_TOKEN: a field
 * for it), `operator-command` (deployed without: say how the operator does it), or
 * null (there is an admin).
 */
export type AdminSetup = 'first-admin' | 'token' | 'operator-command' | null;

export function SignUpForm({ csrf, errors = {}, values = {}, adminSetup = null, next }: Errors & Values & { csrf: string; adminSetup?: AdminSetup; next?: string | undefined }) {
  return (
    <form id="signup-form" class="panel narrow stack" method="post" action="/signup" hx-post="/signup" hx-target="this" hx-swap="outerHTML" hx-disable="find button">
      <CsrfField token={csrf} />
      <h1>Create your account</h1>
      {adminSetup === 'first-admin' && <p class="notice notice-info">This is the first account on this Sixfold: it becomes the administrator.</p>}
      {adminSetup === 'operator-command' && (
        <p class="notice notice-info">
          This Sixfold has no administrator yet. Accounts created now are members; whoever deployed it makes one an admin with{' '}
          <code>npx wrangler d1 execute DB --remote --command "UPDATE users SET role = 'admin' WHERE email = 'you@example.com'"</code>{' '}
          (or sets an <code>ADMIN_SETUP_TOKEN</code> secret and signs up with it).
        </p>
      )}
      <FormError message={errors['_']} />
      <Field label="Email" name="email" type="email" value={values['email']} error={errors['email']} autocomplete="email" required maxlength={254} autofocus />
      <Field label="Display name (optional)" name="displayName" value={values['displayName']} error={errors['displayName']} autocomplete="nickname" maxlength={80} />
      <Field label="Password" name="password" type="password" error={errors['password']} autocomplete="new-password" required minlength={10} maxlength={256} hint="At least 10 characters. A passphrase of a few words is good." />
      {adminSetup === 'token' && (
        <Field
          label="Setup token (operator only)"
          name="setupToken"
          type="password"
          error={errors['setupToken']}
          autocomplete="off"
          maxlength={200}
          hint="This Sixfold has no administrator yet. If you deployed it, enter its ADMIN_SETUP_TOKEN secret to become the administrator. Everyone else: leave it empty."
        />
      )}
      {next && <input type="hidden" name="next" value={next} />}
      <button type="submit">Create account</button>
      <p class="muted">Already have one? <a href="/signin">Sign in</a></p>
    </form>
  );
}

export function SignUpClosed() {
  return (
    <section class="panel narrow">
      <h1>Sign-up is closed</h1>
      <p>This Sixfold does not accept new accounts. Ask its administrator to create one for you.</p>
      <p><a href="/signin">Sign in</a></p>
    </section>
  );
}

export function SignInForm({ csrf, errors = {}, values = {}, next }: Errors & Values & { csrf: string; next?: string | undefined }) {
  return (
    <form id="signin-form" class="panel narrow stack" method="post" action="/signin" hx-post="/signin" hx-target="this" hx-swap="outerHTML" hx-disable="find button">
      <CsrfField token={csrf} />
      <h1>Sign in</h1>
      <FormError message={errors['_']} />
      <Field label="Email" name="email" type="email" value={values['email']} error={errors['email']} autocomplete="username" required maxlength={254} autofocus />
      <Field label="Password" name="password" type="password" error={errors['password']} autocomplete="current-password" required maxlength={256} />
      {next && <input type="hidden" name="next" value={next} />}
      <button type="submit">Sign in</button>
      <p class="muted">New here? <a href="/signup">Create an account</a></p>
    </form>
  );
}

// ---------------------------------------------------------------- account

export const NOTICES: Record<string, string> = {
  'password-changed': 'Password changed. Your other sessions were signed out.',
  'password-changed-tokens': 'Password changed. Your other sessions were signed out, and your API tokens were revoked.',
  'session-revoked': 'Session revoked.',
  'sessions-revoked': 'Your other sessions were signed out.',
  'token-revoked': 'Token revoked.',
};

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
      {props.notice && <p class="notice notice-info" role="status">{props.notice}</p>}
      <PasswordSection csrf={props.csrf} />
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
};

/** The account's recent security events, newest first (from security_events). */
export function SecuritySection({ events }: { events: SecurityEvent[] }) {
  return (
    <section id="security" class="panel">
      <h2>Security activity</h2>
      <p class="muted">Recent sign-ins and changes to your password and API tokens. Something you do not recognise? Change your password and revoke your tokens.</p>
      {events.length === 0 ? (
        <p class="muted">Nothing yet.</p>
      ) : (
        <table class="table">
          <thead><tr><th>When</th><th>What</th><th>Details</th></tr></thead>
          <tbody>
            {events.map((e) => (
              <tr data-event={e.event}>
                <td data-label="When"><Time ms={e.createdAt} /></td>
                <td data-label="What">{EVENT_LABELS[e.event] ?? e.event}</td>
                <td data-label="Details" title={e.detail || undefined}>
                  {e.event === 'signed_in' || e.event === 'account_created' ? describeAgent(e.detail) : e.detail || <span class="muted">—</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function PasswordSection({ csrf, errors = {}, done, tokensRevoked = 0 }: Errors & { csrf: string; done?: boolean; tokensRevoked?: number }) {
  return (
    <section id="password" class="panel">
      <h2>Password</h2>
      <form method="post" action="/account/password" hx-post="/account/password" hx-target="closest section" hx-swap="outerHTML" class="stack" hx-disable="find button">
        <CsrfField token={csrf} />
        {done && <p class="notice notice-info" role="status">{NOTICES[tokensRevoked > 0 ? 'password-changed-tokens' : 'password-changed']}</p>}
        <FormError message={errors['_']} />
        <Field label="Current password" name="current" type="password" error={errors['current']} autocomplete="current-password" required maxlength={256} />
        <Field label="New password" name="password" type="password" error={errors['password']} autocomplete="new-password" required minlength={10} maxlength={256} />
        <Field label="Repeat the new password" name="confirm" type="password" error={errors['confirm']} autocomplete="new-password" required maxlength={256} />
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
  const browser = /Edg\//.test(ua) ? 'Edge' : /Chrome\//.test(ua) ? 'Chrome' : /Firefox\//.test(ua) ? 'Firefox' : /Safari\//.test(ua) ? 'Safari' : /curl\//.test(ua) ? 'curl' : 'Browser';
  const os = /Windows/.test(ua) ? 'Windows' : /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : /Mac OS X/.test(ua) ? 'macOS' : /Linux/.test(ua) ? 'Linux' : '';
  return os ? `${browser} on ${os}` : browser;
}

export function SessionsSection({ csrf, sessions, currentSessionId, notice }: { csrf: string; sessions: SessionRow[]; currentSessionId: string | null; notice?: string }) {
  const now = clockNow();
  const active = sessions.filter((s) => s.revokedAt === null && s.expiresAt > now);
  const ended = sessions.filter((s) => !(s.revokedAt === null && s.expiresAt > now));
  return (
    <section id="sessions" class="panel">
      <h2>Sessions</h2>
      {notice && <p class="notice notice-info" role="status">{notice}</p>}
      <table class="table">
        <thead><tr><th>Device</th><th>Signed in</th><th>Last refreshed</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
        <tbody>
          {active.map((s) => (
            <tr data-session={s.id}>
              <td data-label="Device" title={s.userAgent}>{describeAgent(s.userAgent)} {s.id === currentSessionId && <span class="badge">this browser</span>}</td>
              <td data-label="Signed in"><Time ms={s.createdAt} /></td>
              <td data-label="Last refreshed"><Time ms={s.lastSeenAt} /></td>
              <td class="actions">
                {s.id !== currentSessionId && (
                  <form method="post" action={`/account/sessions/${s.id}/revoke`} hx-post={`/account/sessions/${s.id}/revoke`} hx-target="closest section" hx-swap="outerHTML">
                    <CsrfField token={csrf} />
                    <button type="submit" class="small secondary">Revoke</button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {active.length > 1 && currentSessionId && (
        <form method="post" action="/account/sessions/revoke-others" hx-post="/account/sessions/revoke-others" hx-target="closest section" hx-swap="outerHTML">
          <CsrfField token={csrf} />
          <button type="submit" class="secondary">Sign out all other sessions</button>
        </form>
      )}
      {ended.length > 0 && (
        <details>
          <summary>{ended.length} ended session{ended.length === 1 ? '' : 's'} (kept for 7 days)</summary>
          <ul class="plain">
            {ended.map((s) => (
              <li>{describeAgent(s.userAgent)}, signed in <Time ms={s.createdAt} />, {s.revokedReason ? `ended: ${s.revokedReason.replace('_', ' ')}` : 'expired'}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

export function TokensSection({
  csrf,
  tokens,
  created,
  needsPassword = false,
  errors = {},
  values = {},
}: Errors & Values & { csrf: string; tokens: ApiTokenRow[]; created?: { token: string; name: string } | undefined; needsPassword?: boolean }) {
  const now = clockNow();
  const chosen = new Set(Array.isArray(values['scopes']) ? (values['scopes'] as string[]) : values['scopes'] ? [String(values['scopes'])] : []);
  return (
    <section id="tokens" class="panel">
      <h2>API tokens</h2>
      <p class="muted">For curl and scripts: send <code>Authorization: Bearer &lt;token&gt;</code>. A token can do only what its scopes allow.</p>
      {created && (
        <div class="notice notice-success new-token" role="status">
          <p><strong>Token “{created.name}” created.</strong> Copy it now: it will not be shown again.</p>
          <input class="token-value mono" readonly value={created.token} aria-label="New API token" id="new-token" />
          <button type="button" class="small secondary" data-copy="#new-token">Copy</button>
        </div>
      )}
      {tokens.length > 0 && (
        <table class="table">
          <thead><tr><th>Name</th><th>Scopes</th><th>Created</th><th>Last used</th><th>Expires</th><th><span class="visually-hidden">Actions</span></th></tr></thead>
          <tbody>
            {tokens.map((t) => {
              const dead = t.revokedAt !== null || (t.expiresAt !== null && t.expiresAt <= now);
              return (
                <tr data-token={t.id} class={dead ? 'muted' : ''}>
                  <td data-label="Name">{t.name} <code class="muted">{t.prefix}…</code></td>
                  <td data-label="Scopes">{t.scopes.map((s) => <code class="scope">{s}</code>)}</td>
                  <td data-label="Created"><Time ms={t.createdAt} /></td>
                  <td data-label="Last used"><Time ms={t.lastUsedAt} /></td>
                  <td data-label="Expires">{t.revokedAt !== null ? 'revoked' : <Time ms={t.expiresAt} />}</td>
                  <td class="actions">
                    {!dead && (
                      <form method="post" action={`/account/tokens/${t.id}/revoke`} hx-post={`/account/tokens/${t.id}/revoke`} hx-target="closest section" hx-swap="outerHTML" hx-confirm={`Revoke “${t.name}”? Scripts using it will stop working.`}>
                        <CsrfField token={csrf} />
                        <button type="submit" class="small danger">Revoke</button>
                      </form>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <form method="post" action="/account/tokens" hx-post="/account/tokens" hx-target="closest section" hx-swap="outerHTML" class="stack token-form">
        <CsrfField token={csrf} />
        <h3>New token</h3>
        <FormError message={errors['_']} />
        <Field label="Name" name="name" value={values['name']} error={errors['name']} required maxlength={60} />
        <fieldset class={errors['scopes'] ? 'has-error' : ''}>
          <legend>Scopes</legend>
          {(Object.entries(SCOPES) as [Scope, string][]).map(([scope, description]) => (
            <label class="check">
              <input type="checkbox" name="scopes" value={scope} checked={chosen.has(scope)} /> <code>{scope}</code> <span class="muted">{description}</span>
            </label>
          ))}
          {errors['scopes'] && <p class="error">{errors['scopes']}</p>}
        </fieldset>
        <div class="field">
          <label for="f-expires">Expires</label>
          <select id="f-expires" name="expires">
            {[['30', 'in 30 days'], ['90', 'in 90 days'], ['365', 'in a year'], ['never', 'never']].map(([v, label]) => (
              <option value={v} selected={(values['expires'] ?? '90') === v}>{label}</option>
            ))}
          </select>
        </div>
        {(needsPassword || errors['password']) && (
          <Field
            label="Your password"
            name="password"
            type="password"
            error={errors['password']}
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

// ---------------------------------------------------------------- admin

export function AdminUsersPage({ users, csrf, selfId, nextAfter, savedId }: { users: AdminUserRow[]; csrf: string; selfId: number; nextAfter: number | null; savedId?: number | undefined }) {
  return (
    <div class="stack-lg">
      <header class="page-header">
        <h1>Users</h1>
        <p class="muted">Roles: <b>admin</b> manages the instance, <b>agent</b> works helpdesk tickets, <b>member</b> uses the apps. Disabling an account ends all its sessions at once.</p>
      </header>
      <section class="panel">
        <table class="table" id="users">
          <thead><tr><th>User</th><th>Role</th><th>Sessions</th><th>Joined</th><th>Status</th></tr></thead>
          <tbody>
            {users.map((u) => (
              <UserRow user={u} csrf={csrf} self={u.id === selfId} outcome={u.id === savedId ? { cell: 'role', kind: 'saved', message: 'Saved' } : undefined} />
            ))}
          </tbody>
        </table>
        {nextAfter !== null && <p><a href={`/admin/users?after=${nextAfter}`}>Next page →</a></p>}
      </section>
    </div>
  );
}

/** What the last action on a row did, shown in that cell's reserved slot. */
export type RowOutcome = { cell: 'role' | 'status'; kind: 'saved' | 'error'; message: string };

/**
 * The slot every row has, in the role and status cells, for the answer to an action:
 * its width is reserved (CSS) so "Saved" appears without moving a column, and an
 * error's explanation floats over the table instead of growing the row.
 */
function RowStatus({ outcome, cell, id }: { outcome: RowOutcome | undefined; cell: RowOutcome['cell']; id: string }) {
  const mine = outcome?.cell === cell ? outcome : undefined;
  if (!mine) return <span class="row-status" id={id}></span>;
  if (mine.kind === 'saved') return <span class="row-status saved" id={id} role="status">✓ {mine.message}</span>;
  return (
    <span class="row-status failed" id={id} role="alert">
      Not saved<span class="row-status-detail">{mine.message}</span>
    </span>
  );
}

export function UserRow({ user, csrf, self, outcome }: { user: AdminUserRow; csrf: string; self: boolean; outcome?: RowOutcome | undefined }) {
  const action = user.disabledAt === null ? 'disable' : 'enable';
  return (
    <tr id={`user-${user.id}`} data-user={user.id} class={user.disabledAt !== null ? 'muted' : ''}>
      <td data-label="User">
        {user.email} {self && <span class="badge">you</span>}
        {user.displayName && <div class="muted small">{user.displayName}</div>}
      </td>
      <td data-label="Role" class="has-row-status">
        <form method="post" action={`/admin/users/${user.id}/role`} hx-post={`/admin/users/${user.id}/role`} hx-target="closest tr" hx-swap="outerHTML" class="inline">
          <CsrfField token={csrf} />
          <label class="visually-hidden" for={`role-${user.id}`}>Role of {user.email}</label>
          <select id={`role-${user.id}`} name="role" aria-describedby={`role-status-${user.id}`}>
            {(['admin', 'agent', 'member'] as const).map((r) => <option value={r} selected={user.role === r}>{r}</option>)}
          </select>{' '}
          <button type="submit" class="small secondary">Save</button>
        </form>{' '}
        <RowStatus outcome={outcome} cell="role" id={`role-status-${user.id}`} />
      </td>
      <td data-label="Sessions">{user.activeSessions}</td>
      <td data-label="Joined"><Time ms={user.createdAt} /></td>
      <td data-label="Status" class="has-row-status">
        {self ? (
          <span class="muted">active</span>
        ) : (
          <form method="post" action={`/admin/users/${user.id}/${action}`} hx-post={`/admin/users/${user.id}/${action}`} hx-target="closest tr" hx-swap="outerHTML" class="inline">
            <CsrfField token={csrf} />
            {user.disabledAt === null ? 'active ' : 'disabled '}
            <button type="submit" class={`small ${action === 'disable' ? 'danger' : 'secondary'}`}>{action === 'disable' ? 'Disable' : 'Enable'}</button>
          </form>
        )}{' '}
        <RowStatus outcome={outcome} cell="status" id={`account-status-${user.id}`} />
      </td>
    </tr>
  );
}
