import { expect, inject, it } from 'vitest';
import { openPage, shot, useBrowser } from './browser';

const base = inject('baseUrl');
const browser = useBrowser();

it('sign-up → home → account → create token → sign-out, in a real browser', async () => {
  const context = await browser().newContext({ baseURL: base, colorScheme: 'light', viewport: { width: 1280, height: 800 } });
  const { page, problems } = await openPage(context);

  await page.goto('/');
  expect(await page.locator('.app-card').count()).toBe(6);
  // Every app links to itself.
  expect(await page.locator('.app-card h2 a').count()).toBe(6);
  expect(await page.locator('.app-card[data-app="codebin"] h2 a').getAttribute('href')).toBe('/codebin');
  // htmx loaded under the CSP (it registers a global).
  expect(await page.evaluate<string>('typeof window.htmx')).toBe('object');
  await shot(page, '01-home-anonymous');

  await page.getByRole('link', { name: 'Sign up' }).first().click();
  await page.waitForURL('**/signup');
  await page.getByText('it becomes the administrator').waitFor();
  // A bad password is answered in place by htmx (422 fragment), nothing navigates.
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByLabel('Password').fill('short');
  await page.getByLabel('Password').evaluate((el) => el.removeAttribute('minlength'));
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByText('Use at least 10 characters.').waitFor();
  expect(page.url()).toContain('/signup');
  await shot(page, '02-signup-error');

  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${base}/`);
  expect(await page.locator('.account-link').textContent()).toBe('ada@example.com');
  await page.getByRole('link', { name: 'Users' }).waitFor(); // first account is admin
  await shot(page, '03-home-signed-in');

  await page.locator('.account-link').click();
  await page.waitForURL('**/account');
  await page.getByRole('heading', { name: 'Your account' }).waitFor();
  await page.getByText('this browser').waitFor();

  // Create a token through htmx: the section swaps in place and shows the token once.
  await page.getByLabel('Name', { exact: true }).fill('laptop curl');
  await page.getByRole('checkbox', { name: /account:read/ }).check();
  // htmx sends the CSRF token as a header, inherited from <body hx-headers:inherited=…>.
  const tokenRequest = page.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/account/tokens'));
  await page.getByRole('button', { name: 'Create token' }).click();
  const sent = await tokenRequest;
  expect(sent.headers()['hx-request']).toBe('true');
  expect(sent.headers()['x-csrf-token']).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const tokenBox = page.locator('#new-token');
  await tokenBox.waitFor();
  expect(page.url()).toContain('/account'); // swapped in place, no navigation
  const token = await tokenBox.inputValue();
  expect(token).toMatch(/^sfp_/);
  await shot(page, '04-account-token-created');

  // The token works from outside the browser.
  const res = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ email: 'ada@example.com', role: 'admin' });

  // A form on another origin (about:blank has Origin: null) posting to sign-out is refused.
  const attacker = await context.newPage();
  await attacker.setContent(`<form method="post" action="${base}/signout"><button>win a prize</button></form>`);
  await attacker.getByRole('button', { name: 'win a prize' }).click();
  await attacker.getByText('Cross-site request refused').waitFor();
  await shot(attacker, '05-cross-site-refused');
  await attacker.close();
  await page.reload();
  await page.getByRole('button', { name: 'Sign out' }).waitFor(); // still signed in

  // Sign out (a plain form POST with the hidden CSRF field).
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${base}/`);
  await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }).waitFor();
  await page.goto('/account');
  await page.waitForURL('**/signin?next=%2Faccount');
  await shot(page, '06-signed-out-redirect');

  // Signing back in returns to the page that asked.
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/account');

  // The admin's user list, and a role select that refuses to demote the last admin (409 row).
  await page.getByRole('link', { name: 'Users' }).click();
  await page.waitForURL('**/admin/users');
  await page.getByLabel('Role of ada@example.com').selectOption('member');
  await page.locator('#users').getByRole('button', { name: 'Save' }).click();
  await page.getByText('This is the last active admin').waitFor();
  await shot(page, '07-admin-last-admin');

  expect(problems, problems.join('\n')).toEqual([]);
  await context.close();
});

it('follows the dark colour scheme and fits a phone screen', async () => {
  const context = await browser().newContext({
    baseURL: base,
    colorScheme: 'dark',
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const { page, problems } = await openPage(context);
  await page.goto('/');
  const bg = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
  expect(bg).toBe('rgb(17, 18, 20)');
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
  expect(overflow).toBeLessThanOrEqual(0);
  await shot(page, '08-home-dark-phone');
  expect(problems, problems.join('\n')).toEqual([]);
  await context.close();
});

it('status page, the apps menu (with and without JavaScript), and reloads keep scripts alive', async () => {
  for (const javaScriptEnabled of [true, false]) {
    const context = await browser().newContext({ baseURL: base, javaScriptEnabled, viewport: { width: 1280, height: 800 } });
    const { page, problems } = await openPage(context);
    const tag = javaScriptEnabled ? 'js' : 'nojs';
    await page.goto('/');

    // The footer's status link opens a page, not raw JSON.
    await page.getByRole('link', { name: 'status' }).click();
    await page.waitForURL('**/healthz');
    await page.getByRole('heading', { name: 'Status' }).waitFor();
    await page.getByText('Everything is working.').waitFor();
    await shot(page, `09-status-${tag}`);

    // The apps menu: a disclosure in the header, closed until asked.
    const menu = page.getByRole('navigation', { name: 'Apps' });
    expect(await menu.getByRole('link', { name: /CodeBin/ }).isVisible()).toBe(false);
    await menu.locator('summary').click();
    await menu.getByRole('link', { name: /CodeBin/ }).click();
    await page.waitForURL('**/codebin');
    expect(await page.getByRole('navigation', { name: 'Apps' }).locator('a[aria-current="page"]').getAttribute('href')).toBe('/codebin');

    // The menu reaches every app: InsightDash, the last one built, from CodeBin's page.
    await page.getByRole('navigation', { name: 'Apps' }).locator('summary').click();
    await shot(page, `10-apps-menu-open-${tag}`);
    await page
      .getByRole('navigation', { name: 'Apps' })
      .getByRole('link', { name: /InsightDash/ })
      .click();
    await page.waitForURL('**/insightdash');
    await page.getByRole('heading', { name: 'InsightDash', exact: true }).waitFor();
    await shot(page, `11-insightdash-${tag}`);

    if (javaScriptEnabled) {
      // Reloading a page (the browser revalidates what it cached) never leaves its
      // scripts blocked by a nonce that no longer matches.
      for (const path of ['/', '/signin', '/codebin']) {
        await page.goto(path);
        await page.reload();
        await page.reload();
        expect(await page.evaluate<string>('typeof window.htmx'), path).toBe('object');
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
    await context.close();
  }
});

async function signInAsAda(context: import('playwright-core').BrowserContext) {
  const { page, problems } = await openPage(context);
  await page.goto('/signin');
  await page.getByLabel('Email').fill('ada@example.com');
  await page.getByLabel('Password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
  return { page, problems };
}

it('the users page confirms a role change in the row, and an error does not reflow the table', async () => {
  // A member to promote.
  const memberContext = await browser().newContext({ baseURL: base });
  const { page: signup } = await openPage(memberContext);
  await signup.goto('/signup');
  await signup.getByLabel('Email').fill('grace@example.com');
  await signup.getByLabel('Password').fill('another correct horse battery');
  await signup.getByRole('button', { name: 'Create account' }).click();
  await signup.waitForURL(`${base}/`);
  await memberContext.close();

  const context = await browser().newContext({ baseURL: base, viewport: { width: 1280, height: 800 } });
  const { page, problems } = await signInAsAda(context);
  await page.goto('/admin/users');
  await page.getByLabel('Role of grace@example.com').selectOption('agent');
  await page.locator('tr', { hasText: 'grace@example.com' }).getByRole('button', { name: 'Save' }).click();
  await page.locator('tr', { hasText: 'grace@example.com' }).getByText('✓ Saved').waitFor();

  const table = page.locator('#users');
  const before = await table.boundingBox();
  const columns = await page.locator('#users thead th').evaluateAll((ths) => ths.map((th) => Math.round(th.getBoundingClientRect().width)));
  await page.getByLabel('Role of ada@example.com').selectOption('member');
  await page.locator('tr', { hasText: 'ada@example.com' }).getByRole('button', { name: 'Save' }).click();
  await page.getByText('This is the last active admin').waitFor();
  const after = await table.boundingBox();
  const columnsAfter = await page.locator('#users thead th').evaluateAll((ths) => ths.map((th) => Math.round(th.getBoundingClientRect().width)));
  expect(after?.height).toBe(before?.height);
  expect(columnsAfter).toEqual(columns);
  await shot(page, '12-users-saved-and-error');
  expect(problems, problems.join('\n')).toEqual([]);
  await context.close();
});

it('on a phone, stacked tables keep their column labels', async () => {
  const context = await browser().newContext({ baseURL: base, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const { page, problems } = await signInAsAda(context);
  for (const [path, table] of [
    ['/account', '#sessions table'],
    ['/admin/users', '#users'],
  ] as const) {
    await page.goto(path);
    const labels = await page.locator(`${table} tbody td[data-label]`).evaluateAll((tds) =>
      // (No DOM lib in the tsconfig: the page's getComputedStyle, typed by hand.)
      tds.map((td) => [
        td.getAttribute('data-label'),
        (globalThis as unknown as { getComputedStyle(el: unknown, pseudo: string): { content: string } }).getComputedStyle(td, '::before').content,
      ]),
    );
    expect(labels.length, path).toBeGreaterThan(0);
    for (const [label, content] of labels) expect(content, path).toBe(`"${label}"`);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow, path).toBeLessThanOrEqual(0);
    await shot(page, `13-phone${path.replace(/\//g, '-')}`);
  }
  expect(problems, problems.join('\n')).toEqual([]);
  await context.close();
});

it('a password change revokes API tokens unless the box is unticked', async () => {
  const context = await browser().newContext({ baseURL: base, viewport: { width: 1280, height: 900 } });
  const { page, problems } = await signInAsAda(context);
  await page.goto('/account');
  await page.getByLabel('Name', { exact: true }).fill('to be revoked');
  await page.getByRole('checkbox', { name: /account:read/ }).check();
  await page.getByRole('button', { name: 'Create token' }).click();
  const token = await page.locator('#new-token').inputValue();
  expect((await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

  expect(await page.getByRole('checkbox', { name: /revoke all my API tokens/ }).isChecked()).toBe(true);
  await page.getByLabel('Current password').fill('correct horse battery staple');
  await page.getByLabel('New password', { exact: true }).fill('a different horse battery staple');
  await page.getByLabel('Repeat the new password').fill('a different horse battery staple');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByText('your API tokens were revoked').waitFor();
  expect((await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
  await page.reload();
  await page.locator('#security').getByText('Password changed').waitFor();
  await shot(page, '14-account-security-activity');

  // Put the password back for any later test.
  await page.getByLabel('Current password').fill('a different horse battery staple');
  await page.getByLabel('New password', { exact: true }).fill('correct horse battery staple');
  await page.getByLabel('Repeat the new password').fill('correct horse battery staple');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByText('Password changed.').waitFor();
  expect(problems, problems.join('\n')).toEqual([]);
  await context.close();
});

it('Escape closes the apps menu and returns focus to its button; so does a click elsewhere', async () => {
  const context = await browser().newContext({ baseURL: base, viewport: { width: 1280, height: 800 } });
  const { page, problems } = await openPage(context);
  await page.goto('/');
  const menu = page.locator('details.apps-menu');
  await menu.locator('summary').focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => menu.evaluate((d) => d.hasAttribute('open'))).toBe(true);
  await page.keyboard.press('Tab'); // into the list
  await page.keyboard.press('Escape');
  await expect.poll(() => menu.evaluate((d) => d.hasAttribute('open'))).toBe(false);
  expect(await page.evaluate<string | undefined>('document.activeElement?.tagName')).toBe('SUMMARY');
  await menu.locator('summary').click();
  await page.locator('h1').click();
  await expect.poll(() => menu.evaluate((d) => d.hasAttribute('open'))).toBe(false);
  expect(problems, problems.join('\n')).toEqual([]);
  await context.close();
});
