/**
 * The account page (browser sessions only, never a token): change the password,
 * see and revoke sessions, create and revoke API tokens, read the security
 * activity. Each section is its own htmx target; a plain form (no JavaScript)
 * gets the whole page or a redirect back to it with a notice.
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../shared/context';
import { now } from '../../shared/clock';
import { currentAuth, requireSession } from '../../shared/auth/middleware';
import { recoveryCodeHash, sealTotpSecret, unsealTotpSecret } from '../../shared/auth/second-step';
import { groupedSecret, matchTotp, newRecoveryCodes, newTotpSecret, normaliseTotpCode, otpauthUri } from '../../shared/auth/totp';
import { qrSvg } from '../../shared/html/qr';
import { hashPassword, verifyPassword } from '../../shared/auth/password';
import * as accounts from '../../shared/auth/repository';
import type { Scope } from '../../shared/auth/scopes';
import { HttpError } from '../../shared/http/http-error';
import { isHtmx } from '../../shared/http/request';
import { audit } from '../../shared/http/logging';
import { enforceRateLimit } from '../../shared/http/rate-limit';
import { fragmentOrPage } from '../../shared/http/respond';
import type * as z from 'zod';
import type { FieldErrors } from '../../shared/http/http-error';
import { fieldErrors, form, formHook, params, query } from '../../shared/http/validation';
import { paths, type AccountNotice } from './paths';
import * as schema from './schema';
import {
  AccountPage,
  NOTICES,
  noticeText,
  PasswordSection,
  SecuritySection,
  SessionsSection,
  TokensSection,
  TwoFactorSection,
  type TokenFormState,
  type TwoFactorSectionProps,
  type TwoFactorView,
} from './views/account';

const account = new Hono<AppEnv>();
account.use(requireSession());

const NO_SESSION = 'No such active session on your account.';
const NO_TOKEN = 'No such active token on your account.';

/** Whether a password entered at `reauthAt` still opens the sudo window at `at`. */
const withinSudo = (reauthAt: number | null, at: number) => reauthAt !== null && at - reauthAt <= accounts.SUDO_WINDOW_MS;

function sessionIdOf(c: Context<AppEnv>): string | null {
  const auth = currentAuth(c);
  return auth.via === 'session' ? auth.sessionId : null;
}

/**
 * The sudo check for a change a session alone must not make (a stolen cookie must
 * not mint a token or change how the account signs in): undefined when the password
 * was entered in this session within the window, or is entered now; otherwise what
 * to tell the person.
 */
async function sudoRefusal(c: Context<AppEnv>, password: string | undefined, t: number, why: string): Promise<string | undefined> {
  const auth = currentAuth(c);
  const sessionId = sessionIdOf(c)!; // requireSession
  if (password !== undefined) {
    await enforceRateLimit(c.env.RL_AUTH, `password:${auth.user.id}`, 60, 'password attempts');
    const stored = await accounts.findPasswordHash(c.env.DB, auth.user.id);
    if (stored && (await verifyPassword(password, stored)).ok) {
      await accounts.markReauthenticated(c.env.DB, sessionId, t);
      return undefined;
    }
    return 'That is not your password.';
  }
  return withinSudo(await accounts.sessionReauthAt(c.env.DB, sessionId), t)
    ? undefined
    : `Enter your password ${why}: you have not entered it in the last 10 minutes.`;
}

type Created = { token: string; name: string };
/** A token form that failed, re-rendered with its messages. */
type FailedTokenForm = Omit<TokenFormState, 'needsPassword'>;
/** What a two-factor answer adds to the section: a refusal's messages, codes just made, a notice. */
type TwoFactorExtra = Pick<TwoFactorSectionProps, 'errors' | 'codes' | 'notice' | 'replaced'>;

/** A refused two-factor form: the section with its messages (htmx), or the account page around it. */
const twoFactorRefusal = (c: Context<AppEnv>, errors: FieldErrors, status: 401 | 409 | 422) =>
  isHtmx(c) ? twoFactorFragment(c, { errors }, status) : accountPage(c, { twoFactor: { errors }, status });

/** A two-factor form's validation: a refusal shows the section again with the messages at their fields. */
const twoFactorForm = <S extends z.ZodType>(formSchema: S) =>
  form(formSchema, (result, c) => (result.success ? undefined : twoFactorRefusal(c, fieldErrors(result.error, 'field'), 422)));

/**
 * The section's view of the account's two-factor state. Enrolling: the QR code of the
 * secret (unsealed for this page only), and only for the session that started it;
 * another session (perhaps a copied cookie) sees that a setup is under way, not its secret.
 */
async function twoFactorView(c: Context<AppEnv>, state: accounts.TwoFactor): Promise<TwoFactorView> {
  if (state.state === 'off') return { state: 'off' };
  if (state.state === 'on') return { state: 'on', enabledAt: state.enabledAt, recoveryCodesLeft: state.recoveryCodesLeft };
  const user = currentAuth(c).user;
  if (state.sessionId === null || state.sessionId !== sessionIdOf(c)) return { state: 'elsewhere' };
  // Sealed under a SESSION_SECRET since replaced: this setup cannot go on (start it again).
  const secret = await unsealTotpSecret(c.env.SESSION_SECRET, user.id, state.sealedSecret).catch(() => null);
  if (!secret) return { state: 'elsewhere' };
  const uri = otpauthUri({ secret, account: user.email, issuer: `Sixfold (${new URL(c.req.url).hostname})` });
  return { state: 'pending', qrSvg: qrSvg(uri), secret: groupedSecret(secret), uri };
}

/** The two-factor section as it is now, for htmx. */
async function twoFactorFragment(c: Context<AppEnv>, extra: TwoFactorExtra = {}, status: 200 | 401 | 409 | 422 = 200, changed = false) {
  const auth = currentAuth(c);
  const sessionId = sessionIdOf(c);
  const [state, reauthAt] = await Promise.all([
    accounts.twoFactorState(c.env.DB, auth.user.id),
    sessionId ? accounts.sessionReauthAt(c.env.DB, sessionId) : Promise.resolve(null),
  ]);
  c.header('cache-control', 'no-store');
  return c.html(
    <>
      <TwoFactorSection csrf={c.get('csrfToken')} view={await twoFactorView(c, state)} needsPassword={!withinSudo(reauthAt, now())} {...extra} />
      {changed && (await securityPartial(c))}
    </>,
    status,
  );
}

async function accountPage(
  c: Context<AppEnv>,
  extra: { notice?: string | undefined; created?: Created; tokenForm?: FailedTokenForm; twoFactor?: TwoFactorExtra; status?: 401 | 409 | 422 } = {},
) {
  const auth = currentAuth(c);
  const overview = await accounts.accountOverview(c.env.DB, auth.user.id, sessionIdOf(c));
  if (extra.status) c.status(extra.status);
  if (overview.twoFactor.state === 'pending' || extra.twoFactor?.codes) c.header('cache-control', 'no-store');
  const needsPassword = !withinSudo(overview.reauthAt, now());
  return c.render(
    <AccountPage
      user={auth.user}
      csrf={c.get('csrfToken')}
      sessions={overview.sessions}
      tokens={overview.tokens}
      events={overview.events}
      tokenForm={{ needsPassword, ...extra.tokenForm }}
      twoFactor={{ csrf: c.get('csrfToken'), view: await twoFactorView(c, overview.twoFactor), needsPassword, ...extra.twoFactor }}
      currentSessionId={sessionIdOf(c)}
      notice={extra.notice}
      created={extra.created}
    />,
    { title: 'Account' },
  );
}

type TokensExtra = FailedTokenForm & { created?: Created };

/** The tokens section with the list as it is now. */
async function tokensSection(c: Context<AppEnv>, extra: TokensExtra = {}) {
  const auth = currentAuth(c);
  const sessionId = sessionIdOf(c);
  const [tokens, reauthAt] = await Promise.all([
    accounts.listApiTokens(c.env.DB, auth.user.id),
    sessionId ? accounts.sessionReauthAt(c.env.DB, sessionId) : Promise.resolve(null),
  ]);
  return (
    <TokensSection
      csrf={c.get('csrfToken')}
      tokens={tokens}
      created={extra.created}
      errors={extra.errors}
      values={extra.values}
      needsPassword={!withinSudo(reauthAt, now())}
    />
  );
}

/** The account page's security activity as an out-of-band part of an htmx answer (after a change that added an event). */
async function securityPartial(c: Context<AppEnv>) {
  const events = await accounts.listSecurityEvents(c.env.DB, currentAuth(c).user.id);
  return (
    <hx-partial hx-target="#security" hx-swap="outerHTML">
      <SecuritySection events={events} />
    </hx-partial>
  );
}

/** The tokens section alone, for htmx; after a change (`changed`) the security activity rides along. */
async function tokensFragment(c: Context<AppEnv>, extra: TokensExtra = {}, status: 200 | 422 = 200, changed = false) {
  return c.html(
    <>
      {await tokensSection(c, extra)}
      {changed && (await securityPartial(c))}
    </>,
    status,
  );
}

/** After a change to the sessions: the section again (htmx), or back to the page with `notice`. */
async function sessionsFragment(c: Context<AppEnv>, notice: AccountNotice) {
  if (!isHtmx(c)) return c.redirect(paths.account(notice), 303);
  const sessions = await accounts.listSessions(c.env.DB, currentAuth(c).user.id);
  return c.html(<SessionsSection csrf={c.get('csrfToken')} sessions={sessions} currentSessionId={sessionIdOf(c)} notice={NOTICES[notice]} />);
}

/** Notices about two-factor sign-in show in its section (the page opens at #two-factor), not at the top. */
const TWO_FACTOR_NOTICES = new Set(['two-factor-off', 'two-factor-cancelled', 'recovery-code-used']);

account.get('/', query(schema.NoticeQuery), (c) => {
  const { notice } = c.req.valid('query');
  return TWO_FACTOR_NOTICES.has(notice ?? '') ? accountPage(c, { twoFactor: { notice: noticeText(notice) } }) : accountPage(c, { notice: noticeText(notice) });
});

account.post(
  '/password',
  form(
    schema.ChangePasswordForm,
    formHook((c, { errors }) => ({ title: 'Change password', form: <PasswordSection csrf={c.get('csrfToken')} errors={errors} /> })),
  ),
  async (c) => {
    const auth = currentAuth(c);
    await enforceRateLimit(c.env.RL_AUTH, `password:${auth.user.id}`, 60, 'password attempts');
    const input = c.req.valid('form');
    const stored = await accounts.findPasswordHash(c.env.DB, auth.user.id);
    if (!stored || !(await verifyPassword(input.current, stored)).ok) {
      const errors = { current: 'That is not your current password.' };
      return fragmentOrPage(c, { title: 'Change password', status: 422 }, <PasswordSection csrf={c.get('csrfToken')} errors={errors} />);
    }
    const { tokensRevoked } = await accounts.changePassword(c.env.DB, {
      userId: auth.user.id,
      passwordHash: await hashPassword(input.password),
      keepSessionId: sessionIdOf(c),
      revokeTokens: input.revokeTokens === 'yes',
      now: now(),
    });
    audit('user.password_changed', { actor_id: auth.user.id, user_id: auth.user.id, tokens_revoked: tokensRevoked });
    if (isHtmx(c)) {
      // The same page lists the tokens it revoked and the security activity it added:
      // both must be true now, not after a reload (<hx-partial> swaps them as well).
      return c.html(
        <>
          <PasswordSection csrf={c.get('csrfToken')} done tokensRevoked={tokensRevoked} />
          {tokensRevoked > 0 && (
            <hx-partial hx-target="#tokens" hx-swap="outerHTML">
              {await tokensSection(c)}
            </hx-partial>
          )}
          {await securityPartial(c)}
        </>,
      );
    }
    return c.redirect(paths.account(tokensRevoked > 0 ? 'password-changed-tokens' : 'password-changed'), 303);
  },
);

account.post('/sessions/revoke-others', form(schema.EmptyForm), async (c) => {
  const auth = currentAuth(c);
  const keep = sessionIdOf(c);
  if (!keep) throw new HttpError(400, 'Only a browser session can sign out the others.');
  const n = await accounts.revokeOtherSessions(c.env.DB, auth.user.id, keep, now());
  audit('session.revoked_others', { actor_id: auth.user.id, count: n });
  return sessionsFragment(c, 'sessions-revoked');
});

account.post('/sessions/:id/revoke', params(schema.IdParam, NO_SESSION), form(schema.EmptyForm), async (c) => {
  const auth = currentAuth(c);
  const { id } = c.req.valid('param');
  if (id === sessionIdOf(c)) throw new HttpError(400, 'To end this session, sign out.');
  const revoked = await accounts.revokeSession(c.env.DB, { sessionId: id, userId: auth.user.id, reason: 'revoked', now: now() });
  if (!revoked) throw new HttpError(404, NO_SESSION);
  audit('session.revoked', { actor_id: auth.user.id, session_id: id });
  return sessionsFragment(c, 'session-revoked');
});

account.post(
  '/tokens',
  form(
    schema.CreateTokenForm,
    formHook((c, { errors, values }) => ({
      title: 'New API token',
      form: <TokensSection csrf={c.get('csrfToken')} tokens={[]} errors={errors} values={values} />,
    })),
  ),
  async (c) => {
    const auth = currentAuth(c);
    const input = c.req.valid('form');
    const t = now();
    // "Sudo": a token acts as this person without a browser and outlives the session,
    // so a session alone (perhaps a stolen cookie) cannot mint one.
    const refused = await sudoRefusal(c, input.password, t, 'to create a token');
    if (refused) {
      const failed = { errors: { password: refused }, values: { name: input.name, scopes: input.scopes, expires: input.expires } };
      return isHtmx(c) ? tokensFragment(c, failed, 422) : accountPage(c, { tokenForm: failed, status: 422 });
    }
    const days = schema.TOKEN_EXPIRY_DAYS[input.expires];
    const { token, row } = await accounts.createApiToken(c.env.DB, {
      userId: auth.user.id,
      name: input.name,
      scopes: input.scopes as Scope[],
      expiresAt: days === null ? null : t + days * 24 * 3600_000,
      now: t,
    });
    audit('api_token.created', { actor_id: auth.user.id, token_id: row.id, scopes: row.scopes });
    c.header('cache-control', 'no-store');
    const created = { token, name: row.name };
    return isHtmx(c) ? tokensFragment(c, { created }, 200, true) : accountPage(c, { created });
  },
);

account.post('/tokens/:id/revoke', params(schema.IdParam, NO_TOKEN), form(schema.EmptyForm), async (c) => {
  const auth = currentAuth(c);
  const { id } = c.req.valid('param');
  const revoked = await accounts.revokeApiToken(c.env.DB, { tokenId: id, userId: auth.user.id, now: now() });
  if (!revoked) throw new HttpError(404, NO_TOKEN);
  audit('api_token.revoked', { actor_id: auth.user.id, token_id: id });
  if (!isHtmx(c)) return c.redirect(paths.account('token-revoked'), 303);
  return tokensFragment(c, {}, 200, true);
});

// ---------------------------------------------------------------- two-factor sign-in

/**
 * Starts enrolment in this session: a new secret (sealed) and its QR code; nothing
 * changes for sign-in until a code confirms it. It needs the password like any change
 * to how the account signs in (a copied session cookie must not plant a secret).
 */
account.post('/two-factor/setup', twoFactorForm(schema.SudoForm), async (c) => {
  const auth = currentAuth(c);
  const t = now();
  const refused = await sudoRefusal(c, c.req.valid('form').password, t, 'to set up two-factor');
  if (refused) return twoFactorRefusal(c, { password: refused }, 401);
  const sealed = await sealTotpSecret(c.env.SESSION_SECRET, auth.user.id, newTotpSecret());
  const started = await accounts.beginTwoFactor(c.env.DB, { userId: auth.user.id, sessionId: sessionIdOf(c)!, sealedSecret: sealed, now: t });
  if (started) audit('user.two_factor_setup', { actor_id: auth.user.id });
  // Already on (another tab): the section as it is says so.
  return isHtmx(c) ? twoFactorFragment(c) : c.redirect(paths.twoFactor, 303);
});

/** Turns two-factor on, once a code from the app proves it holds the secret; shows the recovery codes once. */
account.post('/two-factor/enable', twoFactorForm(schema.EnableTwoFactorForm), async (c) => {
  const auth = currentAuth(c);
  const input = c.req.valid('form');
  const t = now();
  const refuse = (status: 401 | 409 | 422, errors: FieldErrors) => twoFactorRefusal(c, errors, status);
  const state = await accounts.twoFactorState(c.env.DB, auth.user.id);
  if (state.state !== 'pending' || state.sessionId !== sessionIdOf(c)) {
    return refuse(409, {
      _:
        state.state === 'on'
          ? 'Two-factor sign-in is already on.'
          : state.state === 'pending'
            ? 'This setup was started in another browser: start it again here.'
            : 'Start the setup again: it was cancelled.',
    });
  }
  const refused = await sudoRefusal(c, input.password, t, 'to turn two-factor on');
  if (refused) return refuse(401, { password: refused });
  await enforceRateLimit(c.env.RL_AUTH, `2fa-enrol:${auth.user.id}`, 60, 'code attempts');
  const digits = normaliseTotpCode(input.code);
  if (!digits) return refuse(422, { code: 'Enter the 6 digits your authenticator app shows for Sixfold.' });
  const secret = await unsealTotpSecret(c.env.SESSION_SECRET, auth.user.id, state.sealedSecret).catch(() => null);
  if (!secret) return refuse(409, { _: 'This setup can no longer be finished (the server’s key changed): start it again.' });
  const step = await matchTotp(secret, digits, t);
  if (step === null) {
    return refuse(422, {
      code: 'That code does not match. Enter the code the app shows now (it changes every 30 seconds) for the newest Sixfold entry: an entry from an earlier setup will not work. If it still fails, check that your phone’s clock is set automatically.',
    });
  }
  const codes = newRecoveryCodes();
  const hashes = await Promise.all(codes.map((code) => recoveryCodeHash(c.env.SESSION_SECRET, auth.user.id, code)));
  const enabled = await accounts.enableTwoFactor(c.env.DB, {
    userId: auth.user.id,
    sessionId: sessionIdOf(c)!,
    sealedSecret: state.sealedSecret,
    step,
    codeHashes: hashes,
    now: t,
  });
  if (!enabled) return refuse(409, { _: 'The setup changed in another tab. Look at this section again and start over if needed.' });
  audit('user.two_factor_enabled', { actor_id: auth.user.id, sessions_ended: enabled.sessionsEnded });
  // Sessions signed in with the password alone end: the notice says so.
  const notice =
    enabled.sessionsEnded > 0
      ? `Two-factor sign-in is on. Your ${enabled.sessionsEnded === 1 ? 'other session was' : `${enabled.sessionsEnded} other sessions were`} signed out.`
      : 'Two-factor sign-in is on.';
  return isHtmx(c) ? twoFactorFragment(c, { codes, notice }, 200, true) : accountPage(c, { twoFactor: { codes, notice } });
});

/** New recovery codes in place of all the old ones. */
account.post('/two-factor/recovery-codes', twoFactorForm(schema.SudoForm), async (c) => {
  const auth = currentAuth(c);
  const t = now();
  const refused = await sudoRefusal(c, c.req.valid('form').password, t, 'to make new recovery codes');
  if (refused) return twoFactorRefusal(c, { password: refused }, 401);
  const codes = newRecoveryCodes();
  const hashes = await Promise.all(codes.map((code) => recoveryCodeHash(c.env.SESSION_SECRET, auth.user.id, code)));
  if (!(await accounts.replaceRecoveryCodes(c.env.DB, auth.user.id, hashes, t))) {
    return twoFactorRefusal(c, { _: 'Two-factor sign-in is off, so there are no recovery codes to replace.' }, 409);
  }
  audit('user.recovery_codes_replaced', { actor_id: auth.user.id });
  return isHtmx(c) ? twoFactorFragment(c, { codes }, 200, true) : accountPage(c, { twoFactor: { codes } });
});

/** Turns two-factor off (with the password), or cancels an unfinished setup (without). */
account.post('/two-factor/disable', twoFactorForm(schema.SudoForm), async (c) => {
  const auth = currentAuth(c);
  const t = now();
  if (await accounts.cancelTwoFactor(c.env.DB, auth.user.id, t)) {
    return isHtmx(c)
      ? twoFactorFragment(c, { notice: NOTICES['two-factor-cancelled'] })
      : c.redirect(`${paths.account('two-factor-cancelled')}#two-factor`, 303);
  }
  const refused = await sudoRefusal(c, c.req.valid('form').password, t, 'to turn two-factor off');
  if (refused) return twoFactorRefusal(c, { disablePassword: refused }, 401);
  if (await accounts.disableTwoFactor(c.env.DB, auth.user.id, t)) audit('user.two_factor_disabled', { actor_id: auth.user.id });
  return isHtmx(c) ? twoFactorFragment(c, { notice: NOTICES['two-factor-off'] }, 200, true) : c.redirect(`${paths.account('two-factor-off')}#two-factor`, 303);
});

export default account;
