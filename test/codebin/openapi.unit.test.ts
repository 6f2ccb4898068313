/**
 * CodeBin's API documents itself: every /codebin/api route carries `api()` and its
 * validators, so the OpenAPI document names what is actually checked.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { openApiDocument, type OpenApiDocument } from '../../shared/http/openapi';
import { isApiPath } from '../../shared/http/request';
import routes from '../../workers/codebin/routes';

type Operation = {
  tags?: string[];
  summary?: string;
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  security?: unknown[];
};

async function document(): Promise<OpenApiDocument> {
  const app = new Hono().route('/codebin', routes);
  return openApiDocument(app as unknown as Hono<never>, { title: 'test', version: '0', description: 'test' });
}

const operation = (doc: OpenApiDocument, path: string, method: string) => (doc.paths?.[path] as Record<string, Operation> | undefined)?.[method];

describe('the OpenAPI document of /codebin/api', () => {
  it('lists every API route of the app, tagged and summarised', async () => {
    const doc = await document();
    const apiRoutes = routes.routes
      .filter((r) => isApiPath(r.path) && r.method !== 'ALL')
      .map((r) => `${r.method.toLowerCase()} /codebin${r.path.replace(/:(\w+)/g, '{$1}')}`);
    expect(new Set(apiRoutes)).toEqual(new Set(['post /codebin/api/pastes', 'put /codebin/api/pastes/{filename}', 'delete /codebin/api/pastes/{slug}']));
    for (const route of new Set(apiRoutes)) {
      const [method, path] = route.split(' ') as [string, string];
      const op = operation(doc, path, method);
      expect(op?.tags, route).toEqual(['CodeBin']);
      expect(op?.summary, route).toBeTruthy();
    }
    expect(
      Object.keys(doc.paths ?? {})
        .filter((p) => p.startsWith('/codebin/api/'))
        .sort(),
    ).toEqual(['/codebin/api/pastes', '/codebin/api/pastes/{filename}', '/codebin/api/pastes/{slug}']);
  });

  it('POST /codebin/api/pastes: a JSON object or the raw file, its query options, and the 201 in both forms', async () => {
    const op = operation(await document(), '/codebin/api/pastes', 'post')!;
    expect(Object.keys(op.requestBody!.content).sort()).toEqual(['application/json', 'application/octet-stream', 'text/plain']);
    expect(Object.keys(op.requestBody!.content['application/json']!.schema!.properties!)).toEqual(
      expect.arrayContaining(['content', 'language', 'filename', 'expiresIn', 'burnAfterReading', 'maxViews', 'visibility']),
    );
    expect(
      op
        .parameters!.filter((p) => p.in === 'query')
        .map((p) => p.name)
        .sort(),
    ).toEqual(['burn', 'expiresIn', 'filename', 'lang', 'maxViews', 'visibility']);
    expect(Object.keys(op.responses['201']!.content!).sort()).toEqual(['application/json', 'text/plain']);
    for (const status of ['403', '413', '422', '429', '507']) expect(op.responses, status).toHaveProperty(status);
    // Anonymous pastes are allowed; a token needs codebin:write.
    expect(op.security).toEqual(expect.arrayContaining([{}, { bearer: ['codebin:write'] }]));
  });

  it('PUT names the file in the path; DELETE answers 204 or 404', async () => {
    const doc = await document();
    const put = operation(doc, '/codebin/api/pastes/{filename}', 'put')!;
    expect(put.parameters!.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(['filename']);
    const del = operation(doc, '/codebin/api/pastes/{slug}', 'delete')!;
    expect(del.parameters!.filter((p) => p.in === 'path').map((p) => p.name)).toEqual(['slug']);
    expect(Object.keys(del.responses)).toEqual(expect.arrayContaining(['204', '403', '404']));
  });
});
