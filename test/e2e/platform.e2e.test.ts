import { expect, inject, it } from 'vitest';
import { openPage, shot, useBrowser } from './browser';

const base = inject('baseUrl');
const browser = useBrowser();

it('sign-up → home → account → create token → sign-out, in a real browser', async () => {
  const context = await browser().newContext({ baseURL: base, colorScheme: 'light', viewport: { width: 1280, height: 800 } });
  const { page, problems } = await openPage(context);

  await page.goto('/');
  expect(await page.locator('.app-card').count()).toBe(6);
  // Mounted apps link to themselves; the rest say "coming soon".
  expect(await page.locator('.app-card h2 a').count() + (await page.locator('.app-card .badge', { hasText: 'coming soon' }).count())).toBe(6);
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
  await page.waitForURL(base + '/');
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
  await page.waitForURL(base + '/');
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
  const context = await browser().newContext({ baseURL: base, colorScheme: 'dark', viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
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
