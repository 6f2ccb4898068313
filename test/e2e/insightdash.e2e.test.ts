// InsightDash in Chromium, as its users drive it: points sent with curl-like requests
// (JSON and Influx line protocol, with a token made on the account page); on a desktop
// (light) with JavaScript, a CSV file imported in parts with its refused line named,
// a dashboard made from the series whose cards load one by one and draw with uPlot,
// every range button (each card follows), a custom range, adding, moving and removing
// cards, an annotation drawn on a chart, CSV export, renaming, sharing (opened signed
// out) and revoking, a series' page (its chart, points deleted one and a range at a
// time, renamed, settings); on a phone (dark) without JavaScript, every
// one of those forms as a plain post, and the dashboard's cards inline. An axe audit
// of each InsightDash page, four ways, with its cards loaded.
// Screenshots in test-results/e2e/insightdash-*.png. Its own `wrangler dev`.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { axeViolations, PHONE_DARK, VARIANTS } from './a11y';
import { openWalker, PASSWORD, shot, signedUpState, type StorageState, submit, useBrowser, useDevServer } from './browser';

const browser = useBrowser();
const server = useDevServer();

let owner: StorageState;
let nojsOwner: StorageState;

const open = (b: Browser, options: BrowserContextOptions = {}) => openWalker(b, server, options);

/** A token with the ingest scope, made on the account page as a person would. */
async function tokenFor(state: StorageState): Promise<string> {
  const { page, context } = await open(browser(), { storageState: state });
  await page.goto('/account');
  await page.getByLabel('Name', { exact: true }).fill('telegraf');
  await page.locator('input[name=scopes][value="insightdash:ingest"]').check();
  const password = page.getByLabel('Your password');
  if (await password.count()) await password.fill(PASSWORD);
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = await page.locator('#new-token').inputValue();
  await context.close();
  return token;
}

/** What `curl -H "Authorization: Bearer …" --data …` does. */
async function curl(token: string, path: string, body: string, type: string) {
  const res = await fetch(`${server.url}/insightdash/api/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': type },
    body,
  });
  return { status: res.status, body: (await res.json()) as { accepted: number; rejected: number } };
}

const DAY = 86_400_000;

async function sendSeries(token: string) {
  const now = Date.now();
  const weight = Array.from({ length: 400 }, (_, i) => [now - i * 6 * 3_600_000, Math.round((72 + Math.sin(i / 20) * 2) * 10) / 10]);
  expect((await curl(token, 'points', JSON.stringify({ series: 'weight', unit: 'kg', points: weight }), 'application/json')).body).toMatchObject({
    accepted: 400,
  });
  const lines = Array.from(
    { length: 288 },
    (_, i) => `cpu,host=web-1 usage_user=${(20 + 10 * Math.sin(i / 12)).toFixed(2)} ${BigInt(now - i * 10 * 60_000) * 1_000_000n}`,
  );
  expect((await curl(token, 'write', lines.join('\n'), 'text/plain')).body).toMatchObject({ accepted: 288 });
}

beforeAll(async () => {
  owner = await signedUpState(browser(), server, 'analyst@example.com');
  nojsOwner = await signedUpState(browser(), server, 'quiet@example.com');
  await sendSeries(await tokenFor(owner));
  await sendSeries(await tokenFor(nojsOwner));
}, 120_000);

/** Waits until every card of the dashboard has loaded (and drawn, when it is a chart). */
async function cardsLoaded(page: Page): Promise<number> {
  await expect.poll(() => page.locator('.insight-card.skeleton').count(), { timeout: 20_000 }).toBe(0);
  const charts = await page.locator('figure.chart').count();
  await expect.poll(() => page.locator('figure.chart .uplot').count(), { timeout: 20_000 }).toBe(charts);
  return page.locator('.insight-card').count();
}

const subtitles = (page: Page) => page.locator('.insight-card header p').allTextContents();

it('with JavaScript on a desktop: import a CSV in parts, make a dashboard, every range, cards added, moved and removed, an annotation, CSV export, share and revoke, a series’ settings', async () => {
  const me = await open(browser(), { storageState: owner });
  const { page } = me;
  await page.goto('/insightdash');
  await shot(page, 'insightdash-01-home');

  // A CSV file with a bad line: stored in parts, the refused line named.
  const rows = [
    'ts,series,value',
    ...Array.from({ length: 30 }, (_, i) => `${new Date(Date.now() - i * DAY).toISOString().slice(0, 10)},meditated,${i % 4 === 0 ? 0 : 1}`),
    'oops,meditated,1',
  ];
  await page.getByLabel('CSV file', { exact: true }).setInputFiles({ name: 'habit.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByText('30 points stored, 1 line refused:').waitFor();
  await page.getByText('Line 32: the timestamp “oops”').waitFor();
  // The lists below show the new series without a reload.
  await page.getByRole('link', { name: 'meditated', exact: true }).waitFor();
  await shot(page, 'insightdash-02-imported');

  // A dashboard with a card for each series; the cards load on their own.
  await page.getByLabel('New dashboard').fill('Health & servers');
  await submit(page, 'Make dashboard');
  await page.waitForURL(/\/insightdash\/d\/[\w-]{22}\?done=created$/);
  expect(await cardsLoaded(page)).toBe(3);
  await shot(page, 'insightdash-03-dashboard-7d');

  // Every range button: each card follows, and the address says which.
  for (const label of ['Today', 'Yesterday', 'Last 28 days', 'Last 90 days', 'Month to date', 'Last month', 'Last 365 days', 'Last 7 days']) {
    await page.getByRole('navigation', { name: 'Time range' }).getByRole('link', { name: label, exact: true }).click();
    await page.waitForURL(/range=/);
    await cardsLoaded(page);
    for (const text of await subtitles(page)) expect(text, label).toContain(label);
  }
  await page.getByLabel('From').fill('2026-01-01');
  await page.getByLabel('to', { exact: true }).fill('2026-03-31');
  await submit(page, 'Show');
  await cardsLoaded(page);
  for (const text of await subtitles(page)) expect(text).toContain('2026-01-01 to 2026-03-31');
  await page.getByRole('link', { name: 'Last 90 days', exact: true }).click();
  await cardsLoaded(page);
  await shot(page, 'insightdash-04-dashboard-90d');

  // Add a stat card for weight, move it up, remove it.
  await page.getByText('Edit this dashboard').click();
  await page.getByLabel('Series', { exact: true }).selectOption({ label: 'weight' });
  await page.getByLabel('Card', { exact: true }).selectOption('stat');
  await page.getByLabel('Title (optional)').fill('Weight now');
  await submit(page, 'Add card');
  expect(page.url()).toContain('range=90d');
  expect(await cardsLoaded(page)).toBe(4);
  await page.locator('.kind-stat').getByText('against the period before').waitFor();
  await page.getByText('Edit this dashboard').click();
  await submit(page, 'Move “Weight now” up');
  await cardsLoaded(page);
  expect(await page.locator('.insight-card h2').nth(2).textContent()).toBe('Weight now');
  await page.getByText('Edit this dashboard').click();
  await submit(page, 'Remove the card “Weight now”');
  expect(await cardsLoaded(page)).toBe(3);
  // Bars (per day, with their 7-bar average and the previous period), drawn with the rest.
  await page.getByText('Edit this dashboard').click();
  await page.getByLabel('Series', { exact: true }).selectOption({ label: 'meditated' });
  await page.getByLabel('Card', { exact: true }).selectOption('bars');
  await page.getByLabel('Title (optional)').fill('Days meditated');
  await submit(page, 'Add card');
  expect(await cardsLoaded(page)).toBe(4);
  expect(await page.locator('.kind-bars .uplot').count()).toBe(1);

  // An annotation on every chart, drawn and listed in the cards.
  await page.getByLabel('When (UTC)').fill(new Date(Date.now() - 3 * DAY).toISOString().slice(0, 16));
  await page.getByLabel('Note').fill('new diet');
  await submit(page, 'Add annotation');
  await cardsLoaded(page);
  expect(await page.locator('.chart-notes', { hasText: 'new diet' }).count()).toBe(4);
  await shot(page, 'insightdash-05-annotated');

  // Export a card as CSV.
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.locator('.insight-card', { hasText: 'weight' }).getByRole('link', { name: 'Export CSV' }).click(),
  ]);
  expect(file.suggestedFilename()).toBe('weight-90d.csv');
  const csv = readFileSync((await file.path())!, 'utf8')
    .trim()
    .split('\r\n');
  expect(csv[0]).toBe('time,points,average,min,max,sum,moving_average_7');
  expect(csv.length).toBeGreaterThan(80);

  // Rename; a bad name is refused with its message.
  await page.getByText('Edit this dashboard').click();
  await page.getByLabel('Name', { exact: true }).fill(' ');
  await page.getByLabel('Name', { exact: true }).evaluate((el) => el.removeAttribute('required'));
  await submit(page, 'Rename');
  await page.getByText('Give it a name.').waitFor();
  await page.getByLabel('Name', { exact: true }).fill('Body and servers');
  await submit(page, 'Rename');
  await page.getByRole('heading', { name: 'Body and servers' }).waitFor();

  // Share: opened signed out, read-only; a new link voids the old; then stop.
  await submit(page, 'Make a share link');
  const link = await page.getByLabel('Share link').inputValue();
  const stranger = await open(browser());
  await stranger.page.goto(link);
  expect(await cardsLoaded(stranger.page)).toBe(4);
  expect(await stranger.page.getByText('Edit this dashboard').count()).toBe(0);
  await shot(stranger.page, 'insightdash-06-shared');
  await submit(page, /Make a new link/);
  await stranger.page.goto(link);
  await stranger.page.getByText('This share link does not work').waitFor();
  await submit(page, 'Stop sharing');
  await page.getByText('Not shared.').first().waitFor();
  await stranger.context.close();

  // A series' settings: a wrong goal is refused, a good one drawn.
  await page.goto('/insightdash');
  await page.getByRole('link', { name: 'weight', exact: true }).click();
  await page.getByLabel('Goal (optional)').fill('seventy');
  await submit(page, 'Save');
  await page.getByText('A number, “auto”, or nothing for no goal.').waitFor();
  await page.getByLabel('Goal (optional)').fill('71');
  await page.getByLabel('Kind').selectOption('gauge');
  await submit(page, 'Save');
  await page.getByText('Saved.').waitFor();
  await shot(page, 'insightdash-07-series');

  // A pull: a wrong address is refused by the guard; a good one is listed, pulled now, kept.
  await page.goto('/insightdash');
  await page.getByLabel('Address').fill('https://192.168.1.10/metrics');
  await page.getByLabel('Format').selectOption('prometheus');
  await submit(page, 'Add pull');
  await page.getByText('points to a private, loopback or reserved address').waitFor();
  await page.getByLabel('Address').fill('https://metrics.example.com/metrics');
  await submit(page, 'Add pull');
  await page.getByText('Not run yet').waitFor();
  await submit(page, 'Pull now: https://metrics.example.com/metrics');
  await page.getByText('Not run yet').waitFor();
  await page.getByLabel('Address').fill('https://old.example.com/metrics');
  await page.getByLabel('Format').selectOption('prometheus');
  await submit(page, 'Add pull');
  await submit(page, 'Delete the pull of https://old.example.com/metrics');
  expect(await page.getByText('old.example.com').count()).toBe(0);

  // Deleting: an annotation, a series, a dashboard (a scratch one), each with a notice.
  await submit(page, 'Delete the annotation “new diet”');
  await page.getByText('Annotation deleted.').waitFor();
  await page.getByRole('link', { name: 'cpu.usage_user{host=web-1}', exact: true }).click();
  // Its page: the chart drawn, a point deleted from its row, a range (a wrong one first), a new name.
  await expect.poll(() => page.locator('figure.chart .uplot').count(), { timeout: 20_000 }).toBe(1);
  await submit(page, /^Delete the point at /);
  await page.getByText(/^(\d+ points? deleted|No points there: nothing was deleted)\.$/).waitFor();
  const minute = (ms: number) => new Date(ms).toISOString().slice(0, 16);
  await page.getByText('Delete points in a range').click();
  await page.getByLabel('From (UTC)').fill(minute(Date.now() - 3_600_000));
  await page.getByLabel('To (UTC, included)').fill(minute(Date.now() - 7_200_000));
  await submit(page, 'Delete these points');
  await page.getByText('The last moment is before the first.').waitFor();
  await page.getByLabel('From (UTC)').fill(minute(Date.now() - 7_200_000));
  await page.getByLabel('To (UTC, included)').fill(minute(Date.now()));
  await submit(page, 'Delete these points');
  await page.getByText(/^(\d+ points? deleted|No points there: nothing was deleted)\.$/).waitFor();
  await shot(page, 'insightdash-08-series-points');
  await page.getByLabel('Name', { exact: true }).fill('cpu.user');
  await submit(page, 'Save');
  await page.getByText('Saved.').waitFor();
  await page.getByRole('heading', { name: 'cpu.user', exact: true }).waitFor();
  await page.getByLabel(/Delete “cpu.user”/).check();
  await submit(page, 'Delete series');
  await page.getByText('Series deleted, with its points, cards and annotations.').waitFor();
  await page.getByLabel('New dashboard').fill('Scratch');
  await submit(page, 'Make dashboard');
  await page.getByText('Edit this dashboard').click();
  await page.getByLabel(/Delete this dashboard for good/).check();
  await submit(page, 'Delete dashboard');
  await page.getByText('Dashboard deleted (its series and points stay).').waitFor();
  expect(me.problems).toEqual([]);
  await me.context.close();
}, 240_000);

it('without JavaScript on a phone (dark): the same forms as plain posts, and the cards inline', async () => {
  const me = await open(browser(), { ...PHONE_DARK, javaScriptEnabled: false, storageState: nojsOwner });
  const { page } = me;
  await page.goto('/insightdash');
  await page.getByLabel('CSV file', { exact: true }).setInputFiles({
    name: 'steps.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`ts,series,value\n${Date.now() - 1000},steps,5000\n${Date.now()},steps,x\n`),
  });
  await submit(page, 'Import');
  await page.getByText('1 point stored, 1 line refused:').waitFor();
  await page.getByLabel('New dashboard').fill('Phone');
  await submit(page, 'Make dashboard');
  await page.getByRole('link', { name: 'Show every card on this page' }).click();
  await page.waitForURL(/inline=1/);
  expect(await page.locator('.insight-card:not(.skeleton)').count()).toBe(3);
  await shot(page, 'insightdash-08-nojs-inline');
  await page.getByRole('link', { name: 'Last 28 days', exact: true }).click();
  await page.getByRole('link', { name: 'Open this card' }).first().click();
  await page.locator('.insight-card:not(.skeleton)').first().waitFor();
  await page.goBack();
  await page.locator('details.insight-edit summary').click();
  await page.getByLabel('Series', { exact: true }).selectOption({ label: 'steps' });
  await page.getByLabel('Card', { exact: true }).selectOption('table');
  await submit(page, 'Add card');
  await page.getByText('Card added.').waitFor();
  await page.locator('details.insight-edit summary').click();
  await submit(page, /^Move “steps” up$/);
  await page.locator('details.insight-edit summary').click();
  await submit(page, /^Remove the card “steps”$/, page.locator('.card-order li').last());
  await page.locator('details.insight-edit summary').click();
  await page.getByLabel('Name', { exact: true }).fill('Phone board');
  await submit(page, 'Rename');
  await page.getByLabel('Note').fill('on the road');
  await submit(page, 'Add annotation');
  await page.getByText('Annotation added.').waitFor();
  await submit(page, 'Delete the annotation “on the road”');
  await submit(page, 'Make a share link');
  await submit(page, 'Stop sharing');
  await page.goto('/insightdash');
  await page.getByRole('link', { name: 'steps', exact: true }).click();
  await page.getByLabel('Unit').fill('steps');
  await page.getByLabel('Kind').selectOption('counter');
  await submit(page, 'Save');
  await page.getByText('Saved.').waitFor();
  await submit(page, /^Delete the point at /);
  await page.getByText(/^(\d+ points? deleted|No points there: nothing was deleted)\.$/).waitFor();
  await page.getByText('Delete points in a range').click();
  await page.getByLabel('From (UTC)').fill(new Date(Date.now() - 3 * DAY).toISOString().slice(0, 16));
  await page.getByLabel('To (UTC, included)').fill(new Date(Date.now()).toISOString().slice(0, 16));
  await submit(page, 'Delete these points');
  await page.getByText(/^(\d+ points? deleted|No points there: nothing was deleted)\.$/).waitFor();
  await page.getByLabel(/Delete “steps”/).check();
  await submit(page, 'Delete series');
  await page.waitForURL(/\/insightdash\?done=\w+$/);
  await page.getByRole('link', { name: 'Phone board' }).click();
  await page.locator('details.insight-edit summary').click();
  await page.getByLabel(/Delete this dashboard for good/).check();
  await submit(page, 'Delete dashboard');
  await page.waitForURL(/\/insightdash\?done=\w+$/);
  await page.getByText('No dashboards yet.').waitFor();
  await page.getByLabel('Address').fill('https://api.example.com/weather.json');
  await page.getByLabel('Format').selectOption('json');
  await page.getByLabel('JSON path (JSON only)').fill('$.main.temp');
  await page.getByLabel('Series (JSON only)').fill('weather.temp');
  await submit(page, 'Add pull');
  await page.getByText('Not run yet').waitFor();
  await submit(page, 'Pull now: https://api.example.com/weather.json');
  await submit(page, 'Delete the pull of https://api.example.com/weather.json');
  expect(await page.getByText('Not run yet').count()).toBe(0);
  await shot(page, 'insightdash-09-nojs-home');
  expect(me.problems).toEqual([]);
  await me.context.close();
}, 180_000);

it('axe finds nothing on InsightDash’s pages (cards loaded), four ways', async () => {
  const me = await open(browser(), { storageState: owner });
  await me.page.goto('/insightdash');
  const dashboard = (await me.page.getByRole('link', { name: 'Body and servers' }).getAttribute('href'))!;
  const series = (await me.page.getByRole('link', { name: 'weight', exact: true }).getAttribute('href'))!;
  await me.page.goto(dashboard);
  await submit(me.page, 'Make a share link');
  const shared = new URL(await me.page.getByLabel('Share link').inputValue()).pathname;
  await me.context.close();
  const found: string[] = [];
  for (const [variant, options] of VARIANTS) {
    for (const [path, state] of [
      ['/insightdash', owner],
      [`${dashboard}?range=90d`, owner],
      [`${dashboard}?range=today`, owner],
      [series, owner],
      [shared, undefined],
      ['/insightdash', undefined],
    ] as const) {
      const context = await browser().newContext({ baseURL: server.url, bypassCSP: true, storageState: state, ...options });
      const page = await context.newPage();
      await page.goto(path);
      if (path.includes('/d/') || path.includes('/s/') || path.includes('/series/')) await cardsLoaded(page);
      if (variant === 'phone dark' && path.includes('range=90d')) await shot(page, 'insightdash-10-phone-dark');
      for (const line of await axeViolations(page)) found.push(`${variant} ${path}: ${line}`);
      await context.close();
    }
  }
  expect(found).toEqual([]);
}, 240_000);
