import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { describe, expect, it } from 'vitest';
import type { AppEnv } from '../../shared/context';
import { handleError, handleNotFound } from '../../shared/http/error-handler';
import app from '../../workers/app';
import { Client, ORIGIN } from '../support/client';

describe('one error handler, three audiences', () => {
  it('pages get a full page', async () => {
    const res = await new Client().fetch('/no/such/page');
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('<!DOCTYPE html>');
    expect(html).toContain('Nothing lives at /no/such/page');
    expect(html).toContain('data-status="404"');
  });

  it('htmx gets a fragment aimed at #flash', async () => {
    const res = await new Client().fetch('/no/such/page', { htmx: true });
    expect(res.status).toBe(404);
    expect(res.headers.get('hx-retarget')).toBe('#flash');
    const html = await res.text();
    expect(html).not.toContain('<html');
    expect(html).toContain('role="alert"');
  });

  it('APIs get problem+json', async () => {
    for (const path of ['/api/nope', '/codebin/api/nope']) {
      const res = await new Client().fetch(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
      expect(await res.json()).toMatchObject({ status: 404, title: 'Not found', instance: path });
    }
  });

  it('an htmx request that needs sign-in is sent to the sign-in page', async () => {
    const res = await new Client().fetch('/account', { htmx: true, headers: { 'hx-current-url': `${ORIGIN}/account?x=1` } });
    expect(res.status).toBe(204);
    expect(res.headers.get('hx-redirect')).toBe('/signin?next=%2Faccount%3Fx%3D1');
  });
});

describe('bad input', () => {
  it('a body over the limit is 413 before it is read', async () => {
    const client = new Client();
    await client.visit('/signin');
    const big = 'x'.repeat(70 * 1024);
    const page = await client.fetch('/signin', { form: { email: big, password: 'x' } });
    expect(page.status).toBe(413);
    expect(await page.text()).toContain('larger than the 64 KiB');
    const api = await client.fetch('/api/me', { method: 'POST', body: big, headers: { 'content-type': 'application/json' } });
    expect(api.status).toBe(413);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
  });

  it('unknown form fields are rejected by name', async () => {
    const client = new Client();
    await client.visit('/signup');
    const res = await client.fetch('/signup', { form: { email: 'new@example.com', password: 'long enough password', role: 'admin' }, htmx: true });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Unknown field “role”');
    const n = await env.DB.prepare('SELECT count(*) AS n FROM users WHERE email = ?').bind('new@example.com').first<{ n: number }>();
    expect(n?.n).toBe(0);
  });

  it('a multipart body that cannot be parsed is a 400 before the CSRF check, not a 500', async () => {
    const client = new Client();
    await client.visit('/signin');
    const res = await client.fetch('/signout', { method: 'POST', body: 'x', headers: { 'content-type': 'multipart/form-data' }, noToken: true });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('could not be read');
  });

  it('a field named __proto__ is named in the 422 like any other', async () => {
    const { fieldErrors } = await import('../../shared/http/validation');
    const out = fieldErrors([{ code: 'unrecognized_keys', keys: ['__proto__'], message: 'x', path: [] }]);
    expect(Object.entries(out)).toEqual([['__proto__', 'Unknown field “__proto__”.']]);
    expect(JSON.stringify(out)).toContain('__proto__');
  });

  it('a form posted as JSON is a clear 4xx, not a crash', async () => {
    const client = new Client();
    await client.visit('/signin');
    const res = await client.fetch('/signin', { json: { email: 'a@b.c', password: 'x' }, headers: { 'x-csrf-token': client.csrf } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

describe('unexpected errors', () => {
  const boom = new Hono<AppEnv>();
  boom.use(requestId());
  boom.onError(handleError);
  boom.notFound(handleNotFound);
  boom.get('/api/boom', () => {
    throw new Error('db password is hunter2 at /srv/secret.ts:12');
  });
  boom.get('/boom', () => {
    throw new Error('db password is hunter2 at /srv/secret.ts:12');
  });

  it('never show the error or a stack trace, only the request id', async () => {
    for (const [path, headers] of [
      ['/api/boom', {}],
      ['/boom', { 'hx-request': 'true' }],
    ] as const) {
      const res = await boom.request(path, { headers }, env, createExecutionContext());
      expect(res.status).toBe(500);
      const body = await res.text();
      expect(body).not.toContain('hunter2');
      expect(body).not.toContain('secret.ts');
      expect(body).toContain(res.headers.get('x-request-id')!);
    }
  });

  it('a missing secret says how to fix it', async () => {
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(`${ORIGIN}/`), { ...env, SESSION_SECRET: '' }, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('SESSION_SECRET must be at least 32 characters');
  });
});
