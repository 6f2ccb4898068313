import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import app from '../../workers/app';
import { Client, ORIGIN, signedUp } from '../support/client';
import { materialize } from '../support/csrf';

/** Checks one HTML response for the headers every page must carry. */
async function expectSecureHtml(res: Response, label: string) {
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp, label).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]{16,}'/);
  expect(csp, label).toContain("object-src 'none'");
  expect(csp, label).toContain("base-uri 'none'");
  expect(csp, label).toContain("frame-ancestors 'none'");
  expect(csp, label).not.toContain('unsafe-inline');
  expect(csp, label).not.toContain('unsafe-eval');
  expect(res.headers.get('strict-transport-security'), label).toMatch(/max-age=31536000/);
  expect(res.headers.get('x-content-type-options'), label).toBe('nosniff');
  expect(res.headers.get('referrer-policy'), label).toBe('strict-origin-when-cross-origin');
  expect(res.headers.get('x-request-id'), label).toMatch(/^[0-9a-f-]{36}$/);
  // Every <script> carries this response's nonce; the nonce differs per response.
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  const html = await res.text();
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  for (const tag of scripts) expect(tag, label).toContain(`nonce="${nonce}"`);
  expect(html, label).not.toMatch(/\son[a-z]+=/i); // no inline event handlers
}

it('every HTML page, fragment and error carries the security headers', async () => {
  const admin = await signedUp(); // first account: admin, so admin pages render
  const pages = app.routes
    .filter((r) => r.method === 'GET' && !r.path.includes('*') && !r.path.startsWith('/api') && r.path !== '/healthz')
    .map((r) => materialize(r.path));
  expect(pages).toEqual(expect.arrayContaining(['/', '/signin', '/signup', '/account', '/admin/users']));
  let checked = 0;
  for (const path of new Set(pages)) {
    const res = await admin.fetch(path);
    if (!(res.headers.get('content-type') ?? '').startsWith('text/html')) continue;
    await expectSecureHtml(res, `GET ${path} → ${res.status}`);
    checked++;
  }
  expect(checked).toBeGreaterThanOrEqual(3); // /, /account, /admin/users (signin/signup redirect when signed in)
  const anonymous = new Client();
  for (const path of ['/', '/signin', '/signup', '/does-not-exist']) await expectSecureHtml(await anonymous.fetch(path), `anonymous ${path}`);
  await expectSecureHtml(await anonymous.fetch('/does-not-exist', { htmx: true }), 'htmx 404 fragment');
  await expectSecureHtml(await anonymous.fetch('/signin', { form: { email: 'x' }, htmx: true }), 'htmx 422 fragment');
  const nonces = new Set<string>();
  for (let i = 0; i < 3; i++) nonces.add((await anonymous.fetch('/')).headers.get('content-security-policy')!);
  expect(nonces.size).toBe(3);
  void env;
});

it('JSON responses carry nosniff and HSTS too', async () => {
  const res = await new Client().fetch('/healthz');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('strict-transport-security')).toContain('max-age=31536000');
});

describe('a misconfigured instance', () => {
  async function withEnv(overrides: Partial<Env>, path = '/', headers: Record<string, string> = {}) {
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(`${ORIGIN}${path}`, { headers }), { ...env, ...overrides }, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  }

  it('answers its 503 page with the same security headers as every page', async () => {
    for (const overrides of [{ SESSION_SECRET: '' }, { SESSION_SECRET: 'a'.repeat(32) }, { SIGNUP: 'sometimes' }] as Partial<Env>[]) {
      const label = JSON.stringify(overrides);
      const page = await withEnv(overrides);
      expect(page.status, label).toBe(503);
      await expectSecureHtml(page, `503 page ${label}`);
      const fragment = await withEnv(overrides, '/account', { 'hx-request': 'true' });
      expect(fragment.status, label).toBe(503);
      await expectSecureHtml(fragment, `503 fragment ${label}`);
      const api = await withEnv(overrides, '/api/me');
      expect(api.status, label).toBe(503);
      expect(api.headers.get('x-content-type-options'), label).toBe('nosniff');
      expect(api.headers.get('strict-transport-security'), label).toMatch(/max-age=31536000/);
    }
  });

  it('refuses a low-entropy SESSION_SECRET and says how to make one', async () => {
    const weak = [
      'a'.repeat(32),
      'a'.repeat(64),
      'ab'.repeat(16),
      '0123456789abcdef'.repeat(2),
      'passwordpasswordpasswordpassword',
      'abcdefghijklmnopqrstuvwxyz012345',
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab',
    ];
    for (const secret of weak) {
      const res = await withEnv({ SESSION_SECRET: secret });
      expect(res.status, secret).toBe(503);
      const html = await res.text();
      expect(html, secret).toContain('SESSION_SECRET');
      expect(html, secret).toContain('openssl rand -base64 48');
    }
  });
});

describe('a response that sets a cookie is never for shared caches', () => {
  it('public becomes private when a Set-Cookie rides along; other answers keep their caching', async () => {
    const { noSharedCachingOfCookies } = await import('../../shared/http/security');
    const withCookie = new Headers({ 'cache-control': 'public, max-age=300', 'set-cookie': 'a=b' });
    noSharedCachingOfCookies(withCookie);
    expect(withCookie.get('cache-control')).toBe('private, max-age=300');
    const without = new Headers({ 'cache-control': 'public, max-age=300' });
    noSharedCachingOfCookies(without);
    expect(without.get('cache-control')).toBe('public, max-age=300');
  });
});
