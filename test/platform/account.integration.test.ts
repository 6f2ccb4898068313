// The account page: API tokens (scopes, revocation), password change and session
// revocation (workers/platform/account.tsx). Sudo and the security activity: sudo.integration.test.ts.
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { Client, createToken, PASSWORD, signedIn, signedUp } from '../support/client';

async function me(client: Client, headers: Record<string, string> = {}) {
  return client.fetch('/api/me', { headers });
}

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
    const { token } = await createApiToken(env.DB, {
      userId: row!.id,
      name: 'old',
      scopes: ['account:read'],
      expiresAt: Date.now() - 1,
      now: Date.now() - 1000,
    });
    expect((await new Client().fetch('/api/me', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  });
});

describe('sessions on the account page', () => {
  it('password change ends the other sessions and keeps this one', async () => {
    const a = await signedUp();
    const b = await signedIn(a.email);
    const wrong = await a.fetch('/account/password', {
      form: { current: 'not it at all', password: 'a brand new passphrase', confirm: 'a brand new passphrase' },
      htmx: true,
    });
    expect(wrong.status).toBe(422);
    expect(await wrong.text()).toContain('not your current password');
    expect((await me(b)).status).toBe(200);

    const ok = await a.fetch('/account/password', {
      form: { current: PASSWORD, password: 'a brand new passphrase', confirm: 'a brand new passphrase' },
      htmx: true,
    });
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
});

describe('ids on the account page', () => {
  it('a malformed session or token id is the same 404 as an unknown one', async () => {
    const user = await signedUp();
    for (const [path, message] of [
      ['/account/sessions/x/revoke', 'No such active session'],
      ['/account/sessions/zzzzzzzzzzzz/revoke', 'No such active session'],
      ['/account/tokens/x/revoke', 'No such active token'],
      ['/account/tokens/zzzzzzzzzzzz/revoke', 'No such active token'],
    ] as const) {
      const res = await user.fetch(path, { form: {}, htmx: true });
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toContain(message);
    }
  });
});
