// An axe-core audit of every page, on a desktop and a phone, light and dark: no
// violations; and no page logs a console error (CSP violations included). Its own `wrangler dev` (fresh D1) with one admin, one member, a paste,
// a burn-after-reading paste and a Lexicon ticket to look at.
import type { BrowserContextOptions } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { axeViolations } from './a11y';
import { openPage, signedUpState, useBrowser, useDevServer } from './browser';

const browser = useBrowser();
const server = useDevServer();

import type { StorageState } from './browser';
const who: Record<'anonymous' | 'admin' | 'member', StorageState | undefined> = { anonymous: undefined, admin: undefined, member: undefined };
const data = { paste: '', burn: '', manage: '', ticket: '' };

const signUp = (email: string) => signedUpState(browser(), server, email);

beforeAll(async () => {
  who.admin = await signUp('admin@example.com'); // the first account: admin (and Lexicon staff)
  who.member = await signUp('member@example.com');

  const context = await browser().newContext({ baseURL: server.url, storageState: who.member });
  const { page } = await openPage(context);
  await page.goto('/codebin');
  await page.getByLabel('Content').fill('const answer = 42;\nconsole.log(answer);\n');
  await page.getByRole('button', { name: 'Create paste' }).click();
  data.paste = new URL(await page.locator('#paste-url').inputValue()).pathname;
  data.manage = (await page.locator('#created a[href*="/manage"]').first().getAttribute('href')) ?? '';
  await page.goto('/codebin');
  await page.getByLabel('Content').fill('read me once');
  await page.getByRole('checkbox', { name: 'Burn after reading' }).check();
  await page.getByRole('button', { name: 'Create paste' }).click();
  data.burn = new URL(await page.locator('#paste-url').inputValue()).pathname;

  try {
    await page.goto('/lexicon/tickets/new');
    await page.getByLabel('Subject').fill('Printer jams on duplex');
    await page.getByLabel('What happened?').fill('Every duplex job jams after the first page.');
    await page.getByRole('button', { name: 'Create ticket' }).click();
    await page.waitForURL(/\/lexicon\/tickets\/\d+$/, { timeout: 10_000 });
    data.ticket = new URL(page.url()).pathname;
  } catch (error) {
    // Only the ticket pages' audits depend on this; they say so instead of the whole file failing.
    data.ticket = `/lexicon/tickets/could-not-create-one (${String(error).split('\n')[0]})`;
  }
  await context.close();
}, 180_000);

const VARIANTS: Array<{ name: string; options: BrowserContextOptions }> = [
  { name: 'desktop light', options: { viewport: { width: 1280, height: 800 }, colorScheme: 'light' } },
  { name: 'desktop dark', options: { viewport: { width: 1280, height: 800 }, colorScheme: 'dark' } },
  { name: 'phone light', options: { viewport: { width: 390, height: 844 }, colorScheme: 'light', isMobile: true, hasTouch: true } },
  { name: 'phone dark', options: { viewport: { width: 390, height: 844 }, colorScheme: 'dark', isMobile: true, hasTouch: true } },
];

/** [what, as whom, path (a function: the data is made in beforeAll)]. */
const PAGES: Array<[string, keyof typeof who, () => string]> = [
  ['home', 'anonymous', () => '/'],
  ['home, signed in', 'admin', () => '/'],
  ['sign in', 'anonymous', () => '/signin'],
  ['sign up', 'anonymous', () => '/signup'],
  ['status', 'anonymous', () => '/healthz'],
  ['InsightDash signed out', 'anonymous', () => '/insightdash'],
  ['not found', 'anonymous', () => '/no-such-page'],
  ['API reference', 'anonymous', () => '/api/docs'],
  ['account', 'admin', () => '/account'],
  ['users', 'admin', () => '/admin/users'],
  ['CodeBin new paste', 'anonymous', () => '/codebin'],
  ['CodeBin paste', 'anonymous', () => data.paste],
  ['CodeBin burn interstitial', 'anonymous', () => data.burn],
  ['CodeBin manage', 'member', () => data.manage],
  ['CodeBin my pastes', 'member', () => '/codebin/mine'],
  ['Lexicon queue', 'admin', () => '/lexicon'],
  ['Lexicon ticket (agent)', 'admin', () => data.ticket],
  ['Lexicon new ticket (agent)', 'admin', () => '/lexicon/tickets/new'],
  ['Lexicon portal', 'member', () => '/lexicon'],
  ['Lexicon ticket (requester)', 'member', () => data.ticket],
  ['Lexicon new ticket (requester)', 'member', () => '/lexicon/tickets/new'],
];

for (const [name, as, path] of PAGES) {
  it(`axe: ${name}`, async () => {
    // First as a reader gets it, CSP on: the page logs no error (a CSP violation, a script error).
    const plain = await browser().newContext({ baseURL: server.url, storageState: who[as] });
    const { page: first, problems } = await openPage(plain);
    await first.goto(path());
    await first.waitForLoadState('networkidle');
    await plain.close();
    expect(problems, problems.join('\n')).toEqual([]);

    const found: string[] = [];
    for (const variant of VARIANTS) {
      // bypassCSP: axe is injected as an inline script (see a11y.ts).
      const context = await browser().newContext({ baseURL: server.url, bypassCSP: true, storageState: who[as], ...variant.options });
      const page = await context.newPage();
      await page.goto(path());
      for (const line of await axeViolations(page)) found.push(`${variant.name} ${path()}: ${line}`);
      await context.close();
    }
    expect(found, `axe violations on ${name}:\n${found.join('\n')}`).toEqual([]);
  });
}
