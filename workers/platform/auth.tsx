/**
 * Sign-up, sign-in and sign-out: each form works as a plain post (303) and with
 * htmx (the form swaps itself with its messages, or HX-Redirect on success).
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../../shared/context';
import { config, isLocalHost } from '../../shared/env';
import { timingSafeEqual } from '../../shared/crypto';
import { clearSessionCookies } from '../../shared/auth/cookies';
import { rememberDevice, SIGNIN_FAILURE_WINDOW_MS, signinThrottle } from '../../shared/auth/device';
import { now } from '../../shared/clock';
import { startSession } from '../../shared/auth/middleware';
import {
  checkSecondFactor,
  endSecondStep,
  followsPassword,
  pendingSecondStep,
  SECOND_STEP_FAILURE_LIMIT,
  secondStepKey,
  startSecondStep,
} from '../../shared/auth/second-step';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../../shared/auth/password';
import * as accounts from '../../shared/auth/repository';
import { HttpError } from '../../shared/http/http-error';
import { audit, logEvent } from '../../shared/http/logging';
import { limitPerAddress } from '../../shared/http/rate-limit';
import { fragmentOrPage, navigate } from '../../shared/http/respond';
import { form, formHook, query, type FormRender } from '../../shared/http/validation';
import { paths } from './paths';
import * as schema from './schema';
import { SecondStepExpired, SecondStepForm, SignInForm, SignUpClosed, SignUpForm, type AdminSetup } from './views/auth';

const auth = new Hono<AppEnv>();

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

function adminSetupMode(c: Context<AppEnv>, hasAdmin: boolean): AdminSetup {
  if (hasAdmin) return null;
  if (isLocalInstance(c)) return 'first-admin';
  return config(c.env).ADMIN_SETUP_TOKEN ? 'token' : 'operator-command';
}

const signUpRender: FormRender = (c, state) => ({
  title: 'Sign up',
  form: (
    <SignUpForm
      csrf={c.get('csrfToken')}
      errors={state.errors}
      values={state.values}
      // Without a database read here: a form that carried the setup field keeps it.
      adminSetup={state.values.setupToken !== undefined ? 'token' : null}
      // A refused form's values are as sent: `next` goes through the same sanitiser again.
      next={schema.nextPath.parse(state.values.next)}
    />
  ),
});

auth.get('/signup', query(schema.NextQuery), async (c) => {
  if (c.get('auth')) return c.redirect(paths.account(), 303);
  const { users, hasAdmin } = await accounts.signupState(c.env.DB);
  const adminSetup = adminSetupMode(c, hasAdmin);
  const canClaim = adminSetup === 'first-admin' || adminSetup === 'token';
  if (users > 0 && config(c.env).SIGNUP === 'closed' && !canClaim) {
    return c.render(<SignUpClosed />, { title: 'Sign-up closed' });
  }
  const { next } = c.req.valid('query');
  return c.render(<SignUpForm csrf={c.get('csrfToken')} adminSetup={adminSetup} next={next} />, { title: 'Sign up' });
});

auth.post(
  '/signup',
  limitPerAddress((env) => env.RL_SIGNUP, 'signup', 'sign-up attempts'),
  form(schema.SignUpForm, formHook(signUpRender)),
  async (c) => {
    const input = c.req.valid('form');
    const cfg = config(c.env);
    const t = now();
    const again = (status: 409 | 422, errors: Record<string, string>, adminSetup: AdminSetup) =>
      fragmentOrPage(
        c,
        { title: 'Sign up', status },
        <SignUpForm csrf={c.get('csrfToken')} errors={errors} values={{ ...input, setupToken: undefined }} adminSetup={adminSetup} next={input.next} />,
      );
    let claimAdmin = isLocalInstance(c);
    if (input.setupToken !== undefined) {
      if (!cfg.ADMIN_SETUP_TOKEN || !timingSafeEqual(input.setupToken, cfg.ADMIN_SETUP_TOKEN)) {
        return again(
          422,
          {
            setupToken:
              'That setup token is not right. It is the ADMIN_SETUP_TOKEN secret set by whoever deployed this Sixfold; leave the field empty to sign up as a member.',
          },
          'token',
        );
      }
      claimAdmin = true;
    }
    const created = await accounts.createUser(c.env.DB, {
      email: input.email,
      displayName: input.displayName,
      passwordHash: await hashPassword(input.password),
      signupOpen: cfg.SIGNUP === 'open',
      claimAdmin,
      now: t,
    });
    if (!created.ok) {
      if (created.reason === 'closed') throw new HttpError(403, 'Sign-up is closed on this Sixfold. Ask its administrator for an account.');
      return again(409, { email: 'An account with this email already exists. Sign in instead.' }, input.setupToken !== undefined ? 'token' : null);
    }
    const { user } = created;
    audit('user.created', { actor_id: user.id, user_id: user.id, role: user.role, claimed_admin: claimAdmin && user.role === 'admin' });
    const session = await accounts.createSession(c.env.DB, { userId: user.id, userAgent: c.req.header('user-agent') ?? '', now: t, event: 'account_created' });
    await startSession(c, user.id, session.sessionId, session.refreshToken);
    await rememberDevice(c, user.id);
    audit('session.created', { actor_id: user.id, session_id: session.sessionId });
    return navigate(c, input.next ?? paths.home);
  },
);

// ---------------------------------------------------------------- sign in / out

const signInRender: FormRender = (c, state) => ({
  title: 'Sign in',
  form: <SignInForm csrf={c.get('csrfToken')} errors={state.errors} values={state.values} next={schema.nextPath.parse(state.values.next)} />,
});

auth.get('/signin', query(schema.NextQuery), (c) => {
  const { next } = c.req.valid('query');
  if (c.get('auth')) return c.redirect(next ?? paths.home, 303);
  return c.render(<SignInForm csrf={c.get('csrfToken')} next={next} />, { title: 'Sign in' });
});

auth.post(
  '/signin',
  limitPerAddress((env) => env.RL_AUTH, 'signin', 'sign-in attempts'),
  form(schema.SignInForm, formHook(signInRender)),
  async (c) => {
    const input = c.req.valid('form');
    const t = now();
    // Every refusal shows the form again with the email kept (never the password).
    const refuse = (status: 401 | 403 | 429, message: string) =>
      fragmentOrPage(
        c,
        { title: 'Sign in', status },
        <SignInForm csrf={c.get('csrfToken')} errors={{ _: message }} values={{ email: input.email }} next={input.next} />,
      );
    const credentials = await accounts.findCredentials(c.env.DB, input.email);
    // A second limit, per account, slows guessing spread over many addresses; a browser
    // the owner signed in from before answers only to its own (shared/auth/device.ts).
    // The attempt is reserved as a failure first (atomically: racing requests cannot
    // all pass the count), and given back if the password is right.
    const throttle = await signinThrottle(c, input.email, credentials?.user.id ?? null);
    const reserved = await accounts.reserveSigninAttempt(c.env.DB, { key: throttle.key, limit: throttle.limit, since: t - SIGNIN_FAILURE_WINDOW_MS, now: t });
    if (reserved === null) {
      c.header('retry-after', String(SIGNIN_FAILURE_WINDOW_MS / 1000));
      return refuse(
        429,
        throttle.known
          ? 'Too many failed sign-ins from this browser. Wait 15 minutes and try again.'
          : 'Too many failed sign-ins for this account. Wait 15 minutes, or sign in from a device you have signed in from before.',
      );
    }
    // Unknown emails still cost one PBKDF2 run, so timing does not reveal which exist.
    const check = await verifyPassword(input.password, credentials?.passwordHash ?? (await dummyPasswordHash()));
    if (!credentials || !check.ok) {
      audit('session.signin_failed', { actor_id: credentials?.user.id ?? null, known_device: throttle.known });
      return refuse(401, 'Email or password is incorrect.');
    }
    await accounts.releaseSigninAttempt(c.env.DB, reserved);
    if (credentials.disabled) return refuse(403, 'This account is disabled. Ask an administrator to enable it.');
    let passwordHash = credentials.passwordHash;
    if (check.needsRehash) {
      passwordHash = await hashPassword(input.password);
      await accounts.updatePasswordHash(c.env.DB, credentials.user.id, passwordHash, t);
    }
    if (credentials.twoFactor) {
      // No session yet, and no device cookie (that would buy its holder a fresh
      // allowance of password guesses): the code page comes first.
      await startSecondStep(c, credentials.user.id, passwordHash, t);
      audit('session.second_step', { actor_id: credentials.user.id });
      return navigate(c, paths.secondStep(input.next));
    }
    const session = await accounts.createSession(c.env.DB, { userId: credentials.user.id, userAgent: c.req.header('user-agent') ?? '', now: t });
    await startSession(c, credentials.user.id, session.sessionId, session.refreshToken);
    await rememberDevice(c, credentials.user.id);
    audit('session.created', { actor_id: credentials.user.id, session_id: session.sessionId });
    return navigate(c, input.next ?? paths.home);
  },
);

// ---------------------------------------------------------------- two-factor: the second step

const signInAgain = (next: string | undefined) => (next ? `${paths.signIn}?next=${encodeURIComponent(next)}` : paths.signIn);

auth.get('/signin/two-factor', query(schema.NextQuery), async (c) => {
  const { next } = c.req.valid('query');
  if (c.get('auth')) return c.redirect(next ?? paths.home, 303);
  // Without a password entered in the last five minutes there is nothing to verify.
  if ((await pendingSecondStep(c, now())) === null) return c.redirect(signInAgain(next), 303);
  return c.render(<SecondStepForm csrf={c.get('csrfToken')} next={next} />, { title: 'Two-factor sign-in' });
});

auth.post(
  '/signin/two-factor',
  limitPerAddress((env) => env.RL_AUTH, 'second-step', 'code attempts'),
  form(
    schema.SecondStepForm,
    formHook((c, state) => ({
      title: 'Two-factor sign-in',
      form: <SecondStepForm csrf={c.get('csrfToken')} errors={state.errors} next={schema.nextPath.parse(state.values.next)} />,
    })),
  ),
  async (c) => {
    const input = c.req.valid('form');
    const t = now();
    const refuse = (status: 401 | 403 | 409 | 422 | 429, errors: Record<string, string>) =>
      fragmentOrPage(c, { title: 'Two-factor sign-in', status }, <SecondStepForm csrf={c.get('csrfToken')} errors={errors} next={input.next} />);
    const expired = () => {
      endSecondStep(c);
      return fragmentOrPage(c, { title: 'Two-factor sign-in', status: 401 }, <SecondStepExpired next={input.next} />);
    };
    const pending = await pendingSecondStep(c, t);
    const account = pending === null ? null : await accounts.findSecondStep(c.env.DB, pending.userId);
    if (pending === null || !account?.sealedSecret || !(await followsPassword(pending, account.passwordHash))) return expired();
    const { userId } = pending;
    if (account.disabled) return refuse(403, { _: 'This account is disabled. Ask an administrator to enable it.' });
    // Each attempt is reserved as a wrong code first (atomically), and given back if it
    // was right or was not a code at all (second-step.ts).
    const key = await secondStepKey(c, userId);
    const reserved = await accounts.reserveSigninAttempt(c.env.DB, { key, limit: SECOND_STEP_FAILURE_LIMIT, since: t - SIGNIN_FAILURE_WINDOW_MS, now: t });
    if (reserved === null) {
      c.header('retry-after', String(SIGNIN_FAILURE_WINDOW_MS / 1000));
      return refuse(429, {
        _: 'Too many wrong codes for this account: codes (recovery codes too) are not checked for 15 minutes. If you did not type them, someone knows your password: change it once you are in.',
      });
    }
    const result = await checkSecondFactor(c.env, { userId, sealedSecret: account.sealedSecret, code: input.code, now: t });
    if (!result.ok) {
      if (result.reason === 'malformed') {
        await accounts.releaseSigninAttempt(c.env.DB, reserved);
        return refuse(422, { code: 'Enter the 6 digits your authenticator app shows, or a recovery code (10 letters and digits, like 4k7qd-x2m9a).' });
      }
      if (result.reason === 'unreadable') {
        await accounts.releaseSigninAttempt(c.env.DB, reserved);
        logEvent('error', 'two_factor_secret_unreadable', { user_id: userId });
        return refuse(409, {
          _: 'Codes from your app cannot be checked on this Sixfold any more: its SESSION_SECRET changed since you set them up. Use a recovery code, or ask its operator to turn two-factor off for your account.',
        });
      }
      audit('session.second_step_failed', { actor_id: userId });
      // The owner sees it on their account page: a wrong code after the right password means someone may know it.
      await accounts.recordSecurityEvent(c.env.DB, { userId, event: 'second_step_failed', detail: c.req.header('user-agent') ?? '', now: t });
      return refuse(401, {
        code: 'That code is not right, or it was already used. Enter the code your app shows now (a new one every 30 seconds), or an unused recovery code.',
      });
    }
    await accounts.releaseSigninAttempt(c.env.DB, reserved);
    // This cookie starts one session, once (a copy is good for nothing after).
    if (!(await accounts.spendSecondStep(c.env.DB, { nonce: pending.nonce, expiresAt: pending.expiresAt, now: t }))) return expired();
    endSecondStep(c);
    const session = await accounts.createSession(c.env.DB, { userId, userAgent: c.req.header('user-agent') ?? '', now: t });
    await startSession(c, userId, session.sessionId, session.refreshToken);
    await rememberDevice(c, userId);
    audit('session.created', { actor_id: userId, session_id: session.sessionId, second_factor: result.via });
    // A spent recovery code: the account page says so, shows how many are left and makes new ones.
    return navigate(c, result.via === 'recovery' ? `${paths.account('recovery-code-used')}#two-factor` : (input.next ?? paths.home));
  },
);

auth.post('/signout', form(schema.EmptyForm), async (c) => {
  const who = c.get('auth');
  if (who?.via === 'session') {
    await accounts.revokeSession(c.env.DB, { sessionId: who.sessionId, userId: who.user.id, reason: 'signout', now: now() });
    audit('session.signed_out', { actor_id: who.user.id, session_id: who.sessionId });
  }
  clearSessionCookies(c);
  return navigate(c, paths.home);
});

export default auth;
