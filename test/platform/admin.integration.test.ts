// The admin user list (workers/platform/admin.tsx): roles, disabling accounts, the last admin.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Client, createToken, PASSWORD, signedIn, signedUp } from '../support/client';

async function me(client: Client, headers: Record<string, string> = {}) {
  return client.fetch('/api/me', { headers });
}

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

describe('the users page', () => {
  it('pages by id with ?after= (keyset), 50 to a page', async () => {
    const admin = await signedUp(); // first in this file's storage is an admin, or one exists
    const adminRow = await env.DB.prepare("SELECT email FROM users WHERE role = 'admin' AND disabled_at IS NULL LIMIT 1").first<{ email: string }>();
    const browser = adminRow!.email === admin.email ? admin : await signedIn(adminRow!.email);
    await env.DB.prepare(
      `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 60)
       INSERT INTO users (email, password_hash, created_at, updated_at) SELECT 'paged' || n || '@example.com', 'x', 0, 0 FROM seq`,
    ).run();
    const ids = (await env.DB.prepare('SELECT id FROM users ORDER BY id').all<{ id: number }>()).results.map((r) => r.id);
    const rowsOf = (html: string) => [...html.matchAll(/data-user="(\d+)"/g)].map((m) => Number(m[1]));

    const first = await (await browser.fetch('/admin/users')).text();
    expect(rowsOf(first)).toEqual(ids.slice(0, 50));
    expect(first).toContain(`href="/admin/users?after=${ids[49]}"`);

    const second = await browser.fetch(`/admin/users?after=${ids[49]}`);
    expect(second.status).toBe(200);
    const html = await second.text();
    expect(rowsOf(html)).toEqual(ids.slice(50, 100));
    if (ids.length <= 100) expect(html).not.toContain('Next page');

    expect((await browser.fetch('/admin/users?after=not-a-cursor')).status).toBe(422);
  });

  it('answers an id that cannot exist like one that does not: 404', async () => {
    const row = await env.DB.prepare("SELECT email FROM users WHERE role = 'admin' AND disabled_at IS NULL LIMIT 1").first<{ email: string }>();
    const admin = row ? await signedIn(row.email) : await signedUp();
    await admin.visit('/admin/users');
    for (const path of ['/admin/users/0/role', '/admin/users/abc/role', '/admin/users/99999999/role']) {
      const res = await admin.fetch(path, { form: { role: 'agent' }, htmx: true });
      expect(res.status, path).toBe(404);
    }
    // One user, one URL: other spellings of an id (hex, exponent, leading zeros, a decimal point) name nobody.
    for (const path of [
      '/admin/users/abc/disable',
      '/admin/users/99999999/enable',
      '/admin/users/0x1/enable',
      '/admin/users/1e0/enable',
      '/admin/users/01/enable',
      '/admin/users/1.0/enable',
    ]) {
      expect((await admin.fetch(path, { form: {}, htmx: true })).status, path).toBe(404);
    }
  });
});
