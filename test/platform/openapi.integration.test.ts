/**
 * The OpenAPI document: served, complete (every registered JSON API route is in it,
 * with the schemas that validate it), and readable at /api/docs. The document is
 * validated against the OpenAPI 3.1 schema in test/e2e/openapi.e2e.test.ts (the
 * validator compiles JSON Schema to code, which workerd does not allow).
 */
import { describe, expect, it } from 'vitest';
import app from '../../workers/app';
import { DOCS_PATH, OPENAPI_PATH } from '../../workers/api-docs';
import { isApiPath } from '../../shared/http/request';
import { Client, signedUp } from '../support/client';

type Doc = {
  openapi: string;
  info: { title: string };
  paths: Record<
    string,
    Record<string, { requestBody?: unknown; parameters?: Array<{ name: string; in: string }>; responses: Record<string, unknown>; tags?: string[] }>
  >;
};

async function fetchDoc(): Promise<Doc> {
  const res = await new Client().fetch(OPENAPI_PATH, { bare: true });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return (await res.json()) as Doc;
}

/** Every JSON API route the app registers, as OpenAPI names it (`:id` → `{id}`). */
function registeredApiRoutes(): string[] {
  const seen = new Set<string>();
  for (const r of app.routes) {
    if (r.method === 'ALL' || !isApiPath(r.path) || r.path === DOCS_PATH || r.path.includes('*')) continue;
    seen.add(`${r.method.toLowerCase()} ${r.path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}')}`);
  }
  return [...seen].sort();
}

describe('GET /api/openapi.json', () => {
  it('is an OpenAPI 3.1 document served without a token', async () => {
    const doc = await fetchDoc();
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info.title).toBe('Sixfold API');
  });

  it('describes every registered JSON API route (a new route without `api(…)` fails here)', async () => {
    const doc = await fetchDoc();
    const documented = new Set(Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m} ${path}`)));
    const routes = registeredApiRoutes();
    expect(routes.length).toBeGreaterThanOrEqual(10);
    expect(routes.filter((r) => !documented.has(r))).toEqual([]);
    // And nothing but API routes: no page is in it.
    expect([...documented].filter((d) => !isApiPath(d.split(' ')[1]!))).toEqual([]);
  });

  it('takes its request schemas from the validators: bodies, parameters and their constraints', async () => {
    const doc = await fetchDoc();
    const create = doc.paths['/lexicon/api/tickets']?.post;
    expect(JSON.stringify(create?.requestBody)).toContain('"subject"');
    expect(create?.responses['422']).toBeDefined();
    const list = doc.paths['/lexicon/api/tickets']?.get;
    expect(list?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['limit']));
    const one = doc.paths['/lexicon/api/tickets/{id}']?.get;
    expect(one?.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path' })]));
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        expect(op.tags?.length, `${method} ${path} has a tag`).toBeGreaterThan(0);
        expect(
          Object.keys(op.responses).some((s) => s.startsWith('2')),
          `${method} ${path} documents its success`,
        ).toBe(true);
      }
    }
  });
});

describe('GET /api/docs', () => {
  it('is a readable page listing every operation, with no script of its own and nothing from another origin', async () => {
    const doc = await fetchDoc();
    const res = await new Client().fetch(DOCS_PATH);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1>Sixfold API</h1>');
    for (const path of Object.keys(doc.paths)) expect(html).toContain(`<code>${path}</code>`);
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'nonce-");
  });
});

describe('the document is public bytes', () => {
  it('a signed-in browser fetching it gets no cookie and no session work: the same cacheable answer as anyone', async () => {
    const browser = await signedUp();
    // An expired access token would make any other route rotate the session here.
    browser.cookies.delete('__Host-sf_at');
    const res = await browser.fetch(OPENAPI_PATH);
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(res.headers.get('cache-control')).toBe('public, max-age=300');
  });
});
