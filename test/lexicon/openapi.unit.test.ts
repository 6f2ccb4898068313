/**
 * Lexicon's API documents itself: every /lexicon/api route carries `api()` first and
 * its validators, so the OpenAPI document names what is actually checked and what
 * comes back (the response schemas are presenters.ts's).
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { openApiDocument, type OpenApiDocument } from '../../shared/http/openapi';
import { isApiPath } from '../../shared/http/request';
import routes from '../../workers/lexicon/routes';

type Operation = {
  tags?: string[];
  summary?: string;
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
  responses: Record<string, { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> }>;
  security?: unknown[];
};

async function document(): Promise<OpenApiDocument> {
  const app = new Hono().route('/lexicon', routes);
  return openApiDocument(app as unknown as Hono<never>, { title: 'test', version: '0', description: 'test' });
}

const operation = (doc: OpenApiDocument, path: string, method: string) => (doc.paths?.[path] as Record<string, Operation> | undefined)?.[method];

const API = [
  'get /lexicon/api/tickets',
  'post /lexicon/api/tickets',
  'get /lexicon/api/tickets/{id}',
  'patch /lexicon/api/tickets/{id}',
  'get /lexicon/api/tickets/{id}/comments',
  'post /lexicon/api/tickets/{id}/comments',
  'get /lexicon/api/users',
];

describe('the OpenAPI document of /lexicon/api', () => {
  it('lists every API route, tagged, summarised, with the lexicon scope and its success schema', async () => {
    const doc = await document();
    const registered = routes.routes
      .filter((r) => isApiPath(r.path) && r.method !== 'ALL')
      .map((r) => `${r.method.toLowerCase()} /lexicon${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(new Set(registered)).toEqual(new Set(API));
    for (const route of API) {
      const [method, path] = route.split(' ') as [string, string];
      const op = operation(doc, path, method);
      expect(op?.tags, route).toEqual(['Lexicon']);
      expect(op?.summary, route).toBeTruthy();
      expect(op?.security, route).toEqual([{ bearer: ['lexicon'] }]);
      const success = op?.responses['200'] ?? op?.responses['201'];
      expect(success?.content?.['application/json']?.schema, `${route} documents its answer`).toBeDefined();
    }
    // Nothing of the pages is in it.
    expect(Object.keys(doc.paths ?? {}).filter((p) => p.startsWith('/lexicon') && !p.startsWith('/lexicon/api/'))).toEqual([]);
  });

  it('takes the request side from the validators: ids, queries, bodies, the Idempotency-Key header', async () => {
    const doc = await document();
    const create = operation(doc, '/lexicon/api/tickets', 'post')!;
    expect(Object.keys(create.requestBody!.content['application/json']!.schema!.properties!)).toEqual(
      expect.arrayContaining(['subject', 'body', 'tags', 'priority']),
    );
    expect(create.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'idempotency-key', in: 'header' })]));
    for (const status of ['401', '422', '429']) expect(create.responses, status).toHaveProperty(status);
    const list = operation(doc, '/lexicon/api/tickets', 'get')!;
    expect(
      list
        .parameters!.filter((p) => p.in === 'query')
        .map((p) => p.name)
        .sort(),
    ).toEqual(['cursor', 'limit', 'queue', 'status']);
    const patch = operation(doc, '/lexicon/api/tickets/{id}', 'patch')!;
    expect(patch.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path' })]));
    expect(Object.keys(patch.requestBody!.content['application/json']!.schema!.properties!)).toEqual(
      expect.arrayContaining(['version', 'status', 'priority', 'assigneeId', 'tags']),
    );
    for (const status of ['403', '404', '409']) expect(patch.responses, status).toHaveProperty(status);
    const detail = operation(doc, '/lexicon/api/tickets/{id}', 'get')!.responses['200']!.content!['application/json']!.schema!;
    expect(Object.keys(detail.properties!)).toEqual(['ticket']);
  });
});
