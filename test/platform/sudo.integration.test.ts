// A session alone cannot mint long-lived credentials: creating an API token needs
// a password entered in the last few minutes (a "sudo" window kept on the session
// row), a password change offers to revoke every token (checked by default), and
// the account page shows what happened to the account recently.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { SUDO_WINDOW_MS } from '../../shared/auth/repository';
import { Client, createToken, PASSWORD, signedIn, signedUp } from '../support/client';

const tokenCount = async (email: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE u.email = ?').bind(email).first<{ n: number }>())!.n;

/** Moves every session of the account's last password entry back beyond the window. */
async function ageSudo(email: string) {
  await env.DB.prepare('UPDATE sessions SET reauth_at = reauth_at - ? WHERE user_id = (SELECT id FROM users WHERE email = ?)')
    .bind(SUDO_WINDOW_MS + 60_000, email)
    .run();
}

const bearer = (token: string) => new Client().fetch('/api/me', { headers: { authorization: `Bearer ${token}` } });

describe('creating an API token', () => {
  it('needs the password again once the sudo window has passed', async () => {
    const user = await signedUp();
    // Just signed up: the password was entered a moment ago.
    await createToken(user, ['account:read'], 'fresh');
    expect(await tokenCount(user.email)).toBe(1);

    await ageSudo(user.email);
    const page = await (await user.fetch('/account')).text();
    expect(page).toMatch(/<form[^>]*action="\/account\/tokens"[\s\S]*name="password"[^>]*autocomplete="current-password"/);

    const none = await user.fetch('/account/tokens', { form: { name: 'stolen', scopes: ['account:read', 'codebin:write'], expires: 'never' }, htmx: true });
    expect(none.status).toBe(422);
    expect(await none.text()).toContain('Enter your password to create a token');
    const wrong = await user.fetch('/account/tokens', {
      form: { name: 'stolen', scopes: ['account:read'], expires: '30', password: 'not the password' },
      htmx: true,
    });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('That is not your password');
    expect(await tokenCount(user.email)).toBe(1);

    const ok = await user.fetch('/account/tokens', { form: { name: 'confirmed', scopes: ['account:read'], expires: '30', password: PASSWORD }, htmx: true });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Token “confirmed” created');
    // The password just entered opens the window again.
    await createToken(user, ['account:read'], 'again');
    expect(await tokenCount(user.email)).toBe(3);
  });

  it('a plain form (no JavaScript) gets the same answer', async () => {
    const user = await signedUp();
    await ageSudo(user.email);
    const res = await user.fetch('/account/tokens', { form: { name: 'nojs', scopes: ['account:read'], expires: '30' } });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('<!DOCTYPE html>');
    expect(html).toContain('Enter your password to create a token');
    expect(await tokenCount(user.email)).toBe(0);
  });

  it('the window belongs to the session: another browser’s password entry does not open it', async () => {
    const user = await signedUp();
    await ageSudo(user.email);
    await signedIn(user.email); // a new session with a fresh window…
    const res = await user.fetch('/account/tokens', { form: { name: 'x', scopes: ['account:read'], expires: '30' }, htmx: true });
    expect(res.status).toBe(422); // …but not for this one
  });
});

describe('changing the password', () => {
  it('revokes every API token when the (default-checked) box is ticked', async () => {
    const user = await signedUp();
    const token = await createToken(user, ['account:read']);
    const page = await (await user.fetch('/account')).text();
    expect(page).toMatch(/<input[^>]*name="revokeTokens"[^>]*value="yes"[^>]*checked/);
    const res = await user.fetch('/account/password', {
      form: { current: PASSWORD, password: 'another long passphrase', confirm: 'another long passphrase', revokeTokens: 'yes' },
      htmx: true,
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('API tokens were revoked');
    expect((await bearer(token)).status).toBe(401);
    // The page updates at once: the tokens table (no Revoke button left) and the security list ride along.
    const tokens = /<hx-partial hx-target="#tokens"[^>]*>([\s\S]*?)<\/hx-partial>/.exec(html);
    expect(tokens, 'tokens partial').not.toBeNull();
    expect(tokens![1]).not.toContain('/revoke"');
    expect(html).toMatch(/<hx-partial hx-target="#security"[^>]*>[\s\S]*Password changed/);
  });

  it('keeps the tokens when the box is unticked', async () => {
    const user = await signedUp();
    const token = await createToken(user, ['account:read']);
    const res = await user.fetch('/account/password', {
      form: { current: PASSWORD, password: 'another long passphrase', confirm: 'another long passphrase' },
      htmx: true,
    });
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain('hx-target="#tokens"'); // nothing changed there
    expect((await bearer(token)).status).toBe(200);
  });
});

describe('the account page lists recent security events', () => {
  it('sign-ins, tokens created and revoked, password changes: this account’s only', async () => {
    const user = await signedUp();
    const other = await signedUp();
    await createToken(other, ['account:read'], 'not yours');
    await signedIn(user.email);
    await createToken(user, ['account:read'], 'ci runner');
    const page = await (await user.fetch('/account')).text();
    const id = /action="\/account\/tokens\/([^/]+)\/revoke"/.exec(page)![1];
    await user.fetch(`/account/tokens/${id}/revoke`, { form: {}, htmx: true });
    await user.fetch('/account/password', {
      form: { current: PASSWORD, password: 'another long passphrase', confirm: 'another long passphrase', revokeTokens: 'yes' },
      htmx: true,
    });

    const html = await (await user.fetch('/account')).text();
    const section = /<section id="security"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
    expect(section).toContain('Security activity');
    const events = [...section.matchAll(/data-event="([a-z_]+)"/g)].map((m) => m[1]);
    // Newest first.
    expect(events).toEqual(['password_changed', 'token_revoked', 'token_created', 'signed_in', 'account_created']);
    expect(section).toContain('ci runner');
    expect(section).not.toContain('not yours');
  });
});

describe('token changes update the security activity at once (htmx)', () => {
  it('creating and revoking a token each answer with the security list as a partial', async () => {
    const user = await signedUp();
    const created = await (
      await user.fetch('/account/tokens', { form: { name: 'partial check', scopes: ['account:read'], expires: '30' }, htmx: true })
    ).text();
    expect(created).toMatch(/<hx-partial hx-target="#security"[^>]*>[\s\S]*API token created/);
    const id = /action="\/account\/tokens\/([^/]+)\/revoke"/.exec(created)![1];
    const revoked = await (await user.fetch(`/account/tokens/${id}/revoke`, { form: {}, htmx: true })).text();
    expect(revoked).toMatch(/<hx-partial hx-target="#security"[^>]*>[\s\S]*API token revoked/);
  });
});
