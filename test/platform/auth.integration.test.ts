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

describe('sessions', () => {
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
    await env.DB.prepare('UPDATE refresh_tokens SET used_at = used_at - 120000 WHERE token_hash = ?')
      .bind(await sha256Hex(stolen))
      .run();
    // The thief replays the old token…
    const thief = new Client();
    thief.cookies.set('__Host-sf_rt', stolen);
    expect((await me(thief)).status).toBe(401);
    expect(thief.cookies.has('__Host-sf_rt')).toBe(false);
    // …which ends the family: the victim's fresh tokens stop working too.
    expect((await me(victim)).status).toBe(401);
    victim.cookies.delete('__Host-sf_at');
    expect((await me(victim)).status).toBe(401);
    const reason = await env.DB.prepare('SELECT revoked_reason FROM sessions s JOIN refresh_tokens r ON r.session_id = s.id WHERE r.token_hash = ?')
      .bind(await sha256Hex(stolen))
      .first<{ revoked_reason: string }>();
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
