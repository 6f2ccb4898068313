/**
 * The platform's own pages: home, health (JSON, or a status page for browsers),
 * "coming soon" pages for apps not built yet, sign-up/in/out, the account page
 * (password, sessions, API tokens, security activity), the admin user list, and
 * GET /api/me.
 * Every unsafe route here is covered by the CSRF matrix test, which walks the
 * registered routes.
 */
import { zValidator } from '@hono/zod-validator';
import { sql } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { accepts } from 'hono/accepts';
import type { AppEnv } from '../../shared/context';
import { first } from '../../shared/db';
import { config, isLocalHost } from '../../shared/env';
import { timingSafeEqual } from '../../shared/crypto';
import { clearSessionCookies } from '../../shared/auth/cookies';
import { rememberDevice, SIGNIN_FAILURE_WINDOW_MS, signinThrottle } from '../../shared/auth/device';
import { now } from '../../shared/clock';
import { currentAuth, requireRole, requireScope, requireSession, startSession } from '../../shared/auth/middleware';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../../shared/auth/password';
import * as accounts from '../../shared/auth/repository';
import type { Scope } from '../../shared/auth/scopes';
import { raisedCode } from '../../shared/db';
import { HttpError } from '../../shared/http/http-error';
import { isApiPath, isHtmx } from '../../shared/http/request';
import { audit } from '../../shared/http/logging';
import { enforceRateLimit, limitPerAddress } from '../../shared/http/rate-limit';
import { fragmentOrPage, navigate } from '../../shared/http/respond';
import { formHook, rejectInvalid } from '../../shared/http/validation';
import { APPS, LIVE_APPS, type AppSlug } from '../apps';
import * as schema from './schema';
import * as views from './views';

const platform = new Hono<AppEnv>();
const USERS_PAGE = 50;

const csrfOf = (c: Context<AppEnv>) => c.get('csrfToken');

// ---------------------------------------------------------------- home and health

platform.get('/', (c) => {
  const available = new Set(LIVE_APPS.map((a) => a.slug as AppSlug));
  return c.render(<views.HomePage available={available} user={c.get('auth')?.user ?? null} />, { title: 'Sixfold' });
});

/** D1 reachable and migrated: the one dependency every page needs. */
async function healthChecks(c: Context<AppEnv>): Promise<{ ok: boolean; checks: { d1: views.D1Check } }> {
  const started = performance.now();
  let d1: views.D1Check;
  try {
    const row = await first<{ name: string }>(c.env.DB, sql`SELECT name FROM d1_migrations ORDER BY id DESC LIMIT 1`);
    d1 = { status: 'ok', latency_ms: Math.round(performance.now() - started), latest_migration: row?.name ?? null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    d1 = {
      status: 'error',
      error: /no such table/i.test(message) ? 'Migrations have not been applied (wrangler d1 migrations apply DB).' : 'D1 query failed.',
    };
  }
  return { ok: d1.status === 'ok', checks: { d1 } };
}

function healthJson(c: Context<AppEnv>, health: Awaited<ReturnType<typeof healthChecks>>) {
  return c.json({ status: health.ok ? 'ok' : 'error', checks: health.checks }, health.ok ? 200 : 503, { 'cache-control': 'no-store', vary: 'accept' });
}

// JSON for monitors and curl (the default); the footer's "status" link, followed by a
// browser asking for text/html, gets the same facts as a page.
platform.get('/healthz', async (c) => {
  const health = await healthChecks(c);
  // Hono's negotiation: `*/*` (curl) matches neither type by name, so it stays JSON.
  if (accepts(c, { header: 'Accept', supports: ['application/json', 'text/html'], default: 'application/json' }) !== 'text/html') return healthJson(c, health);
  c.header('cache-control', 'no-store');
  c.header('vary', 'accept');
  c.status(health.ok ? 200 : 503);
  return c.render(<views.StatusPage ok={health.ok} d1={health.checks.d1} />, { title: 'Status' });
});

platform.get('/healthz.json', async (c) => healthJson(c, await healthChecks(c)));

// ---------------------------------------------------------------- apps not built yet

for (const app of APPS.filter((a) => !('routes' in a))) {
  const page = (c: Context<AppEnv>, status: 200 | 404) => {
    if (isApiPath(c.req.path)) throw new HttpError(404, `${app.name} has no API yet.`);
    c.status(status);
    return c.render(<views.ComingSoonPage app={app} />, { title: `${app.name} (coming soon)` });
  };
  platform.get(`/${app.slug}`, (c) => page(c, 200));
  platform.get(`/${app.slug}/*`, (c) => page(c, 404));
}

// ---------------------------------------------------------------- sign up

/**
 * Who may claim the admin account of an instance that has none. Locally, the first
 * person to sign up (one step). Deployed, only the operator: by typing the
 * ADMIN_SETUP_TOKEN secret into the form, or by a `wrangler d1 execute` command.
 * Whoever finds a fresh deployment's hostname first must not own it.
 */
function isLocalInstance(c: Context<AppEnv>): boolean {
  return config(c.env).LOCAL_DEV === 'true' || isLocalHost(new URL(c.req.url).hostname);
}

function adminSetupMode(c: Context<AppEnv>, hasAdmin: boolean): views.AdminSetup {
  if (hasAdmin) return null;
  if (isLocalInstance(c)) return 'first-admin';
  return config(c.env).ADMIN_SETUP_TOKEN ? 'token' : 'operator-command';
}

const signUpRender = (c: Context<AppEnv>, state: { errors: Record<string, string>; values: Record<string, unknown> }) => ({
  title: 'Sign up',
  form: (
    <views.SignUpForm
      csrf={csrfOf(c)}
      errors={state.errors}
      values={state.values}
      // Without a database read here: a form that carried the setup field keeps it.
      adminSetup={state.values['setupToken'] !== undefined ? 'token' : null}
      next={schema.nextPath.parse(state.values['next'])}
    />
  ),
});

platform.get('/signup', async (c) => {
  if (c.get('auth')) return c.redirect('/account', 303);
  const { users, hasAdmin } = await accounts.signupState(c.env.DB);
  const adminSetup = adminSetupMode(c, hasAdmin);
  const canClaim = adminSetup === 'first-admin' || adminSetup === 'token';
  if (users > 0 && config(c.env).SIGNUP === 'closed' && !canClaim) {
    return c.render(<views.SignUpClosed />, { title: 'Sign-up closed' });
  }
  const next = schema.nextPath.parse(c.req.query('next'));
  return c.render(<views.SignUpForm csrf={csrfOf(c)} adminSetup={adminSetup} next={next} />, { title: 'Sign up' });
});

platform.post(
  '/signup',
  limitPerAddress((env) => env.RL_SIGNUP, 'signup', 'sign-up attempts'),
  zValidator('form', schema.SignUpForm, formHook(signUpRender)),
  async (c) => {
    const form = c.req.valid('form');
    const cfg = config(c.env);
    const t = now();
    let claimAdmin = isLocalInstance(c);
    if (form.setupToken !== undefined) {
      if (!cfg.ADMIN_SETUP_TOKEN || !timingSafeEqual(form.setupToken, cfg.ADMIN_SETUP_TOKEN)) {
        const errors = { setupToken: 'That setup token is not right. It is the ADMIN_SETUP_TOKEN secret set by whoever deployed this Sixfold; leave the field empty to sign up as a member.' };
        return fragmentOrPage(c, { title: 'Sign up', status: 422 }, <views.SignUpForm csrf={csrfOf(c)} errors={errors} values={{ ...form, setupToken: undefined }} adminSetup="token" next={form.next} />);
      }
      claimAdmin = true;
    }
    const created = await accounts.createUser(c.env.DB, {
      email: form.email,
      displayName: form.displayName,
      passwordHash: await hashPassword(form.password),
      signupOpen: cfg.SIGNUP === 'open',
      claimAdmin,
      now: t,
    });
    if (!created.ok) {
      if (created.reason === 'closed') throw new HttpError(403, 'Sign-up is closed on this Sixfold. Ask its administrator for an account.');
      const errors = { email: 'An account with this email already exists. Sign in instead.' };
      return fragmentOrPage(c, { title: 'Sign up', status: 409 }, <views.SignUpForm csrf={csrfOf(c)} errors={errors} values={{ ...form, setupToken: undefined }} adminSetup={form.setupToken !== undefined ? 'token' : null} next={form.next} />);
    }
    const { user } = created;
    audit('user.created', { actor_id: user.id, user_id: user.id, role: user.role, claimed_admin: claimAdmin && user.role === 'admin' });
    const session = await accounts.createSession(c.env.DB, { userId: user.id, userAgent: c.req.header('user-agent') ?? '', now: t, event: 'account_created' });
    await startSession(c, user.id, session.sessionId, session.refreshToken);
    await rememberDevice(c, user.id);
    audit('session.created', { actor_id: user.id, session_id: session.sessionId });
    return navigate(c, form.next ?? '/');
  },
);

// ---------------------------------------------------------------- sign in / out

const signInRender = (c: Context<AppEnv>, state: { errors: Record<string, string>; values: Record<string, unknown> }) => ({
  title: 'Sign in',
  form: <views.SignInForm csrf={csrfOf(c)} errors={state.errors} values={state.values} next={schema.nextPath.parse(state.values['next'])} />,
});

platform.get('/signin', (c) => {
  const next = schema.nextPath.parse(c.req.query('next'));
  if (c.get('auth')) return c.redirect(next ?? '/', 303);
  return c.render(<views.SignInForm csrf={csrfOf(c)} next={next} />, { title: 'Sign in' });
});

platform.post(
  '/signin',
  limitPerAddress((env) => env.RL_AUTH, 'signin', 'sign-in attempts'),
  zValidator('form', schema.SignInForm, formHook(signInRender)),
  async (c) => {
    const form = c.req.valid('form');
    const t = now();
    const credentials = await accounts.findCredentials(c.env.DB, form.email);
    // A second limit, per account, slows guessing spread over many addresses; a browser
    // the owner signed in from before answers only to its own (shared/auth/device.ts).
    const throttle = await signinThrottle(c, form.email, credentials?.user.id ?? null);
    if ((await accounts.countSigninFailures(c.env.DB, throttle.key, t - SIGNIN_FAILURE_WINDOW_MS)) >= throttle.limit) {
      const errors = {
        _: throttle.known
          ? 'Too many failed sign-ins from this browser. Wait 15 minutes and try again.'
          : 'Too many failed sign-ins for this account. Wait 15 minutes, or sign in from a device you have signed in from before.',
      };
      c.header('retry-after', String(SIGNIN_FAILURE_WINDOW_MS / 1000));
      return fragmentOrPage(c, { title: 'Sign in', status: 429 }, <views.SignInForm csrf={csrfOf(c)} errors={errors} values={{ email: form.email }} next={form.next} />);
    }
    // Unknown emails still cost one PBKDF2 run, so timing does not reveal which exist.
    const check = await verifyPassword(form.password, credentials?.passwordHash ?? (await dummyPasswordHash()));
    if (!credentials || !check.ok) {
      await accounts.recordSigninFailure(c.env.DB, { key: throttle.key, now: t, forgetBefore: t - SIGNIN_FAILURE_WINDOW_MS });
      audit('session.signin_failed', { actor_id: credentials?.user.id ?? null, known_device: throttle.known });
      const errors = { _: 'Email or password is incorrect.' };
      return fragmentOrPage(c, { title: 'Sign in', status: 401 }, <views.SignInForm csrf={csrfOf(c)} errors={errors} values={{ email: form.email }} next={form.next} />);
    }
    if (credentials.disabled) {
      const errors = { _: 'This account is disabled. Ask an administrator to enable it.' };
      return fragmentOrPage(c, { title: 'Sign in', status: 403 }, <views.SignInForm csrf={csrfOf(c)} errors={errors} values={{ email: form.email }} next={form.next} />);
    }
    if (check.needsRehash) await accounts.updatePasswordHash(c.env.DB, credentials.user.id, await hashPassword(form.password), t);
    const session = await accounts.createSession(c.env.DB, { userId: credentials.user.id, userAgent: c.req.header('user-agent') ?? '', now: t });
    await startSession(c, credentials.user.id, session.sessionId, session.refreshToken);
    await rememberDevice(c, credentials.user.id);
    audit('session.created', { actor_id: credentials.user.id, session_id: session.sessionId });
    return navigate(c, form.next ?? '/');
  },
);

platform.post('/signout', zValidator('form', schema.EmptyForm, rejectInvalid), async (c) => {
  const auth = c.get('auth');
  if (auth?.via === 'session') {
    await accounts.revokeSession(c.env.DB, { sessionId: auth.sessionId, userId: auth.user.id, reason: 'signout', now: now() });
    audit('session.signed_out', { actor_id: auth.user.id, session_id: auth.sessionId });
  }
  clearSessionCookies(c);
  return navigate(c, '/');
});

// ---------------------------------------------------------------- account

const account = new Hono<AppEnv>();
account.use(requireSession());

type AccountPageExtra = {
  notice?: string | undefined;
  created?: { token: string; name: string };
  /** A token form that failed (re-rendered with its messages). */
  tokenForm?: { errors: Record<string, string>; values: Record<string, unknown> };
  status?: 422;
};

/** Whether a password entered at `reauthAt` still opens the sudo window at `at`. */
const withinSudo = (reauthAt: number | null, at: number) => reauthAt !== null && at - reauthAt <= accounts.SUDO_WINDOW_MS;

async function accountPage(c: Context<AppEnv>, extra: AccountPageExtra = {}) {
  const auth = currentAuth(c);
  const overview = await accounts.accountOverview(c.env.DB, auth.user.id, sessionIdOf(c));
  if (extra.status) c.status(extra.status);
  return c.render(
    <views.AccountPage
      user={auth.user}
      csrf={csrfOf(c)}
      sessions={overview.sessions}
      tokens={overview.tokens}
      events={overview.events}
      tokenForm={{ needsPassword: !withinSudo(overview.reauthAt, now()), ...extra.tokenForm }}
      currentSessionId={sessionIdOf(c)}
      notice={extra.notice}
      created={extra.created}
    />,
    { title: 'Account' },
  );
}

type TokensExtra = { created?: { token: string; name: string }; errors?: Record<string, string>; values?: Record<string, unknown>; status?: 422 };

/** The tokens section with the list as it is now. */
async function tokensSection(c: Context<AppEnv>, extra: TokensExtra = {}) {
  const auth = currentAuth(c);
  const sessionId = sessionIdOf(c);
  const [tokens, reauthAt] = await Promise.all([
    accounts.listApiTokens(c.env.DB, auth.user.id),
    sessionId ? accounts.sessionReauthAt(c.env.DB, sessionId) : Promise.resolve(null),
  ]);
  return <views.TokensSection csrf={csrfOf(c)} tokens={tokens} created={extra.created} errors={extra.errors} values={extra.values} needsPassword={!withinSudo(reauthAt, now())} />;
}

/** The account page's security activity as an out-of-band part of an htmx answer (after a change that added an event). */
async function securityPartial(c: Context<AppEnv>) {
  const events = await accounts.listSecurityEvents(c.env.DB, currentAuth(c).user.id);
  return <hx-partial hx-target="#security" hx-swap="outerHTML"><views.SecuritySection events={events} /></hx-partial>;
}

/** The tokens section alone, for htmx; after a change (`changed`) the security activity rides along. */
async function tokensFragment(c: Context<AppEnv>, extra: TokensExtra = {}, changed = false) {
  return c.html(
    <>
      {await tokensSection(c, extra)}
      {changed && (await securityPartial(c))}
    </>,
    extra.status ?? 200,
  );
}

function sessionIdOf(c: Context<AppEnv>): string | null {
  const auth = currentAuth(c);
  return auth.via === 'session' ? auth.sessionId : null;
}

account.get('/', zValidator('query', schema.NoticeQuery, rejectInvalid), (c) => {
  const notice = c.req.valid('query').notice;
  return accountPage(c, { notice: notice ? views.NOTICES[notice] : undefined });
});

account.post(
  '/password',
  zValidator('form', schema.ChangePasswordForm, formHook((c, { errors }) => ({ title: 'Change password', form: <views.PasswordSection csrf={csrfOf(c)} errors={errors} /> }))),
  async (c) => {
    const auth = currentAuth(c);
    await enforceRateLimit(c.env.RL_AUTH, `password:${auth.user.id}`, 60, 'password attempts');
    const form = c.req.valid('form');
    const stored = await accounts.findPasswordHash(c.env.DB, auth.user.id);
    if (!stored || !(await verifyPassword(form.current, stored)).ok) {
      const errors = { current: 'That is not your current password.' };
      return fragmentOrPage(c, { title: 'Change password', status: 422 }, <views.PasswordSection csrf={csrfOf(c)} errors={errors} />);
    }
    const { tokensRevoked } = await accounts.changePassword(c.env.DB, {
      userId: auth.user.id,
      passwordHash: await hashPassword(form.password),
      keepSessionId: sessionIdOf(c),
      revokeTokens: form.revokeTokens === 'yes',
      now: now(),
    });
    audit('user.password_changed', { actor_id: auth.user.id, user_id: auth.user.id, tokens_revoked: tokensRevoked });
    if (isHtmx(c)) {
      // The same page lists the tokens it revoked and the security activity it added:
      // both must be true now, not after a reload (<hx-partial> swaps them as well).
      return c.html(
        <>
          <views.PasswordSection csrf={csrfOf(c)} done tokensRevoked={tokensRevoked} />
          {tokensRevoked > 0 && <hx-partial hx-target="#tokens" hx-swap="outerHTML">{await tokensSection(c)}</hx-partial>}
          {await securityPartial(c)}
        </>,
      );
    }
    return c.redirect(`/account?notice=${tokensRevoked > 0 ? 'password-changed-tokens' : 'password-changed'}`, 303);
  },
);

async function sessionsFragment(c: Context<AppEnv>, notice: string) {
  const auth = currentAuth(c);
  if (!isHtmx(c)) return c.redirect(`/account?notice=${notice}`, 303);
  const sessions = await accounts.listSessions(c.env.DB, auth.user.id);
  return c.html(<views.SessionsSection csrf={csrfOf(c)} sessions={sessions} currentSessionId={sessionIdOf(c)} notice={views.NOTICES[notice]} />);
}

account.post('/sessions/revoke-others', zValidator('form', schema.EmptyForm, rejectInvalid), async (c) => {
  const auth = currentAuth(c);
  const keep = sessionIdOf(c);
  if (!keep) throw new HttpError(400, 'Only a browser session can sign out the others.');
  const n = await accounts.revokeOtherSessions(c.env.DB, auth.user.id, keep, now());
  audit('session.revoked_others', { actor_id: auth.user.id, count: n });
  return sessionsFragment(c, 'sessions-revoked');
});

account.post('/sessions/:id/revoke', zValidator('param', schema.IdParam, rejectInvalid), zValidator('form', schema.EmptyForm, rejectInvalid), async (c) => {
  const auth = currentAuth(c);
  const { id } = c.req.valid('param');
  if (id === sessionIdOf(c)) throw new HttpError(400, 'To end this session, sign out.');
  const revoked = await accounts.revokeSession(c.env.DB, { sessionId: id, userId: auth.user.id, reason: 'revoked', now: now() });
  if (!revoked) throw new HttpError(404, 'No such active session on your account.');
  audit('session.revoked', { actor_id: auth.user.id, session_id: id });
  return sessionsFragment(c, 'session-revoked');
});

account.post(
  '/tokens',
  zValidator(
    'form',
    schema.CreateTokenForm,
    formHook((c, { errors, values }) => ({ title: 'New API token', form: <views.TokensSection csrf={csrfOf(c)} tokens={[]} errors={errors} values={values} /> })),
  ),
  async (c) => {
    const auth = currentAuth(c);
    const form = c.req.valid('form');
    const t = now();
    // "Sudo": a token acts as this person without a browser and outlives the session,
    // so a session alone (perhaps a stolen cookie) cannot mint one: the password must
    // have been entered in this session within the window, or now.
    const sessionId = sessionIdOf(c)!; // requireSession
    let refused: string | undefined;
    if (form.password !== undefined) {
      await enforceRateLimit(c.env.RL_AUTH, `password:${auth.user.id}`, 60, 'password attempts');
      const stored = await accounts.findPasswordHash(c.env.DB, auth.user.id);
      if (stored && (await verifyPassword(form.password, stored)).ok) await accounts.markReauthenticated(c.env.DB, sessionId, t);
      else refused = 'That is not your password.';
    } else if (!withinSudo(await accounts.sessionReauthAt(c.env.DB, sessionId), t)) {
      refused = 'Enter your password to create a token: you have not entered it in the last 10 minutes.';
    }
    if (refused) {
      const failed = { errors: { password: refused }, values: { name: form.name, scopes: form.scopes, expires: form.expires }, status: 422 as const };
      return isHtmx(c) ? tokensFragment(c, failed) : accountPage(c, { tokenForm: failed, status: 422 });
    }
    const days = schema.TOKEN_EXPIRY_DAYS[form.expires];
    const { token, row } = await accounts.createApiToken(c.env.DB, {
      userId: auth.user.id,
      name: form.name,
      scopes: form.scopes as Scope[],
      expiresAt: days === null ? null : t + days * 24 * 3600_000,
      now: t,
    });
    audit('api_token.created', { actor_id: auth.user.id, token_id: row.id, scopes: row.scopes });
    c.header('cache-control', 'no-store');
    const created = { token, name: row.name };
    return isHtmx(c) ? tokensFragment(c, { created }, true) : accountPage(c, { created });
  },
);

account.post('/tokens/:id/revoke', zValidator('param', schema.IdParam, rejectInvalid), zValidator('form', schema.EmptyForm, rejectInvalid), async (c) => {
  const auth = currentAuth(c);
  const { id } = c.req.valid('param');
  const revoked = await accounts.revokeApiToken(c.env.DB, { tokenId: id, userId: auth.user.id, now: now() });
  if (!revoked) throw new HttpError(404, 'No such active token on your account.');
  audit('api_token.revoked', { actor_id: auth.user.id, token_id: id });
  if (!isHtmx(c)) return c.redirect('/account?notice=token-revoked', 303);
  return tokensFragment(c, {}, true);
});

platform.route('/account', account);

// ---------------------------------------------------------------- admin

const admin = new Hono<AppEnv>();
admin.use(requireSession(), requireRole('admin'));

admin.get('/users', zValidator('query', schema.UsersQuery, rejectInvalid), async (c) => {
  const { after, saved } = c.req.valid('query');
  const users = await accounts.listUsers(c.env.DB, { afterId: after, limit: USERS_PAGE + 1, now: now() });
  const page = users.slice(0, USERS_PAGE);
  const nextAfter = users.length > USERS_PAGE ? page[page.length - 1]!.id : null;
  return c.render(<views.AdminUsersPage users={page} csrf={csrfOf(c)} selfId={currentAuth(c).user.id} nextAfter={nextAfter} savedId={saved} />, { title: 'Users' });
});

/**
 * After an admin change: for htmx, the updated row with the outcome in the cell that
 * was used ("Saved", or why not); for a plain form, back to the list (marking the row
 * saved), or the error page.
 */
async function userRowResponse(c: Context<AppEnv>, userId: number, cell: views.RowOutcome['cell'], error?: { status: 409 | 400; message: string }) {
  if (!isHtmx(c)) {
    if (error) throw new HttpError(error.status, error.message);
    return c.redirect(`/admin/users?saved=${userId}`, 303);
  }
  const [row] = await accounts.listUsers(c.env.DB, { afterId: userId - 1, limit: 1, now: now() });
  if (!row || row.id !== userId) throw new HttpError(404, 'No such user.');
  const outcome: views.RowOutcome = error ? { cell, kind: 'error', message: error.message } : { cell, kind: 'saved', message: 'Saved' };
  return c.html(<views.UserRow user={row} csrf={csrfOf(c)} self={row.id === currentAuth(c).user.id} outcome={outcome} />, error?.status ?? 200);
}

const LAST_ADMIN = 'This is the last active admin. Make someone else an admin first.';

admin.post('/users/:id/role', zValidator('param', schema.UserIdParam, rejectInvalid), zValidator('form', schema.RoleForm, rejectInvalid), async (c) => {
  const actor = currentAuth(c).user;
  const { id } = c.req.valid('param');
  const { role } = c.req.valid('form');
  const before = await accounts.findUser(c.env.DB, id);
  if (!before) throw new HttpError(404, 'No such user.');
  try {
    await accounts.setRole(c.env.DB, id, role, now());
  } catch (error) {
    if (raisedCode(error, 'last_admin')) return userRowResponse(c, id, 'role', { status: 409, message: LAST_ADMIN });
    throw error;
  }
  audit('user.role_changed', { actor_id: actor.id, user_id: id, from: before.role, to: role });
  return userRowResponse(c, id, 'role');
});

for (const action of ['disable', 'enable'] as const) {
  admin.post(`/users/:id/${action}`, zValidator('param', schema.UserIdParam, rejectInvalid), zValidator('form', schema.EmptyForm, rejectInvalid), async (c) => {
    const actor = currentAuth(c).user;
    const { id } = c.req.valid('param');
    if (id === actor.id) return userRowResponse(c, id, 'status', { status: 400, message: 'You cannot disable your own account.' });
    let changed: boolean;
    try {
      changed = await accounts.setDisabled(c.env.DB, id, action === 'disable', now());
    } catch (error) {
      if (raisedCode(error, 'last_admin')) return userRowResponse(c, id, 'status', { status: 409, message: LAST_ADMIN });
      throw error;
    }
    if (!changed) throw new HttpError(404, 'No such user.');
    audit(`user.${action}d`, { actor_id: actor.id, user_id: id });
    return userRowResponse(c, id, 'status');
  });
}

platform.route('/admin', admin);

// ---------------------------------------------------------------- API

platform.get('/api/me', requireScope('account:read'), (c) => {
  const auth = currentAuth(c);
  const { user } = auth;
  return c.json({
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    createdAt: new Date(user.createdAt).toISOString(),
    auth: auth.via === 'token' ? { via: 'token', scopes: auth.scopes } : { via: 'session' },
  });
});

export default platform;
