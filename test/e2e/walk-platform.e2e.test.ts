// The platform's forms, each submitted from its page in Chromium, once with JavaScript
// (htmx swaps) and once without (plain posts and redirects): sign up, sign out, sign
// in, revoke one session, sign out the others, create and revoke a token, change the
// password (revoking tokens), and the admin's role / disable / enable buttons.
// coverage.e2e.test.ts checks that every unsafe route was walked like this.
// Its own `wrangler dev` (fresh D1): the first account made here is the admin.
import type { BrowserContext, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { openPage, PASSWORD, shot, signInOn, signUpOn, useBrowser, useDevServer } from './browser';

const browser = useBrowser();
const server = useDevServer();

const NEW_PASSWORD = 'a different horse battery staple';
/** The admin: the first account, made by the JavaScript walk. */
const ADMIN = 'root@example.com';

type Walker = { context: BrowserContext; page: Page; problems: string[] };

async function open(javaScriptEnabled: boolean): Promise<Walker> {
  const context = await browser().newContext({ baseURL: server.url, javaScriptEnabled, viewport: { width: 1280, height: 900 } });
  const { page, problems } = await openPage(context);
  // hx-confirm asks through window.confirm; playwright dismisses dialogs unless told.
  page.on('dialog', (d) => void d.accept());
  return { context, page, problems };
}

const signUp = (page: Page, email: string) => signUpOn(page, server, email);

const signIn = (page: Page, email: string, password = PASSWORD) => signInOn(page, server, email, password);

const bearer = (token: string) => fetch(`${server.url}/api/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

for (const javaScriptEnabled of [true, false]) {
  const tag = javaScriptEnabled ? 'js' : 'nojs';

  it(`account forms, ${javaScriptEnabled ? 'with' : 'without'} JavaScript: sign up/out/in, sessions, tokens, password`, async () => {
    const owner = javaScriptEnabled ? ADMIN : `owner-${tag}@example.com`;
    const me = await open(javaScriptEnabled);
    const { page } = me;

    await signUp(page, owner);
    if (javaScriptEnabled) await page.getByRole('link', { name: 'Users' }).waitFor(); // the first account: admin
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.getByRole('navigation', { name: 'Account' }).getByRole('link', { name: 'Sign in' }).waitFor();
    await signIn(page, owner);

    // A second browser of the same person: revoke it from the sessions table.
    const other = await open(javaScriptEnabled);
    await signIn(other.page, owner);
    await page.goto('/account');
    const rows = page.locator('#sessions tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await rows.filter({ hasNotText: 'this browser' }).getByRole('button', { name: 'Revoke' }).click();
    // With htmx the notice is in the swapped section; without, at the top of the reloaded page.
    await page.getByText('Session revoked.').waitFor();
    expect(await page.locator('#sessions tbody tr').count()).toBe(1);
    await other.page.goto('/account');
    await other.page.waitForURL('**/signin?next=%2Faccount');

    // Again, then "Sign out all other sessions".
    await signIn(other.page, owner);
    await page.goto('/account');
    await page.getByRole('button', { name: 'Sign out all other sessions' }).click();
    await page.getByText('Your other sessions were signed out.', { exact: true }).waitFor();
    await other.page.goto('/account');
    await other.page.waitForURL('**/signin?next=%2Faccount');
    await other.context.close();

    // A token: created (shown once), works, revoked from its row, stops working.
    await page.goto('/account');
    await page.getByLabel('Name', { exact: true }).fill(`walk ${tag}`);
    await page.getByRole('checkbox', { name: /account:read/ }).check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const first = await page.locator('#new-token').inputValue();
    expect(await bearer(first)).toBe(200);
    await shot(page, `walk-${tag}-token-created`);
    await page
      .locator('#tokens tbody tr', { hasText: `walk ${tag}` })
      .getByRole('button', { name: 'Revoke' })
      .click();
    await page
      .locator('#tokens tbody tr', { hasText: `walk ${tag}` })
      .getByText('revoked')
      .waitFor();
    expect(await bearer(first)).toBe(401);
    // Every cell of a row ends where the row does (a flex actions cell once did not, and
    // drew its bottom border apart from the row's).
    const bottoms = await page
      .locator('#tokens tbody tr, #sessions tbody tr')
      .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((td) => Math.round(td.getBoundingClientRect().bottom))));
    for (const row of bottoms) expect(new Set(row).size, `cell bottoms ${row.join(', ')}`).toBe(1);
    // Times: UTC from the server; with JavaScript, in the reader's zone and relative ("now").
    const when = page.locator('#tokens tbody tr', { hasText: `walk ${tag}` }).locator('td[data-label="Created"] time');
    if (javaScriptEnabled) {
      expect(await when.textContent()).toMatch(/^(now|\d+ (second|minute)s? ago|1 minute ago)$/);
      expect(await when.getAttribute('title')).toMatch(/\d{4}/);
    } else {
      expect(await when.textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    }

    // Another token, then a password change that revokes it: the table says so at once.
    await page.getByLabel('Name', { exact: true }).fill(`second ${tag}`);
    await page.getByRole('checkbox', { name: /account:read/ }).check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const second = await page.locator('#new-token').inputValue();
    expect(await bearer(second)).toBe(200);
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Repeat the new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('your API tokens were revoked').waitFor();
    expect(await bearer(second)).toBe(401);
    // No reload: the tokens table no longer offers to revoke what is already revoked.
    await page
      .locator('#tokens tbody tr', { hasText: `second ${tag}` })
      .getByText('revoked')
      .waitFor();
    expect(await page.locator('#tokens').getByRole('button', { name: 'Revoke' }).count()).toBe(0);
    await page.locator('#security tbody tr', { hasText: 'Password changed' }).first().waitFor();
    await shot(page, `walk-${tag}-password-changed`);

    // And back, so later walks sign in with the usual password.
    await page.getByLabel('Current password').fill(NEW_PASSWORD);
    await page.getByLabel('New password', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Repeat the new password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Change password' }).click();
    // (Exact: the first change's longer notice may still be on the page.)
    await page.getByText('Password changed. Your other sessions were signed out.', { exact: true }).waitFor();

    expect(me.problems, me.problems.join('\n')).toEqual([]);
    expect(other.problems, other.problems.join('\n')).toEqual([]);
    await me.context.close();
  });

  it(`the admin's user buttons, ${javaScriptEnabled ? 'with' : 'without'} JavaScript: role, disable, enable`, async () => {
    const memberEmail = `member-${tag}@example.com`;
    const member = await open(javaScriptEnabled);
    await signUp(member.page, memberEmail);
    await member.context.close();

    const admin = await open(javaScriptEnabled);
    const { page } = admin;
    await signIn(page, ADMIN);
    await page.getByRole('link', { name: 'Users' }).click();
    await page.waitForURL('**/admin/users');
    const row = () => page.locator('#users tbody tr', { hasText: memberEmail });

    await page.getByLabel(`Role of ${memberEmail}`).selectOption('agent');
    await row().getByRole('button', { name: 'Save' }).click();
    await row().getByText('✓ Saved').waitFor();
    expect(await page.getByLabel(`Role of ${memberEmail}`).inputValue()).toBe('agent');

    await row().getByRole('button', { name: 'Disable' }).click();
    await row().getByRole('button', { name: 'Enable' }).waitFor();
    expect(await row().getAttribute('class')).toContain('muted');
    await shot(page, `walk-${tag}-users-disabled`);
    await row().getByRole('button', { name: 'Enable' }).click();
    await row().getByRole('button', { name: 'Disable' }).waitFor();

    expect(admin.problems, admin.problems.join('\n')).toEqual([]);
    await admin.context.close();
  });
}
