/** Launches Debian's Chromium through playwright-core; screenshots go to test-results/e2e/. */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startDevServer } from '../../scripts/dev-server.mjs';
import { DESKTOP } from './a11y';

export const SHOTS = join(process.cwd(), 'test-results', 'e2e');
mkdirSync(SHOTS, { recursive: true });

/**
 * The X-Request-Id every browser context sends (playwright's extraHTTPHeaders apply to
 * every request of the context: navigations, form posts, htmx's fetches). The Worker
 * logs it as `client_request_id`, and scripts/dev-server.mjs keeps those request lines
 * for the route coverage test (test/e2e/coverage.ts): so only what Chromium sent counts
 * as walked, never a `fetch` from test code.
 */
export const WALK_MARK = { js: 'e2e-walk-js', nojs: 'e2e-walk-nojs' } as const;

type ContextOptions = NonNullable<Parameters<Browser['newContext']>[0]>;

function marked(options: ContextOptions = {}): ContextOptions {
  const mark = options.javaScriptEnabled === false ? WALK_MARK.nojs : WALK_MARK.js;
  return { ...options, extraHTTPHeaders: { ...options.extraHTTPHeaders, 'x-request-id': mark } };
}

/** `args`: extra Chromium flags for this browser (e.g. a fake microphone). */
export async function launch(options: { args?: string[] } = {}): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...(options.args ?? []),
    ],
  });
  // Every context of every e2e file is marked, whoever opens it: the walk needs no
  // cooperation from a test beyond using this browser.
  const newContext = browser.newContext.bind(browser);
  const newPage = browser.newPage.bind(browser);
  browser.newContext = (options?: ContextOptions) => newContext(marked(options));
  browser.newPage = (options?: ContextOptions) => newPage(marked(options));
  return browser;
}

/** One browser for the test file, closed afterwards. Call at the top of the file. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('browser not launched yet');
    return browser;
  };
}

/** A page that records console errors and failed requests (CSP violations show up here). */
export async function openPage(context: BrowserContext): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (msg) => {
    // HTTP error statuses are part of the flows under test (422 forms); anything else
    // logged as an error (CSP violations, script errors) is a problem.
    if (msg.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) {
      const at = msg.location();
      problems.push(`console: ${msg.text()}${at.url ? ` (at ${at.url}:${at.lineNumber}, page ${page.url()})` : ` (page ${page.url()})`}`);
    }
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('requestfailed', (req) => {
    const aborted = req.failure()?.errorText === 'net::ERR_ABORTED';
    // A navigation cancels the favicon fetch of the page it leaves: not a failure.
    if (aborted && req.url().endsWith('/favicon.svg')) return;
    // htmx cancels a request that a newer one replaces (the search box as you type, hx-sync): not a failure.
    if (aborted && req.resourceType() === 'fetch' && req.headers()['hx-request'] === 'true') return;
    problems.push(`requestfailed: ${req.url()} ${req.failure()?.errorText ?? ''}`);
  });
  return { page, problems };
}

/** A page in its own context, with the problems it records (openPage). */
export type Walker = { context: BrowserContext; page: Page; problems: string[] };

/** A walker on `server` (desktop light unless `options` say otherwise). */
export async function openWalker(b: Browser, server: { url: string }, options: BrowserContextOptions = {}): Promise<Walker> {
  const context = await b.newContext({ baseURL: server.url, ...DESKTOP, ...options });
  const { page, problems } = await openPage(context);
  return { context, page, problems };
}

/** Clicks a button (its accessible name; the first match, within `scope`) that posts a plain form, and waits for the page it lands on. */
export async function submit(page: Page, name: string | RegExp, scope: Page | Locator = page): Promise<void> {
  const loaded = page.waitForEvent('load');
  await scope
    .getByRole('button', { name, exact: typeof name === 'string' })
    .first()
    .click();
  await loaded;
}

export function shot(page: Page, name: string) {
  // caret: 'initial': Playwright's default hides the caret with an inline style on every
  // input and leaves `style=""` behind; htmx then copies that attribute onto swapped-in
  // elements, which our CSP (style-src 'self') rightly reports. Real users never see it.
  return page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true, caret: 'initial' });
}

export type DevServer = { url: string; stop: () => Promise<void>; seedResults: Array<{ results: Array<Record<string, unknown>> }> };

/**
 * A `wrangler dev` of the test file's own (a fresh local D1), started before its
 * tests and stopped after. The object is filled in when the server is up, so
 * `server.url` can be read in any later hook or test. Call after useBrowser().
 */
export function useDevServer(options: { seed?: string } = {}): DevServer {
  const server: DevServer = { url: '', stop: async () => {}, seedResults: [] };
  beforeAll(async () => {
    Object.assign(server, await startDevServer(options));
  }, 120_000);
  afterAll(async () => {
    await server.stop();
  });
  return server;
}

/** The password every e2e account is made with. */
export const PASSWORD = 'correct horse battery staple';

/** Signs `email` up on `page` through the form and waits for the home page, signed in. */
export async function signUpOn(page: Page, server: { url: string }, email: string): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${server.url}/`);
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** Signs `email` in on `page` through the form and waits for the home page. */
export async function signInOn(page: Page, server: { url: string }, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${server.url}/`);
}

export type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

/** Signs `email` up through the form in a context of its own; returns its cookies (for `storageState`). */
export async function signedUpState(browser: Browser, server: { url: string }, email: string): Promise<StorageState> {
  const context = await browser.newContext({ baseURL: server.url });
  const { page } = await openPage(context);
  await page.goto('/signup');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${server.url}/`);
  const state = await context.storageState();
  await context.close();
  return state;
}
