import { env } from 'cloudflare:workers';
import { expect, it } from 'vitest';
import app from '../../workers/app';
import { Client, signedUp } from '../support/client';
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
