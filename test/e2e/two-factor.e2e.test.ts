// Two-factor sign-in in Chromium, with JavaScript (desktop, light) and without (phone,
// dark): Oracle's nudge leads to the account page; set up (a wrong code first, then
// the app's), the recovery codes shown once, new ones, the second sign-in step (a
// wrong code, a recovery code, the app's code), cancel and turn off. axe audits the
// account page in each state and the code page, in all four variants.
// Its own `wrangler dev` (fresh D1), and accounts of its own.
import type { BrowserContextOptions, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { fromBase32, totp } from '../../shared/auth/totp';
import { auditVariants, DESKTOP, PHONE_DARK } from './a11y';
import { openPage, PASSWORD, shot, signInOn, signUpOn, useBrowser, useDevServer } from './browser';

const browser = useBrowser();
const server = useDevServer();

const signUp = (page: Page, email: string) => signUpOn(page, server, email);

/** Email and password, then the code page. */
async function passwordStep(page: Page, email: string) {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/signin/two-factor');
  await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
}

const signOut = async (page: Page) => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${server.url}/`);
};

const recoveryCodes = async (page: Page) => (await page.locator('#recovery-codes').inputValue()).split('\n');

for (const [javaScriptEnabled, options] of [
  [true, DESKTOP],
  [false, PHONE_DARK],
] as Array<[boolean, BrowserContextOptions]>) {
  const tag = javaScriptEnabled ? 'js' : 'nojs';

  it(`two-factor sign-in, ${javaScriptEnabled ? 'with JavaScript (desktop, light)' : 'without JavaScript (phone, dark)'}`, async () => {
    const email = `twofactor-${tag}@example.com`;
    const context = await browser().newContext({ baseURL: server.url, javaScriptEnabled, ...options });
    const { page, problems } = await openPage(context);
    page.on('dialog', (d) => void d.accept());
    const audits: string[] = [];

    await signUp(page, email);
    // Oracle nudges; its link goes to the account page's section.
    await page.goto('/oracle');
    await page.getByRole('link', { name: 'Turn on two-factor sign-in' }).click();
    await page.waitForURL('**/account#two-factor');

    // Set up, cancel, set up again.
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    await page.getByRole('button', { name: 'Cancel setup' }).click();
    await page.getByText('Two-factor setup cancelled.').waitFor();
    await page.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    await page.getByRole('img', { name: /QR code/ }).waitFor();
    const secret = fromBase32((await page.locator('.secret-key').textContent()) ?? '')!;
    expect(secret).toHaveLength(20);
    await shot(page, `two-factor-${tag}-setup`);
    audits.push(...(await auditVariants(browser(), server.url, '/account', await context.storageState())));

    // A wrong code first: the message is at the field, the QR code still there.
    const code = await totp(secret, Date.now());
    await page.getByLabel('Enter the 6-digit code the app now shows').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    await page.getByText('That code does not match').waitFor();
    await page.getByLabel('Enter the 6-digit code the app now shows').fill(code);
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    await page.getByText('Your recovery codes.').waitFor();
    const first = await recoveryCodes(page);
    expect(first).toHaveLength(10);
    await page.getByText('10 recovery codes left.').waitFor();
    await shot(page, `two-factor-${tag}-codes`);

    // New codes replace them.
    await page.getByRole('button', { name: 'Make new recovery codes' }).click();
    await expect.poll(async () => (await recoveryCodes(page))[0]).not.toBe(first[0]);
    const codes = await recoveryCodes(page);
    audits.push(...(await auditVariants(browser(), server.url, '/account', await context.storageState())));
    await page.goto('/oracle');
    expect(await page.locator('.two-factor-nudge').count()).toBe(0);

    // Sign in again: the password, then an old recovery code (refused), then a current one.
    await signOut(page);
    await passwordStep(page, email);
    audits.push(...(await auditVariants(browser(), server.url, '/signin/two-factor', await context.storageState())));
    await shot(page, `two-factor-${tag}-second-step`);
    await page.getByLabel('Code').fill(first[0]!);
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.getByText('That code is not right, or it was already used.').waitFor();
    await page.getByLabel('Code').fill(codes[0]!);
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.waitForURL('**/account?notice=recovery-code-used#two-factor');
    await page.getByText('You signed in with a recovery code: it is spent.').waitFor();
    await page.getByText('9 recovery codes left.').waitFor();
    // The wrong code typed before is on the account's security activity.
    await page.locator('#security tbody tr', { hasText: 'Wrong two-factor code after your correct password' }).first().waitFor();

    // And with the app's code (the next step's: the one that turned it on is spent).
    await signOut(page);
    await passwordStep(page, email);
    await page.getByLabel('Code').fill(await totp(secret, Date.now() + 30_000));
    await page.getByRole('button', { name: 'Verify and sign in' }).click();
    await page.waitForURL(`${server.url}/`);
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    // Off: sign-in is one step again.
    await page.goto('/account#two-factor');
    await page.getByRole('button', { name: 'Turn off two-factor sign-in' }).click();
    await page.getByText('Two-factor sign-in is off.').waitFor();
    await signOut(page);
    await signInOn(page, server, email);

    expect(audits, audits.join('\n')).toEqual([]);
    expect(problems, problems.join('\n')).toEqual([]);
    await context.close();
  });
}
