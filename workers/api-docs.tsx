/**
 * The API's own description, for the whole Worker (every app's JSON API):
 *
 *   GET /api/openapi.json   the OpenAPI 3.1 document, generated from the routes and their zod schemas
 *   GET /api/docs           a readable reference of it (server-rendered: no script, no CDN)
 *
 * Both are public: the document names routes and fields, never data. It is built
 * once per isolate (the routes do not change while it runs).
 */
import type { Hono } from 'hono';
import type { AppEnv } from '../shared/context';
import { ApiReference } from '../shared/html/api-reference';
import { api, openApiDocument, type OpenApiDocument } from '../shared/http/openapi';

export const OPENAPI_PATH = '/api/openapi.json';
export const DOCS_PATH = '/api/docs';

const INFO = {
  title: 'Sixfold API',
  version: '1',
  description: 'The JSON APIs of every Sixfold app, under /api/ (the platform) and /<app>/api/ (each app).',
};

export function mountApiDocs(app: Hono<AppEnv>): void {
  let doc: Promise<OpenApiDocument> | undefined;
  const documentOf = () =>
    (doc ??= openApiDocument(app as unknown as Hono<never>, INFO).catch((error) => {
      doc = undefined;
      throw error;
    }));

  app.get(
    OPENAPI_PATH,
    api({
      tag: 'Meta',
      summary: 'This document: every JSON API route, its parameters, bodies and responses (OpenAPI 3.1).',
      responses: { 200: 'The OpenAPI document.' },
      scope: null,
    }),
    async (c) => c.json(await documentOf(), 200, { 'cache-control': 'public, max-age=300' }),
  );

  app.get(DOCS_PATH, async (c) => c.render(<ApiReference doc={await documentOf()} jsonUrl={OPENAPI_PATH} />, { title: 'API reference' }));
}
