/** Pages and fragments of the platform: home, sign-in/up, account, admin. */
import type { ApiTokenRow, SessionRow, AdminUserRow } from '../../shared/auth/repository';
import { SCOPES, type Scope } from '../../shared/auth/scopes';
import type { User } from '../../shared/auth/types';
import { Field, FormError, Time } from '../../shared/html/components';
import { CsrfField } from '../../shared/html/layout';
import type { FieldErrors } from '../../shared/http/errors';
import { APPS, type AppSlug } from '../apps';

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

// ---------------------------------------------------------------- sign up / sign in

export function SignUpForm({ csrf, errors = {}, values = {}, firstAccount, next }: Errors & Values & { csrf: string; firstAccount: boolean; next?: string | undefined }) {
  return (
    <form id="signup-form" class="panel narrow stack" method="post" action="/signup" hx-post="/signup" hx-target="this" hx-swap="outerHTML" hx-disable="find button">
      <CsrfField token={csrf} />
      <h1>Create your account</h1>
      {firstAccount && <p class="notice notice-info">This is the first account on this Sixfold: it becomes the administrator.</p>}
      <FormError message={errors['_']} />
      <Field label="Email" name="email" type="email" value={values['email']} error={errors['email']} autocomplete="email" required maxlength={254} autofocus />
      <Field label="Display name (optional)" name="displayName" value={values['displayName']} error={errors['displayName']} autocomplete="nickname" maxlength={80} />
      <Field label="Password" name="password" type="password" error={errors['password']} autocomplete="new-password" required minlength={10} maxlength={256} hint="At least 10 characters. A passphrase of a few words is good." />
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
  'session-revoked': 'Session revoked.',
  'sessions-revoked': 'Your other sessions were signed out.',
  'token-revoked': 'Token revoked.',
};

export function AccountPage(props: {
  user: User;
  csrf: string;
  sessions: SessionRow[];
  currentSessionId: string | null;
  tokens: ApiTokenRow[];
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
      <TokensSection csrf={props.csrf} tokens={props.tokens} created={props.created} />
    </div>
  );
}

export function PasswordSection({ csrf, errors = {}, done }: Errors & { csrf: string; done?: boolean }) {
  return (
    <section id="password" class="panel">
      <h2>Password</h2>
      <form method="post" action="/account/password" hx-post="/account/password" hx-target="closest section" hx-swap="outerHTML" class="stack" hx-disable="find button">
        <CsrfField token={csrf} />
        {done && <p class="notice notice-info" role="status">{NOTICES['password-changed']}</p>}
        <FormError message={errors['_']} />
        <Field label="Current password" name="current" type="password" error={errors['current']} autocomplete="current-password" required maxlength={256} />
        <Field label="New password" name="password" type="password" error={errors['password']} autocomplete="new-password" required minlength={10} maxlength={256} />
        <Field label="Repeat the new password" name="confirm" type="password" error={errors['confirm']} autocomplete="new-password" required maxlength={256} />
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
  const now = Date.now();
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
              <td title={s.userAgent}>{describeAgent(s.userAgent)} {s.id === currentSessionId && <span class="badge">this browser</span>}</td>
              <td><Time ms={s.createdAt} /></td>
              <td><Time ms={s.lastSeenAt} /></td>
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

export function TokensSection({ csrf, tokens, created, errors = {}, values = {} }: Errors & Values & { csrf: string; tokens: ApiTokenRow[]; created?: { token: string; name: string } | undefined }) {
  const now = Date.now();
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
                  <td>{t.name} <code class="muted">{t.prefix}…</code></td>
                  <td>{t.scopes.map((s) => <code class="scope">{s}</code>)}</td>
                  <td><Time ms={t.createdAt} /></td>
                  <td><Time ms={t.lastUsedAt} /></td>
                  <td>{t.revokedAt !== null ? 'revoked' : <Time ms={t.expiresAt} />}</td>
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
        <button type="submit">Create token</button>
      </form>
    </section>
  );
}

// ---------------------------------------------------------------- admin

export function AdminUsersPage({ users, csrf, selfId, nextAfter }: { users: AdminUserRow[]; csrf: string; selfId: number; nextAfter: number | null }) {
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
            {users.map((u) => <UserRow user={u} csrf={csrf} self={u.id === selfId} />)}
          </tbody>
        </table>
        {nextAfter !== null && <p><a href={`/admin/users?after=${nextAfter}`}>Next page →</a></p>}
      </section>
    </div>
  );
}

export function UserRow({ user, csrf, self, error }: { user: AdminUserRow; csrf: string; self: boolean; error?: string }) {
  const action = user.disabledAt === null ? 'disable' : 'enable';
  return (
    <tr id={`user-${user.id}`} data-user={user.id} class={user.disabledAt !== null ? 'muted' : ''}>
      <td>
        {user.email} {self && <span class="badge">you</span>}
        {user.displayName && <div class="muted small">{user.displayName}</div>}
        {error && <p class="error" role="alert">{error}</p>}
      </td>
      <td>
        <form method="post" action={`/admin/users/${user.id}/role`} hx-post={`/admin/users/${user.id}/role`} hx-target="closest tr" hx-swap="outerHTML" class="inline">
          <CsrfField token={csrf} />
          <label class="visually-hidden" for={`role-${user.id}`}>Role of {user.email}</label>
          <select id={`role-${user.id}`} name="role">
            {(['admin', 'agent', 'member'] as const).map((r) => <option value={r} selected={user.role === r}>{r}</option>)}
          </select>
          <button type="submit" class="small secondary">Save</button>
        </form>
      </td>
      <td>{user.activeSessions}</td>
      <td><Time ms={user.createdAt} /></td>
      <td>
        {self ? (
          <span class="muted">active</span>
        ) : (
          <form method="post" action={`/admin/users/${user.id}/${action}`} hx-post={`/admin/users/${user.id}/${action}`} hx-target="closest tr" hx-swap="outerHTML" class="inline">
            <CsrfField token={csrf} />
            {user.disabledAt === null ? 'active ' : 'disabled '}
            <button type="submit" class={`small ${action === 'disable' ? 'danger' : 'secondary'}`}>{action === 'disable' ? 'Disable' : 'Enable'}</button>
          </form>
        )}
      </td>
    </tr>
  );
}
