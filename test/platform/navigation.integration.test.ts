// Finding your way: the footer's status link opens a page (curl still gets JSON),
// apps that are not built yet answer a friendly page, and every page's header
// can take you to any app, without JavaScript.
import { expect, it } from 'vitest';
import { APPS } from '../../workers/apps';
import { Client } from '../support/client';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

it('/healthz is a page for browsers and JSON for everyone else', async () => {
  const page = await new Client().fetch('/healthz', { headers: { accept: BROWSER_ACCEPT } });
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(page.headers.get('vary')).toMatch(/accept/i);
  expect(page.headers.get('cache-control')).toBe('no-store');
  const html = await page.text();
  expect(html).toContain('<h1>Status</h1>');
  expect(html).toMatch(/data-check="d1"[^>]*data-status="ok"/);
  expect(html).toContain('href="/healthz.json"');

  for (const accept of [undefined, '*/*', 'application/json', 'application/json, text/html;q=0.5']) {
    const res = await new Client().fetch('/healthz', { headers: accept ? { accept } : {} });
    expect(res.headers.get('content-type'), String(accept)).toMatch(/^application\/json/);
    expect(res.headers.get('vary'), String(accept)).toMatch(/accept/i);
    expect(await res.json()).toMatchObject({ status: 'ok' });
  }
  // A link that always gives JSON, for a browser that wants it.
  const json = await new Client().fetch('/healthz.json', { headers: { accept: BROWSER_ACCEPT } });
  expect(await json.json()).toMatchObject({ status: 'ok', checks: { d1: { status: 'ok' } } });
});

it('every app on the home page links to its own page, which answers (or asks a stranger to sign in)', async () => {
  const home = await (await new Client().fetch('/')).text();
  for (const app of APPS) {
    expect(home, app.slug).toContain(`href="/${app.slug}"`);
    const res = await new Client().fetch(`/${app.slug}`);
    if (res.status === 303) {
      expect(res.headers.get('location'), app.slug).toMatch(/^\/signin\?next=/);
      continue;
    }
    expect(res.status, app.slug).toBe(200);
    expect(await res.text(), app.slug).toContain(app.name);
  }
});

it('every page header offers every app, as plain links', async () => {
  for (const path of ['/', '/signin', '/codebin', '/no/such/page']) {
    const html = await (await new Client().fetch(path)).text();
    const nav = /<nav class="apps-nav" aria-label="Apps">([\s\S]*?)<\/nav>/.exec(html)?.[1];
    expect(nav, path).toBeTruthy();
    expect(nav, path).toContain('<details');
    for (const app of APPS) expect(nav, `${path}: ${app.slug}`).toContain(`href="/${app.slug}"`);
  }
  const codebin = await (await new Client().fetch('/codebin')).text();
  expect(codebin).toMatch(/href="\/codebin" aria-current="page"/);
});
