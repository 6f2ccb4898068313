import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Client, createToken, PASSWORD, signedIn, signedUp, uniqueEmail } from '../support/client';

async function me(client: Client, headers: Record<string, string> = {}) {
  return client.fetch('/api/me', { headers });
}

describe('sign-up → sign-in → token → sign-out', () => {
  it('walks the whole flow', async () => {
    const browser = await signedUp();
    const meRes = await me(browser);
    expect(meRes.status).toBe(200);
    expect(await meRes.json()).toMatchObject({ email: browser.email, auth: { via: 'session' } });

    // A second browser signs in to the same account.
    const laptop = await signedIn(browser.email);
    expect((await me(laptop)).status).toBe(200);

    // A token with account:read works with curl-style requests (no cookies).
    const token = await createToken(laptop, ['account:read'], 'curl');
    expect(token).toMatch(/^sfp_[A-Za-z0-9_-]{43}$/);
    const curl = new Client();
    const viaToken = await curl.fetch('/api/me', { headers: { authorization: `Bearer ${token}` } });
    expect(viaToken.status).toBe(200);
    expect(await viaToken.json()).toMatchObject({ email: browser.email, auth: { via: 'token', scopes: ['account:read'] } });

    // The token is stored hashed: its clear text appears nowhere in the database.
    const rows = await env.DB.prepare('SELECT token_hash, token_prefix FROM api_tokens').all<{ token_hash: string; token_prefix: string }>();
    expect(rows.results.length).toBeGreaterThan(0);
    for (const row of rows.results) {
      expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(token.startsWith(row.token_prefix)).toBe(true);
      expect(row.token_prefix.length).toBeLessThan(12);
    }

    // Sign out ends this browser's session only.
    const out = await laptop.fetch('/signout', { form: {} });
    expect(out.status).toBe(303);
    expect(laptop.cookies.has('__Host-sf_at')).toBe(false);
    expect((await me(laptop)).status).toBe(401);
    expect((await me(browser)).status).toBe(200);
    // The token outlives the sign-out.
    expect((await curl.fetch('/api/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('makes the first account admin and later ones members', async () => {
    const rows = await env.DB.prepare('SELECT role FROM users ORDER BY id').all<{ role: string }>();
    const roles = rows.results.map((r) => r.role);
    if (roles.length === 0) {
      const first = await signedUp();
      expect((await (await me(first)).json()) as object).toMatchObject({ role: 'admin' });
    }
    const later = await signedUp();
    expect(await (await me(later)).json()).toMatchObject({ role: 'member' });
    const admins = await env.DB.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin'").first<{ n: number }>();
    expect(admins?.n).toBe(1);
  });

  it('refuses a duplicate email, case-insensitively, and writes nothing', async () => {
    const user = await signedUp();
    const other = new Client();
    await other.visit('/signup');
    const before = await env.DB.prepare('SELECT count(*) AS n FROM users').first<{ n: number }>();
    const res = await other.fetch('/signup', { form: { email: user.email.toUpperCase(), password: PASSWORD } });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('already exists');
    const after = await env.DB.prepare('SELECT count(*) AS n FROM users').first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
  });

  it('explains bad sign-up input per field, with 422 and the form again', async () => {
    const client = new Client();
    await client.visit('/signup');
    const res = await client.fetch('/signup', { form: { email: 'not-an-email', password: 'short' }, htmx: true });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Enter a valid email address');
    expect(html).toContain('Use at least 10 characters');
    expect(html).toContain('id="signup-form"');
    expect(html).not.toContain('<html');
  });

  it('does not reveal whether an email exists when sign-in fails', async () => {
    const user = await signedUp();
    const a = new Client();
    await a.visit('/signin');
    const wrongPassword = await a.fetch('/signin', { form: { email: user.email, password: 'wrong password!!' } });
    const b = new Client();
    await b.visit('/signin');
    const unknown = await b.fetch('/signin', { form: { email: uniqueEmail('ghost'), password: 'wrong password!!' } });
    expect(wrongPassword.status).toBe(401);
    expect(unknown.status).toBe(401);
    const msg = (html: string) => /<p class="notice notice-warn" role="alert">([^<]*)<\/p>/.exec(html)?.[1];
    expect(msg(await wrongPassword.text())).toBe('Email or password is incorrect.');
    expect(msg(await unknown.text())).toBe('Email or password is incorrect.');
  });

  it('rate limits sign-in attempts from one address with 429 and Retry-After', async () => {
    const client = new Client();
    await client.visit('/signin');
    const statuses: number[] = [];
    // The local limiter counts in fixed 60 s windows; 22 tries cover one window boundary.
    for (let i = 0; i < 22; i++) {
      const res = await client.fetch('/signin', { form: { email: uniqueEmail('brute'), password: 'guess guess guess' } });
      statuses.push(res.status);
      if (res.status === 429) {
        expect(res.headers.get('retry-after')).toBe('60');
        break;
      }
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(10);
  });

  it('returns to the page that asked for sign-in, never to another site', async () => {
    const client = new Client();
    const page = await client.fetch('/account');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/signin?next=%2Faccount');
    const user = await signedUp();
    const c2 = new Client();
    await c2.visit('/signin');
    const ok = await c2.fetch('/signin', { form: { email: user.email, password: PASSWORD, next: '/account' } });
    expect(ok.headers.get('location')).toBe('/account');
    const c3 = new Client();
    await c3.visit('/signin');
    const evil = await c3.fetch('/signin', { form: { email: user.email, password: PASSWORD, next: '//evil.example/' } });
    expect(evil.headers.get('location')).toBe('/');
  });

  it('answers htmx sign-in with HX-Redirect instead of a 303', async () => {
    const user = await signedUp();
    const client = new Client();
    await client.visit('/signin');
    const res = await client.fetch('/signin', { form: { email: user.email, password: PASSWORD }, htmx: true });
    expect(res.status).toBe(204);
    expect(res.headers.get('hx-redirect')).toBe('/');
  });
});

describe('API tokens', () => {
  it('are limited to their scopes and stop working when revoked', async () => {
    const user = await signedUp();
    const token = await createToken(user, ['account:read']);
    const curl = new Client();
    const auth = { authorization: `Bearer ${token}` };
    expect((await curl.fetch('/api/me', { headers: auth })).status).toBe(200);

    // Tokens cannot manage the account.
    const manage = await curl.fetch('/account', { headers: auth });
    expect(manage.status).toBe(403);

    const page = await (await user.fetch('/account')).text();
    const id = /action="\/account\/tokens\/([^/]+)\/revoke"/.exec(page)?.[1];
    expect(id).toBeTruthy();
    const revoke = await user.fetch(`/account/tokens/${id}/revoke`, { form: {}, htmx: true });
    expect(revoke.status).toBe(200);
    const res = await curl.fetch('/api/me', { headers: auth });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.headers.get('www-authenticate')).toContain('invalid_token');
  });

  it('rejects unknown scopes and empty names with messages, creating nothing', async () => {
    const user = await signedUp();
    const before = await env.DB.prepare('SELECT count(*) AS n FROM api_tokens').first<{ n: number }>();
    const res = await user.fetch('/account/tokens', { form: { name: '', scopes: ['root:everything'], expires: '30' }, htmx: true });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('Name the token');
    expect(html).toContain('Unknown scope');
    const after = await env.DB.prepare('SELECT count(*) AS n FROM api_tokens').first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
  });

  it('a token without the needed scope gets 403 insufficient_scope', async () => {
    const user = await signedUp();
    // Insert a token with no scopes directly: the UI requires at least one.
    const { createApiToken } = await import('../../shared/auth/repository');
    const row = await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(user.email).first<{ id: number }>();
    const { token } = await createApiToken(env.DB, { userId: row!.id, name: 'none', scopes: [], expiresAt: null, now: Date.now() });
    const res = await new Client().fetch('/api/me', { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toContain('insufficient_scope');
    expect(((await res.json()) as { detail: string }).detail).toContain('account:read');
  });

  it('an expired token is refused', async () => {
    const user = await signedUp();
    const { createApiToken } = await import('../../shared/auth/repository');
    const row = await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(user.email).first<{ id: number }>();
    const { token } = await createApiToken(env.DB, { userId: row!.id, name: 'old', scopes: ['account:read'], expiresAt: Date.now() - 1, now: Date.now() - 1000 });
    expect((await new Client().fetch('/api/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });
});

describe('sessions', () => {
  it('password change ends the other sessions and keeps this one', async () => {
    const a = await signedUp();
    const b = await signedIn(a.email);
    const wrong = await a.fetch('/account/password', { form: { current: 'not it at all', password: 'a brand new passphrase', confirm: 'a brand new passphrase' }, htmx: true });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('not your current password');
    expect((await me(b)).status).toBe(200);

    const ok = await a.fetch('/account/password', { form: { current: PASSWORD, password: 'a brand new passphrase', confirm: 'a brand new passphrase' }, htmx: true });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('Password changed');
    expect((await me(a)).status).toBe(200);
    expect((await me(b)).status).toBe(401);
    await expect(signedIn(a.email, PASSWORD)).rejects.toThrow(/401/);
    await signedIn(a.email, 'a brand new passphrase');
  });

  it('can revoke another session from the account page', async () => {
    const a = await signedUp();
    const b = await signedIn(a.email);
    const page = await (await a.fetch('/account')).text();
    const ids = [...page.matchAll(/action="\/account\/sessions\/([^/"]+)\/revoke"/g)].map((m) => m[1]);
    expect(ids).toHaveLength(1); // only the other browser can be revoked here
    const res = await a.fetch(`/account/sessions/${ids[0]}/revoke`, { form: {}, htmx: true });
    expect(res.status).toBe(200);
    expect((await me(b)).status).toBe(401);
    expect((await me(a)).status).toBe(200);
    // Someone else's session id is not found, not revoked.
    const c = await signedUp();
    const again = await c.fetch(`/account/sessions/${ids[0]}/revoke`, { form: {}, htmx: true });
    expect(again.status).toBe(404);
  });

  it('rotates the refresh token when the access token is gone', async () => {
    const a = await signedUp();
    const oldRefresh = a.cookies.get('__Host-sf_rt');
    a.cookies.delete('__Host-sf_at'); // as after 15 minutes
    expect((await me(a)).status).toBe(200);
    const newRefresh = a.cookies.get('__Host-sf_rt');
    expect(newRefresh).toBeTruthy();
    expect(newRefresh).not.toBe(oldRefresh);
    expect(a.cookies.get('__Host-sf_at')).toBeTruthy();
  });

  it('refresh-token reuse after the grace window revokes the whole family', async () => {
    const victim = await signedUp();
    const stolen = victim.cookies.get('__Host-sf_rt')!;
    // The victim's browser refreshes normally.
    victim.cookies.delete('__Host-sf_at');
    expect((await me(victim)).status).toBe(200);
    // Age the used token past the grace window.
    const { sha256Hex } = await import('../../shared/crypto');
    await env.DB.prepare('UPDATE refresh_tokens SET used_at = used_at - 120000 WHERE token_hash = ?').bind(await sha256Hex(stolen)).run();
    // The thief replays the old token…
    const thief = new Client();
    thief.cookies.set('__Host-sf_rt', stolen);
    expect((await me(thief)).status).toBe(401);
    expect(thief.cookies.has('__Host-sf_rt')).toBe(false);
    // …which ends the family: the victim's fresh tokens stop working too.
    expect((await me(victim)).status).toBe(401);
    victim.cookies.delete('__Host-sf_at');
    expect((await me(victim)).status).toBe(401);
    const reason = await env.DB.prepare('SELECT revoked_reason FROM sessions s JOIN refresh_tokens r ON r.session_id = s.id WHERE r.token_hash = ?').bind(await sha256Hex(stolen)).first<{ revoked_reason: string }>();
    expect(reason?.revoked_reason).toBe('refresh_reuse');
  });

  it('parallel refreshes within the grace window all succeed, and exactly one rotates', async () => {
    const a = await signedUp();
    a.cookies.delete('__Host-sf_at');
    const refresh = a.cookies.get('__Host-sf_rt')!;
    const results = await Promise.all(
      Array.from({ length: 5 }, () => {
        const tab = new Client();
        tab.cookies.set('__Host-sf_rt', refresh);
        return me(tab).then((res) => ({ status: res.status, rotated: tab.cookies.get('__Host-sf_rt') !== refresh }));
      }),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(results.filter((r) => r.rotated)).toHaveLength(1);
  });
});

describe('disabled accounts', () => {
  it('are locked out at once: sessions, refresh tokens, API tokens and sign-in', async () => {
    const adminRow = await env.DB.prepare("SELECT email FROM users WHERE role = 'admin' AND disabled_at IS NULL LIMIT 1").first<{ email: string }>();
    const admin = adminRow ? await signedIn(adminRow.email) : await signedUp();
    const victim = await signedUp();
    const token = await createToken(victim, ['account:read']);
    const id = (await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(victim.email).first<{ id: number }>())!.id;

    await admin.visit('/admin/users');
    const res = await admin.fetch(`/admin/users/${id}/disable`, { form: {}, htmx: true });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Enable');

    expect((await me(victim)).status).toBe(401);
    victim.cookies.delete('__Host-sf_at');
    expect((await me(victim)).status).toBe(401);
    expect((await new Client().fetch('/api/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    const again = new Client();
    await again.visit('/signin');
    const signin = await again.fetch('/signin', { form: { email: victim.email, password: PASSWORD } });
    expect(signin.status).toBe(403);
    expect(await signin.text()).toContain('disabled');

    // Enabling lets them sign in again.
    await admin.fetch(`/admin/users/${id}/enable`, { form: {}, htmx: true });
    await signedIn(victim.email);
  });
});

describe('admin', () => {
  async function adminClient() {
    const row = await env.DB.prepare("SELECT email FROM users WHERE role = 'admin' AND disabled_at IS NULL LIMIT 1").first<{ email: string }>();
    return row ? signedIn(row.email) : signedUp();
  }

  it('changes roles, and members cannot reach the admin pages', async () => {
    const admin = await adminClient();
    const member = await signedUp();
    expect((await member.fetch('/admin/users')).status).toBe(403);
    const id = (await env.DB.prepare('SELECT id FROM users WHERE email = ?').bind(member.email).first<{ id: number }>())!.id;
    await admin.visit('/admin/users');
    const res = await admin.fetch(`/admin/users/${id}/role`, { form: { role: 'agent' }, htmx: true });
    expect(res.status).toBe(200);
    expect(await (await me(member)).json()).toMatchObject({ role: 'agent' });
    const bad = await admin.fetch(`/admin/users/${id}/role`, { form: { role: 'superuser' }, htmx: true });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Role must be one of');
  });

  it('never leaves the instance without an active admin', async () => {
    const admin = await adminClient();
    const adminId = (await env.DB.prepare("SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL").all<{ id: number }>()).results;
    // Demote every other admin first so this one is the last.
    for (const { id } of adminId.slice(1)) await env.DB.prepare("UPDATE users SET role = 'member' WHERE id = ?").bind(id).run();
    const selfId = adminId[0]!.id;
    await admin.visit('/admin/users');
    const res = await admin.fetch(`/admin/users/${selfId}/role`, { form: { role: 'member' }, htmx: true });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('last active admin');
    // The rule lives in the database: a raw UPDATE fails too.
    await expect(env.DB.prepare("UPDATE users SET role = 'member' WHERE id = ?").bind(selfId).run()).rejects.toThrow(/last_admin/);
    const still = await env.DB.prepare('SELECT role FROM users WHERE id = ?').bind(selfId).first<{ role: string }>();
    expect(still?.role).toBe('admin');
  });
});
