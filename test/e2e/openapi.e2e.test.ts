// The OpenAPI document served by a real `wrangler dev` is valid OpenAPI 3.1 (checked
// with @seriousme/openapi-schema-validator, which compiles JSON Schema to code and so
// runs here in Node, not in workerd), and its reference page reads well in Chromium.
import { Validator } from '@seriousme/openapi-schema-validator';
import { expect, it } from 'vitest';
import { openPage, shot, useBrowser, useDevServer } from './browser';

const browser = useBrowser();
const server = useDevServer();

it('GET /api/openapi.json is a valid OpenAPI 3.1 document', async () => {
  const res = await fetch(`${server.url}/api/openapi.json`);
  expect(res.status).toBe(200);
  const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
  expect(doc.openapi).toBe('3.1.0');
  const validator = new Validator();
  const result = await validator.validate(doc);
  expect(result.errors ?? [], JSON.stringify(result.errors, null, 2)).toEqual([]);
  expect(result.valid).toBe(true);
  expect(validator.version).toBe('3.1');
});

it('the checker itself refuses a broken document', async () => {
  const result = await new Validator().validate({ openapi: '3.1.0', info: { title: 'x' }, paths: { 'no-slash': {} } });
  expect(result.valid).toBe(false);
});

it('/api/docs lists the operations, links the document, and loads nothing else', async () => {
  const context = await browser().newContext({ baseURL: server.url, viewport: { width: 390, height: 844 } });
  const { page, problems } = await openPage(context);
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto('/api/docs');
  await expect(page.getByRole('heading', { level: 1, name: 'Sixfold API' }).isVisible()).resolves.toBe(true);
  await expect(page.locator('.api-op').count()).resolves.toBeGreaterThan(10);
  await page.getByRole('link', { name: 'Lexicon' }).first().click();
  expect(page.url()).toMatch(/#tag-lexicon$/);
  await shot(page, 'api-docs-phone');
  expect(requests.filter((u) => !u.startsWith(server.url))).toEqual([]);
  // No sideways scroll on a phone.
  // (A string: this project compiles without the DOM library; the code runs in the page.)
  expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
  await context.close();
  expect(problems, problems.join('\n')).toEqual([]);
});
