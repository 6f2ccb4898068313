// Oracle in Chromium, as its users drive it. With JavaScript on a desktop (light):
// make a switch (a bad one first), add recipients (a webhook shows its secret once),
// seal a message in the browser and keep its key card, check in, edit, then move
// time forward (the cron at a later scheduled time), read the dispatch mail in the
// development outbox, and open the message as the recipient with the key card: the
// plain text appears in their browser. A warning's check-in link, a removed
// recipient, a deleted switch. Without JavaScript on a phone (dark): every form as a
// plain post, and the message page saying it needs JavaScript. An axe audit of each
// Oracle page, four ways. Screenshots in test-results/e2e/oracle-*.png.
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { auditVariants, DESKTOP, PHONE_DARK } from './a11y';
import { openWalker, shot, signedUpState, type StorageState, submit, useBrowser, useDevServer } from './browser';

const browser = useBrowser();
const server = useDevServer();

const HOUR = 3_600_000;
let admin: StorageState;
let member: StorageState;

const open = (b: Browser, options: BrowserContextOptions = {}) => openWalker(b, server, options);

beforeAll(async () => {
  // The first account is the admin: it reads the development outbox.
  admin = await signedUpState(browser(), server, 'owner@example.com');
  member = await signedUpState(browser(), server, 'nojs@example.com');
}, 60_000);

/** The Worker's cron, as if it ran at `at` (Miniflare's scheduled endpoint): time moves forward for the dispatcher. */
async function cron(at: number): Promise<void> {
  const res = await fetch(`${server.url}/cdn-cgi/local/scheduled?cron=${encodeURIComponent('* * * * *')}&time=${at}&format=json`);
  expect(await res.json()).toMatchObject({ outcome: 'ok' });
}

async function fillSettings(page: Page, s: { name: string; interval: string; grace: string; warnings: string }) {
  await page.getByLabel('Name', { exact: true }).fill(s.name);
  await page.getByLabel('Check in at least every').fill(s.interval);
  await page.getByLabel('Then wait (grace period)').fill(s.grace);
  await page.getByLabel('Warn me before the deadline').fill(s.warnings);
}

/** The newest mail in the development outbox whose subject matches: its check-in or open link. */
async function linkInOutbox(page: Page, subject: RegExp, label: RegExp): Promise<string> {
  await page.goto('/oracle/outbox');
  const item = page.locator('.oracle-mail > li', { hasText: subject }).first();
  await item.waitFor();
  const body = (await item.locator('.oracle-mail-body').textContent()) ?? '';
  const m = new RegExp(`${label.source}\\s*(\\S+)`).exec(body);
  if (!m) throw new Error(`no ${label} link in: ${body}`);
  return m[1]!;
}

it('with JavaScript: create, add recipients, seal a message, check in, edit; time passes; the recipient opens the message with the key card', async () => {
  const me = await open(browser(), { storageState: admin });
  const { page } = me;
  await page.goto('/oracle');
  await shot(page, 'oracle-01-home-empty');
  // A bad switch first: each field says what is wrong, and keeps what was typed.
  await fillSettings(page, { name: 'Papers', interval: '2d', grace: '3d', warnings: '1d, 5d' });
  await submit(page, 'Create switch');
  await page.getByText('Grace period: at most the check-in interval.').waitFor();
  await page.getByText(/5 days is not less than 2 days/).waitFor();
  expect(await page.getByLabel('Warn me before the deadline').inputValue()).toBe('1d, 5d');
  await fillSettings(page, { name: 'Papers', interval: '1h', grace: '0h', warnings: '' });
  await submit(page, 'Create switch');
  await page.waitForURL(/\/oracle\/switches\/[\w-]{22}\?done=created(#new-switch)?$/);
  const switchUrl = page.url().replace(/\?.*$/, '');
  await page.getByText('Switch created and armed.').waitFor();

  // Recipients: a bad address, then Ann by email and a webhook (its secret shown once).
  await page.getByLabel('Their name').fill('Ann');
  await page.getByLabel('Email address or webhook URL').fill('ann-at-example');
  await submit(page, 'Add recipient');
  await page.getByText('That is not an email address').waitFor();
  await page.getByLabel('Email address or webhook URL').fill('ann@example.com');
  await submit(page, 'Add recipient');
  await page.getByText('Recipient added. Write their message next.').waitFor();
  await page.getByLabel('Their name').fill('Bot');
  await page.getByLabel('Send by').selectOption('webhook');
  await page.getByLabel('Email address or webhook URL').fill('https://10.0.0.5/hook');
  await submit(page, 'Add recipient');
  await page.getByText('The webhook URL points to a private, loopback or reserved address.').waitFor();
  await page.getByLabel('Email address or webhook URL').fill('https://hooks.example.com/oracle');
  await submit(page, 'Add recipient');
  await page.getByText('it is not shown again').waitFor();
  expect(await page.locator('code.token-value').textContent()).toMatch(/^whsec_/);
  await shot(page, 'oracle-02-webhook-secret');
  await page.goto(switchUrl);
  expect(await page.getByText(/^whsec_/).count()).toBe(0);
  await page.getByText('2 recipients have no message').waitFor();
  // My own notices to a webhook too: its secret once, then it is listed (and removed again).
  await page.getByLabel('Also send my notices to a webhook (optional)').fill('https://hooks.example.com/owner');
  await submit(page, 'Add my webhook');
  await page.getByText('The signing secret of your own webhook').waitFor();
  await page.goto(switchUrl);
  await page.getByText('also go to the webhook').waitFor();
  await submit(page, 'Remove it');
  await page.getByText('Your webhook was removed').waitFor();

  // Seal Ann's message in the browser: the key card appears, the text never leaves.
  const posts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'POST') posts.push(r.postData() ?? '');
  });
  await page.locator('.oracle-recipient', { hasText: 'Ann' }).getByRole('link', { name: 'Write message' }).click();
  await page.getByRole('heading', { name: 'A sealed message for Ann' }).waitFor();
  const secretText = 'Ann, the deed is in the grey box under the stairs. Ψ';
  await page.getByLabel('Message', { exact: true }).fill(secretText);
  // An attachment, sealed with it (its name too).
  await page
    .getByLabel('Attachments (optional)')
    .setInputFiles({ name: 'deed-location.txt', mimeType: 'text/plain', buffer: Buffer.from('Box 14, First Bank') });
  await page.getByRole('button', { name: 'Seal and save' }).click();
  await page.getByRole('heading', { name: 'Key card for Ann' }).waitFor();
  const cardLink = (await page.locator('#oracle-keycard-link').textContent())!;
  const cardCode = (await page.locator('#oracle-keycard-code').textContent())!;
  expect(cardLink).toMatch(/\/oracle\/open\/[\w-]{22}#k=[\w-]{43}$/);
  expect(cardCode).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
  await shot(page, 'oracle-03-key-card');
  const card = new URL(cardLink).hash.slice(3);
  for (const body of posts) {
    expect(body).not.toContain('grey box');
    expect(body).not.toContain(card);
    expect(body).not.toContain('Box 14');
    expect(body).not.toContain('deed-location');
  }
  await page.getByRole('link', { name: 'I have saved it: back to the switch' }).click();
  await page.getByText(/Sealed message \(\d+ characters, 1 attachment of \d+ bytes?\)/).waitFor();
  // Cleo gets a message readable by Oracle (the weaker mode): no key card, the text goes out at dispatch.
  await page.getByLabel('Their name').fill('Cleo');
  await page.getByLabel('Email address or webhook URL').fill('cleo@example.com');
  await submit(page, 'Add recipient');
  await page.getByText('Recipient added. Write their message next.').waitFor();
  await page.locator('.oracle-recipient', { hasText: 'Cleo' }).getByRole('link', { name: 'Write message' }).click();
  const plainText = 'Cleo, feed the cat twice a day.';
  await page.getByLabel('Message', { exact: true }).fill(plainText);
  await page.getByLabel(/Without a key card/).check();
  await page.getByRole('button', { name: 'Seal and save' }).click();
  await page.getByRole('heading', { name: 'Saved, readable by Oracle' }).waitFor();
  expect(await page.locator('#oracle-keycard').isHidden()).toBe(true);
  await page.getByRole('link', { name: 'Back to the switch' }).click();
  await page.getByText(`Message readable by Oracle (${plainText.length} characters)`).waitFor();
  // Test it: the owner's summary goes to the outbox; nothing fires.
  await submit(page, 'Test this switch');
  await page.getByText('Test sent:').waitFor();
  await page.locator('table', { hasText: 'Test summary to you' }).waitFor();
  await cron(Date.now() + 30_000);
  await linkInOutbox(page, /Test of “Papers”: what happens when it fires/, /Your switch:/);
  await page.goto(switchUrl);

  // Remove the webhook recipient; pause and resume; check in; edit the settings.
  await page.getByRole('button', { name: 'Remove Bot' }).click();
  await page.getByText('Recipient removed, with their message.').waitFor();
  await page.getByLabel('Pause until').fill(new Date(Date.now() + 3 * 24 * HOUR).toISOString().slice(0, 10));
  await submit(page, 'Pause');
  await page.getByText('Paused until').first().waitFor();
  await submit(page, 'Check in and resume');
  await submit(page, 'Check in');
  await page.getByText('Checked in: the clock starts again from now.').waitFor();
  await page.getByRole('link', { name: 'Edit settings' }).click();
  await page.getByLabel('Check in at least every').fill('soon');
  await submit(page, 'Save');
  await page.getByText('write it like 30d, 12h or 2w').waitFor();
  await page.getByLabel('Check in at least every').fill('2h');
  await page.getByLabel('Warn me before the deadline').fill('1h');
  await submit(page, 'Save');
  await page.getByText('Saved.').waitFor();
  await shot(page, 'oracle-04-switch');

  // An hour and a minute on, the warning goes out; its link opens a page, its button checks in.
  const start = Date.now();
  await cron(start + HOUR + 60_000);
  const checkin = await linkInOutbox(page, /Check in: “Papers” is due in/, /Check in:/);
  await shot(page, 'oracle-05-outbox-warning');
  await page.goto(checkin);
  await page.getByText('Opening this page changed nothing').waitFor();
  await submit(page, 'Check in now');
  await page.getByText('is armed again').waitFor();

  // Three hours on (past the deadline, no grace), the switch fires; the dispatch mail is in the outbox.
  await cron(start + 3 * HOUR);
  await cron(start + 3 * HOUR + 60_000);
  const dispatch = await linkInOutbox(page, /A sealed message from/, /Open it here:/);
  expect(dispatch).toMatch(/#s=[\w-]{43}$/);
  // Cleo's mail carries the text itself.
  await page.locator('.oracle-mail > li', { hasText: 'A message from' }).filter({ hasText: plainText }).waitFor();
  await page.goto(switchUrl);
  await page
    .getByText(/^Fired/)
    .first()
    .waitFor();
  await page.locator('table', { hasText: 'Message to Ann' }).waitFor();
  await shot(page, 'oracle-06-fired');

  // The recipient: no account, the dispatch link, then the key card's code.
  const ann = await open(browser(), { ...DESKTOP });
  await ann.page.goto(dispatch);
  await ann.page.getByRole('heading', { name: 'A sealed message' }).waitFor();
  // The shares left the address bar.
  expect(ann.page.url()).not.toContain('#');
  await ann.page.getByLabel('Your key card').fill(cardCode);
  await ann.page.getByRole('button', { name: 'Open the message' }).click();
  await ann.page.locator('#oracle-plaintext-out', { hasText: secretText }).waitFor();
  // The attachment, decrypted in the page, saves under its own name.
  const [download] = await Promise.all([ann.page.waitForEvent('download'), ann.page.getByRole('link', { name: 'deed-location.txt' }).click()]);
  expect(download.suggestedFilename()).toBe('deed-location.txt');
  const saved = await download.createReadStream();
  let downloaded = '';
  for await (const chunk of saved) downloaded += chunk;
  expect(downloaded).toBe('Box 14, First Bank');
  await shot(ann.page, 'oracle-07-opened');
  // A wrong card says so (a new load: the same address with a new fragment would not reload the page).
  await ann.page.goto('about:blank');
  await ann.page.goto(dispatch);
  await ann.page.getByLabel('Your key card').fill('0'.repeat(64));
  await ann.page.getByRole('button', { name: 'Open the message' }).click();
  await ann.page.getByText('These keys do not open this message').waitFor();

  // A fired switch is kept (its recipients may still be opening their messages).
  await page.goto(switchUrl);
  await page.getByText('A switch that has fired is kept 30 days').waitFor();
  expect(await page.getByRole('button', { name: 'Delete switch' }).count()).toBe(0);

  // A trusted contact: told when grace starts, postpones once with their link.
  await page.goto('/oracle');
  await fillSettings(page, { name: 'Scratch', interval: '1h', grace: '1h', warnings: '' });
  await page.getByLabel('Trusted contact (optional)').fill('dana@example.com');
  await submit(page, 'Create switch');
  await page.getByText('Trusted contact: dana@example.com').waitFor();
  const scratchUrl = page.url().replace(/\?.*$/, '');
  await cron(Date.now() + HOUR + 5 * 60_000);
  const postpone = await linkInOutbox(page, /missed a check-in: you can postpone their switch once/, /by 3 days:/);
  const dana = await open(browser(), { ...PHONE_DARK });
  await dana.page.goto(postpone);
  await dana.page.getByText('Opening this page changed nothing').waitFor();
  await shot(dana.page, 'oracle-09-postpone');
  await submit(dana.page, 'Postpone by 3 days');
  await dana.page.getByRole('heading', { name: 'Postponed' }).waitFor();
  await page.goto(scratchUrl);
  await page.getByText(/postponed this deadline by 3 days/).waitFor();
  // Not fired: it can be deleted (the box must be ticked first).
  await submit(page, 'Delete switch');
  await page.getByText('Tick “Delete for good”').waitFor();
  await page.getByLabel(/Delete for good/).check();
  await submit(page, 'Delete switch');
  await page.waitForURL(`${server.url}/oracle?done=deleted`);
  await page.getByText('Switch deleted, with its recipients and messages.').waitFor();
  expect(dana.problems, dana.problems.join('\n')).toEqual([]);
  await dana.context.close();
  // A recipient who has an account here and is signed in: the open page's header forms
  // work (with "no-referrer", Chromium sent `Origin: null` and CSRF refused them).
  const reader = await open(browser(), { storageState: await signedUpState(browser(), server, 'reader@example.com') });
  await reader.page.goto(dispatch);
  await reader.page.getByRole('heading', { name: 'A sealed message' }).waitFor();
  await submit(reader.page, 'Sign out');
  await reader.page.getByRole('link', { name: 'Sign in' }).first().waitFor();
  expect(reader.problems, reader.problems.join('\n')).toEqual([]);
  await reader.context.close();
  expect(me.problems, me.problems.join('\n')).toEqual([]);
  expect(ann.problems, ann.problems.join('\n')).toEqual([]);
  await me.context.close();
  await ann.context.close();
});

it('without JavaScript on a phone: every form posts plainly; the message page says it needs JavaScript', async () => {
  const me = await open(browser(), { ...PHONE_DARK, storageState: member, javaScriptEnabled: false });
  const { page } = me;
  await page.goto('/oracle');
  await fillSettings(page, { name: '', interval: '7d', grace: '1d', warnings: '3d' });
  await submit(page, 'Create switch');
  await page.getByText('Give the switch a name.').waitFor();
  await fillSettings(page, { name: 'Phone switch', interval: '2h', grace: '1h', warnings: '1h' });
  await submit(page, 'Create switch');
  await page.getByText('Switch created and armed.').waitFor();
  const switchUrl = page.url().replace(/\?.*$/, '');
  await page.getByLabel('Their name').fill('Cat');
  await page.getByLabel('Email address or webhook URL').fill('cat@example.com');
  await submit(page, 'Add recipient');
  await page.getByText('Recipient added.').waitFor();
  // A long webhook URL wraps: the phone page never scrolls sideways.
  await page.getByLabel('Their name').fill('Long hook');
  await page.getByLabel('Send by').selectOption('webhook');
  await page.getByLabel('Email address or webhook URL').fill(`https://example.com/a/very/long/webhook/path/${'x'.repeat(120)}?token=abcdefghijklmnop`);
  await submit(page, 'Add recipient');
  await page.getByText('it is not shown again').waitFor();
  await page.goto(page.url().replace(/\/recipients.*$/, ''));
  expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
  await shot(page, 'oracle-08-nojs-phone-dark');
  // The message page: no JavaScript, no sealing; it says why.
  await page.locator('.oracle-recipient', { hasText: 'Cat' }).getByRole('link', { name: 'Write message' }).click();
  await page.getByText('Writing a sealed message needs JavaScript', { exact: false }).first().waitFor();
  // Nothing can be typed and lost: the form stays disabled without its script.
  expect(await page.getByLabel('Message', { exact: true }).isDisabled()).toBe(true);
  expect(await page.getByRole('button', { name: 'Seal and save' }).isDisabled()).toBe(true);
  await page.goto(switchUrl);
  await submit(page, 'Check in');
  await page.getByText('Checked in: the clock starts again from now.').waitFor();
  // The owner's own webhook: a private address is refused; a public one shows its secret once; removed.
  await page.getByLabel('Also send my notices to a webhook (optional)').fill('https://10.0.0.9/hook');
  await submit(page, 'Add my webhook');
  await page.getByText('The webhook URL', { exact: false }).first().waitFor();
  await page.getByLabel('Also send my notices to a webhook (optional)').fill('https://hooks.example.com/phone-owner');
  await submit(page, 'Add my webhook');
  await page.getByText('The signing secret of your own webhook').waitFor();
  await submit(page, 'Remove it');
  await page.getByText('Your webhook was removed').waitFor();
  // Pause: a past date is refused, a future one pauses.
  await page.getByLabel('Pause until').fill('2001-01-01');
  await submit(page, 'Pause');
  await page.getByText('Pick a date after today and within a year.').waitFor();
  await page.getByLabel('Pause until').fill(new Date(Date.now() + 5 * 24 * HOUR).toISOString().slice(0, 10));
  await submit(page, 'Pause');
  await page.getByText('Paused until').first().waitFor();
  await submit(page, 'Check in and resume');
  await page.getByText('Checked in: the clock starts again from now.').waitFor();
  await submit(page, 'Test this switch');
  await page.getByText('Test sent:').waitFor();
  await submit(page, 'Test this switch');
  await page.getByText('A switch can be tested once every 10 minutes').waitFor();
  await page.goto(switchUrl);
  await page.getByRole('link', { name: 'Edit settings' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Phone switch 2');
  await page.getByLabel('Trusted contact (optional)').fill('eli@example.com');
  await submit(page, 'Save');
  await page.getByText('Saved.').waitFor();
  // A warning's link, opened and pressed without JavaScript.
  await cron(Date.now() + HOUR + 60_000);
  const outbox = await open(browser(), { storageState: admin, javaScriptEnabled: false });
  const link = await linkInOutbox(outbox.page, /Check in: “Phone switch 2”/, /Check in:/);
  await outbox.context.close();
  await page.goto(link);
  await submit(page, 'Check in now');
  await page.getByText('is armed again').waitFor();
  // Two hours and a minute on, grace starts: the trusted contact postpones, without JavaScript.
  await cron(Date.now() + 2 * HOUR + 60_000);
  const reader = await open(browser(), { storageState: admin, javaScriptEnabled: false });
  const postpone = await linkInOutbox(reader.page, /missed a check-in: you can postpone their switch once/, /by 3 days:/);
  await reader.context.close();
  await page.goto(postpone);
  await submit(page, 'Postpone by 3 days');
  await page.getByRole('heading', { name: 'Postponed' }).waitFor();
  await page.goto(switchUrl);
  await page.getByRole('button', { name: 'Remove Cat' }).click();
  await page.getByText('Recipient removed, with their message.').waitFor();
  await page.getByLabel(/Delete for good/).check();
  await submit(page, 'Delete switch');
  await page.waitForURL(`${server.url}/oracle?done=deleted`);
  await page.getByText('Switch deleted, with its recipients and messages.').waitFor();
  expect(me.problems, me.problems.join('\n')).toEqual([]);
  await me.context.close();
});

it('axe: every Oracle page, desktop and phone, light and dark', async () => {
  // Pages to audit: a switch with a recipient and a sealed message, and what hangs off it.
  const me = await open(browser(), { storageState: admin });
  const { page } = me;
  await page.goto('/oracle');
  await fillSettings(page, { name: 'Audit', interval: '1d', grace: '1h', warnings: '6h' });
  await page.getByLabel('Trusted contact (optional)').fill('fay@example.com');
  await submit(page, 'Create switch');
  const switchPath = new URL(page.url()).pathname;
  await page.getByLabel('Their name').fill('Dee');
  await page.getByLabel('Email address or webhook URL').fill('dee@example.com');
  await submit(page, 'Add recipient');
  const messagePath = await page.getByRole('link', { name: 'Write message' }).getAttribute('href');
  await page.goto(messagePath!);
  await page.getByLabel('Message', { exact: true }).fill('hello');
  await page.getByRole('button', { name: 'Seal and save' }).click();
  await page.getByRole('heading', { name: 'Key card for Dee' }).waitFor();
  const openPath = new URL((await page.locator('#oracle-keycard-link').textContent())!).pathname;
  await cron(Date.now() + 18 * HOUR + 60_000);
  const checkin = new URL(await linkInOutbox(page, /Check in: “Audit”/, /Check in:/)).pathname;
  await cron(Date.now() + 24 * HOUR + 2 * 60_000);
  const postpone = new URL(await linkInOutbox(page, /missed a check-in: you can postpone their switch once/, /by 3 days:/)).pathname;
  await me.context.close();
  const found: string[] = [];
  const audit = async (path: string, state: StorageState | undefined) => found.push(...(await auditVariants(browser(), server.url, path, state)));
  await audit('/oracle', undefined);
  await audit('/oracle', admin);
  await audit(switchPath, admin);
  await audit(`${switchPath}/edit`, admin);
  await audit(messagePath!, admin);
  await audit(checkin, undefined);
  await audit(postpone, undefined);
  await audit(openPath, undefined);
  await audit('/oracle/outbox', admin);
  await audit('/oracle/failed', admin);
  expect(found, found.join('\n')).toEqual([]);
  // Ten pages four ways, after a switch is set up and fired: over a minute on a busy 2-core machine.
}, 240_000);
