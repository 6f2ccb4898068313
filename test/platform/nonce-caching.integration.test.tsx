// A page whose CSP carries a per-request nonce must never be revalidated into an
// old body: on a 304 the browser keeps its cached HTML (old nonces) but takes the
// new CSP header (new nonce), and every script on the page is blocked. The
// platform guarantees it for every route, whatever a handler sets: such a page
// leaves without ETag or Last-Modified, is not stored for reuse, and a 304 (from
// a validator issued before this rule) never brings a fresh nonce.
import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { Hono } from 'hono';
import { jsxRenderer } from 'hono/jsx-renderer';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../shared/context';
import { Layout, layoutContext } from '../../shared/html/layout';
import { matchesEtag } from '../../shared/http/respond';
import { securityHeaders } from '../../shared/http/security';
import app from '../../workers/app';
import { apiPaste } from '../support/codebin';
import { Client, signedUp } from '../support/client';
import { materialize } from '../support/csrf';

const hasNonce = (res: Response) => /'nonce-/.test(res.headers.get('content-security-policy') ?? '');
const isHtml = (res: Response) => (res.headers.get('content-type') ?? '').startsWith('text/html');

/** What every nonce-bearing HTML response must look like. */
function expectNotReusable(res: Response, label: string) {
  expect(res.headers.get('etag'), label).toBeNull();
  expect(res.headers.get('last-modified'), label).toBeNull();
  const cc = res.headers.get('cache-control') ?? '';
  expect(/no-store/.test(cc) || (/no-cache/.test(cc) && /private/.test(cc)), `${label}: cache-control ${cc}`).toBe(true);
}

describe('a handler that tries to combine a nonce with a validator', () => {
  // A stand-in for any app's page: our layout and security headers, plus a handler
  // that sets an ETag and Last-Modified and answers 304 when they match.
  const demo = new Hono<AppEnv>();
  demo.use(
    jsxRenderer(({ children, title }, c) => (
      <Layout title={title} {...layoutContext(c as Parameters<typeof layoutContext>[0])}>
        {children}
      </Layout>
    )),
  );
  demo.use(securityHeaders());
  demo.get('/page', (c) => {
    c.header('etag', '"v1"');
    c.header('last-modified', 'Mon, 01 Jan 2024 00:00:00 GMT');
    c.header('cache-control', 'public, max-age=600');
    if (matchesEtag(c, '"v1"')) return c.body(null, 304);
    return c.render(<p>hello</p>, { title: 'Demo' });
  });
  const get = (headers: Record<string, string> = {}) => demo.request('/page', { headers }, env, createExecutionContext());

  it('leaves without ETag or Last-Modified and is not stored for reuse', async () => {
    const res = await get();
    expect(res.status).toBe(200);
    expect(hasNonce(res)).toBe(true);
    expectNotReusable(res, 'demo page');
  });

  it('a 304 never carries a fresh nonce over an old body', async () => {
    const res = await get({ 'if-none-match': '"v1"' });
    // Either the full page again (with its own nonce), or a 304 that leaves the cached
    // page's own CSP in place.
    if (res.status === 304) expect(res.headers.get('content-security-policy')).toBeNull();
    else expectNotReusable(res, 'demo page, conditional');
  });
});

describe('every registered GET page', () => {
  it('no HTML page with a nonce carries a validator, signed in or not', async () => {
    const admin = await signedUp(); // first account of this file: admin, so admin pages render
    const paste = await apiPaste({ content: 'const x = 1;\n', language: 'typescript' });
    const params = { slug: paste.slug };
    const routes = [...new Set(app.routes.filter((r) => r.method === 'GET' && !r.path.includes('*')).map((r) => r.path))];
    expect(routes).toEqual(expect.arrayContaining(['/', '/signin', '/account', '/admin/users', '/codebin/:slug']));
    let pages = 0;
    for (const route of routes) {
      const path = materialize(route, params);
      for (const [who, client] of [
        ['anonymous', new Client()],
        ['admin', admin],
      ] as const) {
        const res = await client.fetch(path);
        const label = `${who} GET ${route} → ${res.status}`;
        if (isHtml(res) && hasNonce(res)) {
          expectNotReusable(res, label);
          pages++;
        }
        // Replaying whatever validator a response carried (or a plausible one) never
        // yields a 304 with a fresh nonce.
        const replay = await client.fetch(path, {
          headers: { 'if-none-match': res.headers.get('etag') ?? '"x"', 'if-modified-since': new Date().toUTCString() },
        });
        if (replay.status === 304) expect(hasNonce(replay), `${label}, replayed`).toBe(false);
      }
    }
    expect(pages).toBeGreaterThanOrEqual(8);
  });
});
