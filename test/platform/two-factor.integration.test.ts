// Two-factor sign-in (TOTP) for every account: enrolment on the account page with a
// QR code, recovery codes shown once, a second sign-in step that is rate-limited per
// account, codes good once (even when two sign-ins race), and secrets that never
// reach D1 in clear or any log line.
import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SECOND_STEP_FAILURE_LIMIT } from '../../shared/auth/second-step';
import { fromBase32, totp } from '../../shared/auth/totp';
import { Client, createToken, PASSWORD, signedIn, signedUp } from '../support/client';
import { captureLogs } from '../support/logs';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

type Account = Client & { email: string };

/** Sets up two-factor through the account page; returns the authenticator's secret and the recovery codes. */
async function enrol(user: Account, options: { htmx?: boolean } = {}) {
  const setup = await user.fetch('/account/two-factor/setup', { form: {}, htmx: options.htmx });
  const page = options.htmx ? await setup.text() : await (await user.fetch('/account')).text();
  const shown = /<code class="mono secret-key">([A-Z2-7 ]+)<\/code>/.exec(page)?.[1];
  if (!shown) throw new Error(`no secret on the page: ${page.slice(0, 300)}`);
  const secret = fromBase32(shown)!;
  const res = await user.fetch('/account/two-factor/enable', { form: { code: await totp(secret, Date.now()) }, htmx: options.htmx });
  const html = await res.text();
  const codes = /<textarea id="recovery-codes"[^>]*>([^<]+)<\/textarea>/.exec(html)?.[1]?.split('\n');
  if (res.status !== 200 || !codes) throw new Error(`enable failed: ${res.status} ${html.slice(0, 300)}`);
  return { secret, shown, codes, html };
}

/** A new browser that has entered the account's password (and so stands at the second step). */
async function atSecondStep(email: string, next?: string) {
  const browser = new Client();
  await browser.visit('/signin');
  const res = await browser.fetch('/signin', { form: { email, password: PASSWORD, ...(next ? { next } : {}) } });
  return { browser, res };
}

const signedInAs = async (browser: Client) => {
  const res = await browser.fetch('/api/me');
  return res.status === 200 ? ((await res.json()) as { email: string }).email : null;
};

/** A code for a 30-second step after every step used so far (so "good once" does not refuse it). */
async function nextStepCode(secret: Uint8Array, steps = 1) {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() + steps * 30_000);
  return totp(secret, Date.now());
}

describe('enrolling', () => {
  it('shows a QR code and the key, and turns on only with a code from the app', async () => {
    const user = await signedUp();
    const before = await (await user.fetch('/account')).text();
    expect(before).toContain('Set up two-factor sign-in');

    const setup = await user.fetch('/account/two-factor/setup', { form: {} });
    expect(setup.status).toBe(303);
    expect(setup.headers.get('location')).toBe('/account#two-factor');
    const page = await user.fetch('/account');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const html = await page.text();
    expect(html).toMatch(/<figure class="qr qr-large" role="img" aria-label="QR code[^"]*"><svg/);
    const shown = /<code class="mono secret-key">([A-Z2-7 ]+)<\/code>/.exec(html)![1]!;
    expect(shown.replace(/ /g, '')).toHaveLength(32);
    const secret = fromBase32(shown)!;

    // Pending: signing in is unchanged.
    const meanwhile = await atSecondStep(user.email);
    expect(meanwhile.res.headers.get('location')).toBe('/');

    const wrong = await user.fetch('/account/two-factor/enable', { form: { code: '000000' === (await totp(secret, Date.now())) ? '111111' : '000000' } });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('That code does not match');
    const letters = await user.fetch('/account/two-factor/enable', { form: { code: 'abcdef' }, htmx: true });
    expect(letters.status).toBe(422);
    expect(await letters.text()).toContain('Enter the 6 digits');

    const ok = await user.fetch('/account/two-factor/enable', { form: { code: await totp(secret, Date.now()) }, htmx: true });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    const body = await ok.text();
    const codes = /<textarea id="recovery-codes"[^>]*>([^<]+)<\/textarea>/.exec(body)![1]!.split('\n');
    expect(codes).toHaveLength(10);
    expect(body).toContain('<span class="badge badge-ok">On</span>');
    expect(body).toContain('10 recovery codes left');
    // The security activity rides along.
    expect(body).toMatch(/hx-target="#security"[\s\S]*Two-factor sign-in turned on/);
    // Shown once: the page does not show them again.
    expect(await (await user.fetch('/account')).text()).not.toContain(codes[0]!);
  });

  it('needs the password when it has not been entered in the last 10 minutes (a stolen session cannot lock the owner out)', async () => {
    const user = await signedUp();
    await user.fetch('/account/two-factor/setup', { form: {} });
    await env.DB.prepare('UPDATE sessions SET reauth_at = reauth_at - 3600000 WHERE user_id = (SELECT id FROM users WHERE email = ?)').bind(user.email).run();
    const html = await (await user.fetch('/account')).text();
    const secret = fromBase32(/<code class="mono secret-key">([A-Z2-7 ]+)<\/code>/.exec(html)![1]!)!;
    expect(html).toContain('id="f-2fa-on-password"');
    const code = await totp(secret, Date.now());
    const none = await user.fetch('/account/two-factor/enable', { form: { code }, htmx: true });
    expect(none.status).toBe(401);
    expect(await none.text()).toContain('Enter your password to turn two-factor on');
    const bad = await user.fetch('/account/two-factor/enable', { form: { code, password: 'not it' }, htmx: true });
    expect(bad.status).toBe(401);
    expect(await bad.text()).toContain('That is not your password.');
    const good = await user.fetch('/account/two-factor/enable', { form: { code, password: PASSWORD }, htmx: true });
    expect(good.status).toBe(200);
  });

  it('can be cancelled before it is confirmed; setting up again makes a new secret', async () => {
    const user = await signedUp();
    await user.fetch('/account/two-factor/setup', { form: {} });
    const first = /secret-key">([^<]+)</.exec(await (await user.fetch('/account')).text())![1];
    await user.fetch('/account/two-factor/setup', { form: {} });
    const second = /secret-key">([^<]+)</.exec(await (await user.fetch('/account')).text())![1];
    expect(second).not.toBe(first);
    const cancel = await user.fetch('/account/two-factor/disable', { form: {} });
    expect(cancel.status).toBe(303);
    expect(cancel.headers.get('location')).toBe('/account?notice=two-factor-cancelled#two-factor');
    const after = await (await user.fetch('/account?notice=two-factor-cancelled')).text();
    expect(after).toContain('Two-factor setup cancelled.');
    expect(after).toContain('Set up two-factor sign-in');
  });
});

describe('signing in with two-factor on', () => {
  it('the password leads to the code page, not to a session; the code starts one and goes where sign-in was headed', async () => {
    const user = await signedUp();
    const { secret } = await enrol(user);
    const { browser, res } = await atSecondStep(user.email, '/oracle');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/signin/two-factor?next=%2Foracle');
    expect(browser.cookies.has('__Host-sf_at')).toBe(false);
    expect(browser.cookies.has('__Host-sf_rt')).toBe(false);
    expect(browser.cookies.has('__Host-sf_dev')).toBe(false);
    expect(await signedInAs(browser)).toBeNull();

    const form = await (await browser.fetch('/signin/two-factor?next=%2Foracle')).text();
    expect(form).toMatch(/<input id="f-code" name="code" type="text"[^>]*autocomplete="one-time-code"/);
    expect(form).toContain('name="next" value="/oracle"');

    const ok = await browser.fetch('/signin/two-factor', { form: { code: await nextStepCode(secret), next: '/oracle' } });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/oracle');
    expect(browser.cookies.has('__Host-sf_2fa')).toBe(false);
    expect(await signedInAs(browser)).toBe(user.email);
  });

  it('with htmx, both steps answer HX-Redirect', async () => {
    const user = await signedUp();
    const { secret } = await enrol(user, { htmx: true });
    const browser = new Client();
    await browser.visit('/signin');
    const first = await browser.fetch('/signin', { form: { email: user.email, password: PASSWORD }, htmx: true });
    expect(first.headers.get('hx-redirect')).toBe('/signin/two-factor');
    await browser.visit('/signin/two-factor');
    const second = await browser.fetch('/signin/two-factor', { form: { code: await nextStepCode(secret) }, htmx: true });
    expect(second.headers.get('hx-redirect')).toBe('/');
    expect(await signedInAs(browser)).toBe(user.email);
  });

  it('a code is good once: the same code again, or two sign-ins racing with it, start one session', async () => {
    const user = await signedUp();
    const { secret } = await enrol(user);
    const code = await nextStepCode(secret);
    const browsers = await Promise.all([1, 2, 3].map(() => atSecondStep(user.email).then((r) => r.browser)));
    const answers = await Promise.all(browsers.map((b) => b.fetch('/signin/two-factor', { form: { code } })));
    expect(answers.map((r) => r.status).sort()).toEqual([303, 401, 401]);
    const refused = answers.find((r) => r.status === 401)!;
    expect(await refused.text()).toContain('That code is not right, or it was already used.');
    // An older step's code does not come back either, though it is within the drift window.
    const older = await totp(secret, Date.now() - 30_000);
    const late = await atSecondStep(user.email);
    expect((await late.browser.fetch('/signin/two-factor', { form: { code: older } })).status).toBe(401);
  });

  it('a recovery code signs in once, lands on the account page, and is counted', async () => {
    const user = await signedUp();
    const { codes } = await enrol(user);
    const { browser } = await atSecondStep(user.email);
    const ok = await browser.fetch('/signin/two-factor', { form: { code: codes[3]!.toUpperCase().replace('-', ' ') } });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/account?notice=recovery-code-used#two-factor');
    const page = await (await browser.fetch('/account')).text();
    expect(page).toContain('9 recovery codes left');
    expect(page).toMatch(/Signed in with a recovery code[\s\S]*9 left/);
    const again = await atSecondStep(user.email);
    expect((await again.browser.fetch('/signin/two-factor', { form: { code: codes[3]! } })).status).toBe(401);
  });

  it('refuses what cannot be a code without counting it as a guess', async () => {
    const user = await signedUp();
    await enrol(user);
    const { browser } = await atSecondStep(user.email);
    for (let i = 0; i < SECOND_STEP_FAILURE_LIMIT + 1; i++) {
      const res = await browser.fetch('/signin/two-factor', { form: { code: '12345' } });
      expect(res.status).toBe(422);
      expect(await res.text()).toContain('Enter the 6 digits your authenticator app shows, or a recovery code');
    }
    const empty = await browser.fetch('/signin/two-factor', { form: { code: '' } });
    expect(empty.status).toBe(422);
  });

  it(`locks the second step for the account after ${SECOND_STEP_FAILURE_LIMIT} wrong codes, for every browser`, async () => {
    const user = await signedUp();
    const { secret } = await enrol(user);
    const right = await totp(secret, Date.now() + 30_000);
    const wrong = right === '000000' ? '000001' : '000000';
    for (let i = 0; i < SECOND_STEP_FAILURE_LIMIT; i++) {
      // Each guess from a new browser that entered the password: a fresh cookie buys nothing.
      const { browser } = await atSecondStep(user.email);
      expect((await browser.fetch('/signin/two-factor', { form: { code: wrong } })).status).toBe(401);
    }
    const { browser } = await atSecondStep(user.email);
    const locked = await browser.fetch('/signin/two-factor', { form: { code: await nextStepCode(secret) } });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('900');
    expect(await locked.text()).toContain('Too many wrong codes for this account');
    expect(await signedInAs(browser)).toBeNull();
    // The owner sees each wrong code on their account page (someone may know the password).
    const activity = await (await user.fetch('/account')).text();
    expect(activity.match(/Wrong two-factor code after your correct password/g)?.length).toBe(SECOND_STEP_FAILURE_LIMIT);
  });

  it('the step expires after 5 minutes, and a forged or missing cookie gets nothing', async () => {
    const user = await signedUp();
    const { secret } = await enrol(user);
    const { browser } = await atSecondStep(user.email);
    const cookie = browser.cookies.get('__Host-sf_2fa')!;
    expect(cookie).toMatch(/^v2\.\d+\.\d+\.[A-Za-z0-9_-]{22}\.[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);

    const code = await nextStepCode(secret, 11); // 5.5 minutes later
    const expired = await browser.fetch('/signin/two-factor', { form: { code } });
    expect(expired.status).toBe(401);
    const expiredPage = await expired.text();
    expect(expiredPage).toContain('This sign-in has expired');
    // No code field that could only fail: the way back is signing in again.
    expect(expiredPage).not.toContain('name="code"');
    expect(expiredPage).toMatch(/<a class="button" href="\/signin">Sign in<\/a>/);

    // The signature covers the account and the expiry.
    const other = await signedUp();
    const [, id, expiry, nonce, fingerprint, mac] = cookie.split('.');
    const forged = new Client();
    await forged.visit('/signin');
    const otherId = (await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(other.email).first<{ id: number }>())!.id;
    forged.cookies.set('__Host-sf_2fa', `v2.${otherId}.${expiry}.${nonce}.${fingerprint}.${mac}`);
    expect((await forged.fetch('/signin/two-factor', { form: { code } })).status).toBe(401);
    forged.cookies.set('__Host-sf_2fa', `v2.${id}.${Number(expiry) + 3_600_000}.${nonce}.${fingerprint}.${mac}`);
    expect((await forged.fetch('/signin/two-factor', { form: { code } })).status).toBe(401);

    const none = new Client();
    const page = await none.fetch('/signin/two-factor?next=%2Faccount');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/signin?next=%2Faccount');
  });

  it('a disabled account gets no session even with the right code', async () => {
    const user = await signedUp();
    const { secret } = await enrol(user);
    const { browser } = await atSecondStep(user.email);
    await env.DB.prepare('UPDATE users SET disabled_at = 1 WHERE email = ?').bind(user.email).run();
    const res = await browser.fetch('/signin/two-factor', { form: { code: await nextStepCode(secret) } });
    expect(res.status).toBe(403);
    expect(await signedInAs(browser)).toBeNull();
  });
});

describe('after the hostile review', () => {
  it('racing wrong codes cannot get past the limit: each attempt is reserved atomically', async () => {
    const user = await signedUp();
    const { secret } = await enrol(user);
    const right = await totp(secret, Date.now() + 30_000);
    const wrong = right === '000000' ? '000001' : '000000';
    const { browser } = await atSecondStep(user.email);
    // 20 guesses at once, each from its own address (the per-address limit is not the guard here).
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        browser.fetch('/signin/two-factor', { form: { code: wrong }, headers: { 'cf-connecting-ip': `198.51.100.${i + 1}` } }),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((st) => st === 401)).toHaveLength(SECOND_STEP_FAILURE_LIMIT);
    expect(statuses.filter((st) => st === 429)).toHaveLength(20 - SECOND_STEP_FAILURE_LIMIT);
  });

  it('the owner’s own browser keeps its allowance while a stranger with the password fills the account’s', async () => {
    const user = await signedUp(); // this browser completed a sign-in: it carries a device cookie
    const { secret } = await enrol(user);
    const wrong = (await totp(secret, Date.now() + 30_000)) === '000000' ? '000001' : '000000';
    for (let i = 0; i < SECOND_STEP_FAILURE_LIMIT + 1; i++) {
      const { browser } = await atSecondStep(user.email);
      await browser.fetch('/signin/two-factor', { form: { code: wrong } });
    }
    const stranger = await atSecondStep(user.email);
    expect((await stranger.browser.fetch('/signin/two-factor', { form: { code: wrong } })).status).toBe(429);
    // The owner, in the browser they signed in from before, still signs in.
    for (const name of ['__Host-sf_at', '__Host-sf_rt']) user.cookies.delete(name);
    await user.visit('/signin');
    await user.fetch('/signin', { form: { email: user.email, password: PASSWORD } });
    const ok = await user.fetch('/signin/two-factor', { form: { code: await nextStepCode(secret) } });
    expect(ok.status).toBe(303);
  });

  it('a second-step cookie starts one session: a copy is void after, and so is one from before a password change', async () => {
    const user = await signedUp();
    const { secret } = await enrol(user);
    const { browser } = await atSecondStep(user.email);
    const cookie = browser.cookies.get('__Host-sf_2fa')!;
    expect((await browser.fetch('/signin/two-factor', { form: { code: await nextStepCode(secret) } })).status).toBe(303);
    const copy = new Client();
    await copy.visit('/signin');
    copy.cookies.set('__Host-sf_2fa', cookie);
    const reused = await copy.fetch('/signin/two-factor', { form: { code: await nextStepCode(secret) } });
    expect(reused.status).toBe(401);
    expect(await reused.text()).toContain('This sign-in has expired');

    const before = await atSecondStep(user.email);
    await user.fetch('/account/password', { form: { current: PASSWORD, password: 'a brand new passphrase', confirm: 'a brand new passphrase' } });
    const stale = await before.browser.fetch('/signin/two-factor', { form: { code: await nextStepCode(secret) } });
    expect(stale.status).toBe(401);
  });

  it('a Bearer request never reads the second-step cookie', async () => {
    const user = await signedUp();
    const { secret } = await enrol(user);
    const { browser } = await atSecondStep(user.email);
    const res = await browser.fetch('/signin/two-factor', {
      form: { code: await nextStepCode(secret) },
      headers: { authorization: 'Bearer not-a-token', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      noToken: true,
    });
    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('__Host-sf_at='))).toBe(false);
  });

  it('setting up needs the password too, and only the session that started a setup sees its secret or finishes it', async () => {
    const user = await signedUp();
    const copy = await signedIn(user.email); // another session of the same account (or a copied cookie)
    await env.DB.prepare('UPDATE sessions SET reauth_at = reauth_at - 3600000 WHERE user_id = (SELECT id FROM users WHERE email = ?)').bind(user.email).run();
    const noPassword = await copy.fetch('/account/two-factor/setup', { form: {}, htmx: true });
    expect(noPassword.status).toBe(401);
    expect(await noPassword.text()).toContain('Enter your password to set up two-factor');
    expect((await user.fetch('/account/two-factor/setup', { form: { password: PASSWORD } })).status).toBe(303);
    const mine = await (await user.fetch('/account')).text();
    const shown = /secret-key">([^<]+)</.exec(mine)![1]!;
    const theirs = await (await copy.fetch('/account')).text();
    expect(theirs).not.toContain(shown);
    expect(theirs).toContain('A setup was started in another browser or session');
    const planted = await copy.fetch('/account/two-factor/enable', {
      form: { code: await totp(fromBase32(shown)!, Date.now()), password: PASSWORD },
      htmx: true,
    });
    expect(planted.status).toBe(409);
    // Finished where it started, it signs out the account's other sessions.
    const done = await user.fetch('/account/two-factor/enable', { form: { code: await totp(fromBase32(shown)!, Date.now()) }, htmx: true });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Your other session was signed out.');
    expect(await signedInAs(copy)).toBeNull();
  });

  it('a SESSION_SECRET changed since enrolment is a clear answer, not a 500', async () => {
    const user = await signedUp();
    const { secret } = await enrol(user);
    const moved = new Client({ SESSION_SECRET: 'another session secret that is long enough to use' });
    await moved.visit('/signin');
    await moved.fetch('/signin', { form: { email: user.email, password: PASSWORD } });
    const res = await moved.fetch('/signin/two-factor', { form: { code: await nextStepCode(secret) } });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('its SESSION_SECRET changed');
  });
});

describe('managing it', () => {
  it('new recovery codes replace the old ones', async () => {
    const user = await signedUp();
    const { codes: old } = await enrol(user);
    const res = await user.fetch('/account/two-factor/recovery-codes', { form: {} });
    expect(res.status).toBe(200); // a plain form: the whole page, with the codes this once
    const html = await res.text();
    expect(html).toContain('<!DOCTYPE html>');
    const fresh = /<textarea id="recovery-codes"[^>]*>([^<]+)<\/textarea>/.exec(html)![1]!.split('\n');
    expect(fresh).toHaveLength(10);
    const a = await atSecondStep(user.email);
    expect((await a.browser.fetch('/signin/two-factor', { form: { code: old[0]! } })).status).toBe(401);
    const b = await atSecondStep(user.email);
    expect((await b.browser.fetch('/signin/two-factor', { form: { code: fresh[0]! } })).status).toBe(303);
  });

  it('turning it off needs the password once the sudo window has passed, and makes sign-in one step again', async () => {
    const user = await signedUp();
    await enrol(user);
    await env.DB.prepare('UPDATE sessions SET reauth_at = reauth_at - 3600000 WHERE user_id = (SELECT id FROM users WHERE email = ?)').bind(user.email).run();
    const refused = await user.fetch('/account/two-factor/disable', { form: {}, htmx: true });
    expect(refused.status).toBe(401);
    expect(await refused.text()).toMatch(/id="f-2fa-off-password"[\s\S]*Enter your password to turn two-factor off/);
    const off = await user.fetch('/account/two-factor/disable', { form: { password: PASSWORD } });
    expect(off.status).toBe(303);
    expect(off.headers.get('location')).toBe('/account?notice=two-factor-off#two-factor');
    const { res } = await atSecondStep(user.email);
    expect(res.headers.get('location')).toBe('/');
    const left = await env.DB.prepare('SELECT count(*) AS n FROM recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.email = ?')
      .bind(user.email)
      .first<{ n: number }>();
    expect(left!.n).toBe(0);
    const events = await (await user.fetch('/account')).text();
    expect(events).toContain('Two-factor sign-in turned off');
  });

  it('API tokens cannot manage it', async () => {
    const user = await signedUp();
    const token = await createToken(user, ['account:read']);
    const res = await new Client().fetch('/account/two-factor/setup', { method: 'POST', headers: { authorization: `Bearer ${token}` }, bare: true });
    expect(res.status).toBe(403);
    expect(await (await user.fetch('/account')).text()).toContain('Set up two-factor sign-in');
  });
});

describe('secrets', () => {
  it('D1 holds the authenticator secret sealed and the recovery codes as HMACs; no log line holds either, or a code', async () => {
    const logs = captureLogs();
    const user = await signedUp();
    const { secret, shown, codes } = await enrol(user);
    const { browser } = await atSecondStep(user.email);
    const code = await nextStepCode(secret);
    await browser.fetch('/signin/two-factor', { form: { code } });
    const other = await atSecondStep(user.email);
    await other.browser.fetch('/signin/two-factor', { form: { code: codes[0]! } });

    const row = await env.DB.prepare('SELECT totp_secret FROM users WHERE email = ?').bind(user.email).first<{ totp_secret: string }>();
    const plain = shown.replace(/ /g, '');
    expect(row!.totp_secret).toMatch(/^v1\./);
    expect(row!.totp_secret).not.toContain(plain);
    const stored = await env.DB.prepare('SELECT code_hash FROM recovery_codes r JOIN users u ON u.id = r.user_id WHERE u.email = ?')
      .bind(user.email)
      .all<{ code_hash: string }>();
    expect(stored.results).toHaveLength(10);
    for (const c of codes) expect(JSON.stringify(stored.results)).not.toContain(c);

    const all = logs.raw().join('\n');
    for (const needle of [plain, shown, code, ...codes, ...codes.map((c) => c.replace('-', ''))]) expect(all).not.toContain(needle);
    // …while the flow is logged.
    expect(logs.audits('user.two_factor_enabled')).toHaveLength(1);
    expect(logs.audits('session.created').some((l) => l.second_factor === 'totp')).toBe(true);
  });
});

describe('Oracle nudges towards it', () => {
  it('until it is on', async () => {
    const user = await signedUp();
    expect(await (await user.fetch('/oracle')).text()).toMatch(/two-factor-nudge[\s\S]*href="\/account#two-factor"/);
    await enrol(user);
    expect(await (await user.fetch('/oracle')).text()).not.toContain('two-factor-nudge');
  });
});
