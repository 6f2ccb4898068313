import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import worker from '../../workers/index';
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { Client } from '../support/client';
import { apiPaste } from '../support/codebin';
import { logged } from '../support/logs';

afterEach(() => {
  vi.useRealTimers();
});

describe('burn after reading', () => {
  it('a GET shows an interstitial and reveals nothing; the POST reveals once', async () => {
    const p = await apiPaste({ content: 'top secret', burnAfterReading: true, visibility: 'public' });
    expect(p.slug).toHaveLength(16); // never a short public slug
    const scanner = await new Client().fetch(`/codebin/${p.slug}`);
    expect(scanner.status).toBe(200);
    const html = await scanner.text();
    expect(html).toContain('burns after reading');
    expect(html).not.toContain('top secret');
    expect((await new Client().fetch(`/codebin/${p.slug}/raw`)).status).toBe(403);
    // Still there after all that.
    const row = await env.DB.prepare('SELECT visibility FROM pastes WHERE slug = ?').bind(p.slug).first<{ visibility: string }>();
    expect(row?.visibility).toBe('unlisted');

    const reader = new Client();
    await reader.visit(`/codebin/${p.slug}`);
    const revealed = await reader.fetch(`/codebin/${p.slug}/reveal`, { form: {} });
    expect(revealed.status).toBe(200);
    expect(revealed.headers.get('cache-control')).toBe('no-store');
    expect(await revealed.text()).toContain('top secret');
    expect((await reader.fetch(`/codebin/${p.slug}/reveal`, { form: {} })).status).toBe(404);
    expect((await new Client().fetch(`/codebin/${p.slug}`)).status).toBe(404);
  });

  it('under 20 concurrent reveals exactly one reader gets the content', async () => {
    const p = await apiPaste({ content: 'only once', burnAfterReading: true });
    const readers = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const c = new Client();
        await c.visit('/codebin');
        return c;
      }),
    );
    const results = await Promise.all(readers.map((c) => c.fetch(`/codebin/${p.slug}/reveal`, { form: {} })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 404)).toHaveLength(19);
    const winner = results.find((r) => r.status === 200)!;
    expect(await winner.text()).toContain('only once');
  });
});

describe('max views', () => {
  it('counts down atomically and deletes at zero', async () => {
    const p = await apiPaste({ content: 'three reads', maxViews: 3 });
    const texts: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await new Client().fetch(`/codebin/${p.slug}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      texts.push(await res.text());
    }
    expect(texts[0]).toContain('2 views left');
    expect(texts[2]).toContain('last view: it is now deleted');
    expect((await new Client().fetch(`/codebin/${p.slug}`)).status).toBe(404);
    expect(await env.DB.prepare('SELECT 1 FROM pastes WHERE slug = ?').bind(p.slug).first()).toBeNull();
  });

  it('10 concurrent reads of a 3-view paste: exactly 3 succeed', async () => {
    const p = await apiPaste({ content: 'racy', maxViews: 3 });
    const statuses = (await Promise.all(Array.from({ length: 10 }, () => new Client().fetch(`/codebin/${p.slug}/raw`)))).map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 404)).toHaveLength(7);
  });
});

describe('expiry, with a controllable clock', () => {
  it('an expired paste is gone for every reader, cached or not, and the cron purges it', async () => {
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(start);
    const p = await apiPaste({ content: 'short lived', expiresIn: '10m', visibility: 'public' });
    expect(Date.parse(p.expiresAt!)).toBe(start + 600_000);
    // Read once so the view and raw responses are in the cache.
    expect((await new Client().fetch(`/codebin/${p.slug}`)).status).toBe(200);
    expect((await new Client().fetch(`/codebin/${p.slug}/raw`)).status).toBe(200);

    vi.setSystemTime(start + 9 * 60_000);
    expect((await new Client().fetch(`/codebin/${p.slug}`)).status).toBe(200);

    vi.setSystemTime(start + 10 * 60_000);
    for (const path of [`/codebin/${p.slug}`, `/codebin/${p.slug}/raw`, `/codebin/${p.slug}/manage?token=${p.deleteToken}`]) {
      const res = await new Client().fetch(path);
      expect(res.status, path).toBe(404);
    }
    expect(await (await new Client().fetch('/codebin')).text()).not.toContain(p.slug);
    // The row is still there until the cron runs…
    expect(await env.DB.prepare('SELECT 1 FROM pastes WHERE slug = ?').bind(p.slug).first()).not.toBeNull();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: new Date(Date.now()), cron: '* * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await env.DB.prepare('SELECT 1 FROM pastes WHERE slug = ?').bind(p.slug).first()).toBeNull();
  });

  it('CODEBIN_MAX_EXPIRY caps the choices', async () => {
    const capped = new Client({ CODEBIN_MAX_EXPIRY: '1d' });
    const res = await capped.fetch('/codebin/api/pastes', { json: { content: 'x', expiresIn: 'never' }, bare: true });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { detail: string }).detail).toContain('Choose one of: 10m, 1h, 1d');
    const ok = await capped.fetch('/codebin/api/pastes', { json: { content: 'x' }, bare: true });
    expect(ok.status).toBe(201);
    expect(Date.parse(((await ok.json()) as { expiresAt: string }).expiresAt) - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    const page = await (await capped.fetch('/codebin')).text();
    expect(page).not.toContain('value="never"');
    const broken = await new Client({ CODEBIN_MAX_EXPIRY: 'forever' }).fetch('/codebin/api/pastes', { json: { content: 'x' }, bare: true });
    expect(broken.status).toBe(503);
  });
});

describe('the read path', () => {
  it('serves a cached view without touching D1, and a delete empties the cache', async () => {
    const p = await apiPaste({ content: 'cache me', visibility: 'public' });
    const cost = async (path: string) => {
      const { res, line } = await logged(() => new Client().fetch(path));
      return { status: res.status, queries: line.d1_queries };
    };
    expect(await cost(`/codebin/${p.slug}`)).toEqual({ status: 200, queries: 1 });
    // The cache write runs in waitUntil; the next read finds it.
    let second = await cost(`/codebin/${p.slug}`);
    for (let i = 0; i < 10 && second.queries !== 0; i++) second = await cost(`/codebin/${p.slug}`);
    expect(second).toEqual({ status: 200, queries: 0 });
    const del = await new Client().fetch(`/codebin/api/pastes/${p.slug}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${p.deleteToken}` },
      bare: true,
    });
    expect(del.status).toBe(204);
    expect((await new Client().fetch(`/codebin/${p.slug}`)).status).toBe(404);
    expect((await new Client().fetch(`/codebin/${p.slug}/raw`)).status).toBe(404);
  });

  it('never runs the highlighter to serve a view', async () => {
    const highlight = await import('../../workers/codebin/highlight');
    const p = await apiPaste({ content: 'const x: number = 1;\n', language: 'typescript' });
    const spy = vi.spyOn(highlight, 'highlightTokens');
    for (let i = 0; i < 3; i++) expect((await new Client().fetch(`/codebin/${p.slug}`)).status).toBe(200);
    expect(spy).not.toHaveBeenCalled();
    await apiPaste({ content: 'const y: number = 2;\n', language: 'typescript' });
    expect(spy).toHaveBeenCalledTimes(1); // the spy is live: creating does call it
    spy.mockRestore();
  });

  it('view pages carry no validator: a 304 would revive an old body whose CSP nonces no longer match', async () => {
    const p = await apiPaste({ content: 'etag me' });
    const browser = new Client();
    const first = await browser.fetch(`/codebin/${p.slug}`);
    expect(first.headers.get('etag')).toBeNull();
    expect(first.headers.get('last-modified')).toBeNull();
    const again = await browser.fetch(`/codebin/${p.slug}`, { headers: { 'if-none-match': `"${p.slug}"`, 'if-modified-since': new Date().toUTCString() } });
    expect(again.status).toBe(200);
    const nonce = (res: string) => /<script nonce="([^"]+)"/.exec(res)?.[1];
    const [a, b] = [nonce(await first.text()), nonce(await again.text())];
    expect(a).toBeTruthy();
    expect(a).not.toBe(b);
    expect(again.headers.get('content-security-policy')).toContain(`'nonce-${b}'`);
  });
});
