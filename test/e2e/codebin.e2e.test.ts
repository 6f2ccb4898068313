import { expect, inject, it } from 'vitest';
import { openPage, shot, useBrowser } from './browser';

const base = inject('baseUrl');
const browser = useBrowser();

const SAMPLE = `import { Hono } from 'hono';

const app = new Hono();
// Greet whoever asks.
app.get('/hello/:name', (c) => c.text(\`Hello, \${c.req.param('name')}!\`));

export default app;
`;

it('paste → highlighted view → click line 3 → #L3 → raw', async () => {
  const context = await browser().newContext({ baseURL: base, viewport: { width: 1280, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
  const { page, problems } = await openPage(context);
  await page.goto('/');
  await page.getByRole('link', { name: 'CodeBin' }).click();
  await page.waitForURL('**/codebin');

  // Tab inserts a tab in the textarea.
  const area = page.getByLabel('Content');
  await area.click();
  await page.keyboard.press('Tab');
  await page.keyboard.type('x');
  expect(await area.inputValue()).toBe('\tx');
  await area.fill(SAMPLE);
  await page.getByLabel('File name (optional)').fill('server.ts');
  await page.getByRole('radio', { name: /Public/ }).check();
  await shot(page, 'codebin-01-form');
  await page.getByRole('button', { name: 'Create paste' }).click();

  // The result fragment is swapped in by htmx: link, copy, raw, delete link, QR.
  const link = page.locator('#paste-url');
  await link.waitFor();
  const url = await link.inputValue();
  expect(url).toMatch(/\/codebin\/[1-9A-HJ-NP-Za-km-z]{8}$/);
  expect(await page.locator('#created svg').count()).toBe(1);
  await page.getByRole('button', { name: 'Copy link' }).click();
  expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(url);
  await shot(page, 'codebin-02-created');

  await page.goto(url);
  await page.locator('pre.code .line').first().waitFor();
  expect(await page.locator('pre.code .line').count()).toBe(7);
  // Highlighted on the server: coloured spans, and their colours come from the stylesheet.
  expect(await page.locator('#L1 span').first().getAttribute('class')).toMatch(/^l-[0-9a-f]{6} d-[0-9a-f]{6}$/);
  const colours = await page.evaluate<[string, string]>(
    "[getComputedStyle(document.querySelector('#L1 span')).color, getComputedStyle(document.querySelector('#L1')).color]",
  );
  expect(colours[0]).not.toBe(colours[1]);

  await page.locator('#L3 a.ln').click();
  expect(new URL(page.url()).hash).toBe('#L3');
  expect(await page.locator('#L3').getAttribute('class')).toContain('hl');
  await page.locator('#L5 a.ln').click({ modifiers: ['Shift'] });
  expect(new URL(page.url()).hash).toBe('#L3-L5');
  expect(await page.locator('.line.hl').count()).toBe(3);
  await shot(page, 'codebin-03-view-lines');

  // Copy copies the code without line numbers.
  await page.getByRole('button', { name: 'Copy', exact: true }).click();
  expect(JSON.stringify(await page.evaluate<string>('navigator.clipboard.readText()'))).toBe(JSON.stringify(SAMPLE));

  // A #L2-L4 link opened fresh highlights and scrolls.
  await page.goto(`${url}#L2-L4`);
  await page.locator('.line.hl').first().waitFor();
  expect(await page.locator('.line.hl').count()).toBe(3);

  await page.getByRole('link', { name: 'Raw' }).click();
  await page.waitForURL('**/raw');
  expect(await page.locator('body').textContent()).toContain('export default app;');
  await shot(page, 'codebin-04-raw');
  const raw = await (await fetch(`${url}/raw`)).text();
  expect(raw).toBe(SAMPLE);

  expect(problems, problems.join('\n')).toEqual([]);
  await context.close();

  // The dark theme's colours come from the same stylesheet's media query.
  const dark = await browser().newContext({ colorScheme: 'dark', viewport: { width: 1000, height: 500 } });
  const darkPage = await dark.newPage();
  await darkPage.goto(`${url}#L5`);
  const darkColour = await darkPage.evaluate<string>("getComputedStyle(document.querySelector('#L1 span')).color");
  expect(darkColour).not.toBe(colours[0]);
  await shot(darkPage, 'codebin-08-view-dark');
  await dark.close();
});

it('a burn-after-reading paste can be read exactly once', async () => {
  const context = await browser().newContext({ baseURL: base });
  const { page, problems } = await openPage(context);
  await page.goto('/codebin');
  await page.getByLabel('Content').fill('the launch code is 0000');
  await page.getByRole('checkbox', { name: 'Burn after reading' }).check();
  await page.getByRole('button', { name: 'Create paste' }).click();
  const url = await page.locator('#paste-url').inputValue();
  expect(url).toMatch(/\/codebin\/[1-9A-HJ-NP-Za-km-z]{16}$/);

  // A link preview (a plain GET) sees only the interstitial.
  const preview = await (await fetch(url)).text();
  expect(preview).toContain('burns after reading');
  expect(preview).not.toContain('launch code');

  await page.goto(url);
  await page.getByText('This paste burns after reading').waitFor();
  await shot(page, 'codebin-05-burn-interstitial');
  await page.getByRole('button', { name: 'Open and delete it' }).click();
  await page.getByText('the launch code is 0000').waitFor();
  await shot(page, 'codebin-06-burned');

  await page.goto(url);
  await page.getByText('does not exist, has expired, or was already read').waitFor();
  expect(problems, problems.join('\n')).toEqual([]);
  await context.close();
});

it('works without JavaScript: create, view, then change the language and delete with the token from the link', async () => {
  const context = await browser().newContext({ baseURL: base, javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto('/codebin');
  await page.getByLabel('Content').fill('print("no js")\n');
  await page.getByRole('button', { name: 'Create paste' }).click();
  // The token is in the fragment: no server (nor its logs) ever sees it.
  await page.waitForURL(/\/codebin\/[^/]+\/manage\?created=1#token=[\w-]{32}$/);
  await page.getByText('Paste created').waitFor();
  await shot(page, 'codebin-07-nojs-created');
  const token = page.url().split('#token=')[1]!;
  const url = await page.locator('#paste-url').inputValue();
  // Without JavaScript nothing fills the token in: the person pastes it, as the hint says.
  await page.getByLabel('Delete token').fill(token);
  await page.getByLabel('Language', { exact: true }).selectOption('python');
  await page.getByRole('button', { name: 'Change language' }).click();
  await page.waitForURL(url);
  expect(await page.locator('pre.code').textContent()).toContain('print("no js")');
  expect(await page.locator('#L1 span').count()).toBeGreaterThan(0);
  await page.goto(`${url}/manage#token=${token}`);
  await page.getByLabel('Delete token').fill(token);
  await page.getByRole('button', { name: 'Delete this paste now' }).click();
  await page.getByText('It is gone from CodeBin').waitFor();
  expect((await fetch(`${base}${new URL(url).pathname}`)).status).toBe(404);
  await context.close();
});

it('the manage page changes the language and deletes in Chromium (the token comes from #token=…)', async () => {
  const context = await browser().newContext({ baseURL: base });
  const { page, problems } = await openPage(context);
  await page.goto('/codebin');
  await page.getByLabel('Content').fill('SELECT 1;\n');
  await page.getByLabel('Language').selectOption('plaintext');
  await page.getByRole('button', { name: 'Create paste' }).click();
  const manage = await page.locator('#created a[href*="/manage#token="]').getAttribute('href');
  expect(manage).toMatch(/\/manage#token=[\w-]{32}$/);
  await page.goto(manage!);
  // The script put the token into the form; the fragment stays in the address (a bookmark keeps it).
  const token = manage!.split('#token=')[1];
  expect(await page.getByLabel('Delete token').inputValue()).toBe(token);
  await shot(page, 'codebin-09-manage');
  await page.getByLabel('Language', { exact: true }).selectOption('sql');
  await page.getByRole('button', { name: 'Change language' }).click();
  await page.waitForURL(/\/codebin\/[^/]+$/);
  await page.locator('#L1 span').first().waitFor();
  expect(await page.locator('.paste-meta .badge').first().textContent()).toBe('SQL');
  await page.goto(manage!);
  await page.getByRole('button', { name: 'Delete this paste now' }).click();
  await page.getByText('It is gone from CodeBin').waitFor();
  expect(problems, problems.join('\n')).toEqual([]);
  await context.close();
});

it('opening a paste a second time keeps its JavaScript alive (no 304 with a stale nonce)', async () => {
  const context = await browser().newContext({ baseURL: base, permissions: ['clipboard-read', 'clipboard-write'] });
  const { page, problems } = await openPage(context);
  await page.goto('/codebin');
  await page.getByLabel('Content').fill('one\ntwo\nthree\n');
  await page.getByRole('button', { name: 'Create paste' }).click();
  const url = await page.locator('#paste-url').inputValue();
  for (const visit of [1, 2, 3]) {
    // A link click and a reload: both let the browser revalidate its cached copy.
    if (visit === 3) await page.reload();
    else await page.goto(url);
    await page.locator('#L2 a.ln').click();
    expect(new URL(page.url()).hash, `visit ${visit}`).toBe('#L2');
    expect(await page.locator('#L2').getAttribute('class'), `visit ${visit}: line highlight needs codebin.js`).toContain('hl');
    expect(await page.evaluate<boolean>('typeof htmx !== "undefined"'), `visit ${visit}: htmx loaded`).toBe(true);
  }
  expect(problems, problems.join('\n')).toEqual([]);
  await context.close();
});

it('without JavaScript, a burn-after-reading paste opens once from its interstitial', async () => {
  const context = await browser().newContext({ baseURL: base, javaScriptEnabled: false });
  const { page, problems } = await openPage(context);
  await page.goto('/codebin');
  await page.getByLabel('Content').fill('no-js secret 1234');
  await page.getByRole('checkbox', { name: 'Burn after reading' }).check();
  await page.getByRole('button', { name: 'Create paste' }).click();
  await page.waitForURL(/\/manage\?created=1#token=/);
  const url = await page.locator('#paste-url').inputValue();
  await page.goto(url);
  await page.getByText('This paste burns after reading').waitFor();
  await page.getByRole('button', { name: 'Open and delete it' }).click();
  await page.getByText('no-js secret 1234').waitFor();
  await page.goto(url);
  await page.getByText('does not exist, has expired, or was already read').waitFor();
  expect(problems, problems.join('\n')).toEqual([]);
  await context.close();
});
