// Every Lexicon form and button, submitted in Chromium twice: once with JavaScript
// (htmx swaps) and once without (plain forms, 303s, whole pages). Requester: new
// ticket, reply, search, follow-up on a closed ticket. Agent: new ticket, assign to
// me, assign from the menu, priority, tags, every status move to closed, reply,
// internal note, bulk status, bulk assign, search, "load more", "show earlier/later"
// in a long thread. Plus the layout findings: at 1280×800 the page does not scroll and
// the reply buttons are on screen; the bulk bar hides until a row is selected; the
// portal list is readable on a 390 px phone. Its own `wrangler dev` (fresh D1), seeded
// with a 60-comment ticket and 55 more tickets (paging needs more than a page).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { openPage, PASSWORD, shot, signInOn, useBrowser, useDevServer } from './browser';

const browser = useBrowser();
let longId: number;
const ADA = 'ada@example.com';
const RITA = 'rita@example.com';

/** A member who never signs in (no usable password), owning a 60-comment ticket and 55 more: seeded before the server starts. */
function seedFile(): string {
  const t = Date.now() - 3_600_000;
  const due = Date.now() + 30 * 24 * 3_600_000;
  const sql = `
    INSERT INTO users (email, display_name, password_hash, role, created_at, updated_at) VALUES ('seed@example.com', 'Seed Person', 'none', 'member', ${t}, ${t});
    INSERT INTO tickets (subject, body, creator_id, created_at, updated_at, first_response_due_at, resolution_due_at)
      SELECT 'Long thread', 'Sixty comments.', id, ${t}, ${t}, ${due}, ${due} FROM users WHERE email = 'seed@example.com';
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
    INSERT INTO lexicon_comments (ticket_id, author_id, body, internal, created_at)
      SELECT (SELECT id FROM tickets WHERE subject = 'Long thread'), (SELECT id FROM users WHERE email = 'seed@example.com'), 'Seeded comment #' || i || '.', 0, ${t} + i FROM n;
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 55)
    INSERT INTO tickets (subject, body, creator_id, created_at, updated_at, first_response_due_at, resolution_due_at)
      SELECT 'Seeded ticket ' || i, 'Filler.', (SELECT id FROM users WHERE email = 'seed@example.com'), ${t} - i, ${t} - i, ${due}, ${due} FROM n;
    SELECT id FROM tickets WHERE subject = 'Long thread';`;
  const file = join(mkdtempSync(join(tmpdir(), 'lexicon-e2e-')), 'seed.sql');
  writeFileSync(file, sql);
  return file;
}

const server = useDevServer({ seed: seedFile() });
beforeAll(async () => {
  longId = server.seedResults
    .flatMap((r) => r.results)
    .map((r) => r.id)
    .find((id): id is number => typeof id === 'number')!;
  // The first account to sign up is the admin (the seeded member is not one).
  const context = await browser().newContext({ baseURL: server.url });
  for (const [email, name] of [
    [ADA, 'Ada'],
    [RITA, 'Rita'],
  ]) {
    const page = await context.newPage();
    await page.goto('/signup');
    await page.getByLabel('Email').fill(email!);
    await page.getByLabel('Password').fill(PASSWORD);
    const display = page.getByLabel(/Display name/);
    if (await display.count()) await display.fill(name!);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${server.url}/`);
    await context.clearCookies();
  }
  await context.close();
}, 180_000);

type Mode = { js: boolean; tag: string };

async function signedIn(
  mode: Mode,
  email: string,
  viewport = { width: 1280, height: 800 },
): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser().newContext({
    baseURL: server.url,
    viewport,
    colorScheme: 'light',
    javaScriptEnabled: mode.js,
  });
  const { page, problems } = await openPage(context);
  await signInOn(page, server, email);
  return { context, page, problems };
}

const ticketIdOf = (page: Page) => Number(new URL(page.url()).pathname.split('/').pop());

for (const mode of [
  { js: true, tag: 'JS' },
  { js: false, tag: 'NoJS' },
] satisfies Mode[]) {
  it(`every Lexicon form and button, ${mode.js ? 'with' : 'without'} JavaScript`, async () => {
    const requester = await signedIn(mode, RITA);
    const agent = await signedIn(mode, ADA);
    const R = requester.page;
    const A = agent.page;

    // ---- requester: new ticket, reply, search
    await R.goto('/lexicon?utm_source=newsletter'); // unknown parameters are ignored
    await R.getByRole('link', { name: 'New ticket' }).click();
    await R.getByLabel('Subject').fill(`Laptop fan ${mode.tag}`);
    await R.getByLabel('What happened?').fill('The fan is loud.');
    await R.getByRole('button', { name: 'Create ticket' }).click();
    await R.waitForURL(/\/lexicon\/tickets\/\d+$/);
    const id = ticketIdOf(R);
    await R.getByLabel('Reply').fill(`More detail ${mode.tag}`);
    await R.getByRole('button', { name: 'Send reply' }).click();
    await R.locator('.lx-comment-body', { hasText: `More detail ${mode.tag}` }).waitFor();
    await R.goto('/lexicon');
    await R.getByLabel('Search tickets').fill(`fan ${mode.tag}`);
    await R.getByRole('button', { name: 'Search', exact: true }).click();
    await R.locator('#lx-rows .lx-subj', { hasText: `Laptop fan ${mode.tag}` }).waitFor();

    // ---- agent: the bulk bar hides until a row is selected; new ticket
    await A.goto('/lexicon');
    await A.locator('#lx-rows > .lx-row').first().waitFor();
    expect(await A.locator('#lx-bulk').isVisible(), 'bulk bar with nothing selected').toBe(false);
    await A.locator('#lx-new').click();
    await A.getByLabel('Subject').fill(`Agent ticket ${mode.tag}`);
    await A.getByLabel('What happened?').fill('Made by an agent.');
    await A.getByLabel('Priority').selectOption('high');
    await A.getByRole('button', { name: 'Create ticket' }).click();
    await A.locator('#lx-pane .lx-ticket h2', { hasText: `Agent ticket ${mode.tag}` }).waitFor();
    await A.waitForURL(/\/lexicon\/tickets\/\d+$/);
    const agentTicket = ticketIdOf(A);

    // ---- agent works the requester's ticket: every action form in the pane
    await A.goto(`/lexicon/tickets/${id}`);
    const pane = A.locator('#lx-pane');
    await pane.locator('.lx-meta', { hasText: `Rita <${RITA}>` }).waitFor(); // the address next to the name
    await pane.getByRole('button', { name: /Assign to me/ }).click();
    await pane.locator('.lx-meta', { hasText: 'assignee Ada' }).waitFor();
    await pane.getByLabel('Assignee', { exact: true }).selectOption('');
    await pane.getByRole('button', { name: 'Assign', exact: true }).click();
    await pane.locator('.lx-meta', { hasText: 'assignee nobody' }).waitFor();
    await pane.getByLabel('Priority', { exact: true }).selectOption('urgent');
    await pane.getByRole('button', { name: 'Set', exact: true }).click();
    await pane.locator('.lx-meta .pr-urgent').waitFor();
    await pane.getByLabel('Tags', { exact: true }).fill(`hardware, ${mode.tag.toLowerCase()}`);
    await pane.getByRole('button', { name: 'Save', exact: true }).click();
    await pane.locator('.lx-taglist .tag', { hasText: 'hardware' }).waitFor();
    await pane.locator('.lx-status').getByRole('button', { name: 'Open', exact: true }).click();
    await pane.locator('.lx-meta .st-open').waitFor();
    await pane.getByLabel('Reply or note').fill(`Agent reply ${mode.tag}`);
    await pane.getByRole('button', { name: 'Send reply' }).click();
    await pane.locator('.lx-comment.from-staff .lx-comment-body', { hasText: `Agent reply ${mode.tag}` }).waitFor();
    await pane.getByLabel('Reply or note').fill(`Agent note ${mode.tag}`);
    await pane.getByRole('button', { name: 'Add internal note' }).click();
    await pane.locator('.lx-comment.internal', { hasText: `Agent note ${mode.tag}` }).waitFor();
    if (mode.js) {
      // The note just sent is in view, above the sticky reply form, not hidden under it.
      await A.waitForTimeout(300); // smooth scrolling
      const note = await pane.locator('.lx-comment.internal', { hasText: `Agent note ${mode.tag}` }).boundingBox();
      const form = await pane.locator('form.lx-reply').boundingBox();
      const box = await pane.boundingBox();
      expect(note!.y, 'note below the pane top').toBeGreaterThanOrEqual(box!.y - 1);
      expect(note!.y + note!.height, 'note above the reply form').toBeLessThanOrEqual(form!.y + 1);
    }
    for (const [button, status] of [
      ['Pending', 'pending'],
      ['Resolve', 'resolved'],
      ['Reopen', 'open'],
      ['Resolve', 'resolved'],
      ['Close', 'closed'],
    ] as const) {
      await pane.locator('.lx-status').getByRole('button', { name: button, exact: true }).click();
      await pane.locator(`.lx-meta .st-${status}`).waitFor();
    }
    // Closed: nothing to change any more, so nothing is offered.
    expect(await pane.locator('.lx-status, .lx-assign, .lx-priority').count()).toBe(0);
    await pane.getByText('A closed ticket stays closed').waitFor();

    // ---- requester: a reply to the closed ticket opens a follow-up
    await R.goto(`/lexicon/tickets/${id}`);
    await R.getByLabel('What happened?').fill(`Back again ${mode.tag}`);
    await R.getByRole('button', { name: 'Open a follow-up' }).click();
    await R.waitForURL((url) => /\/lexicon\/tickets\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${id}`));
    await R.locator('.lx-link', { hasText: `Follow-up to #${id}` }).waitFor();

    // ---- agent: bulk status, then bulk assign (the bar shows once a box is ticked)
    await A.goto('/lexicon?queue=new');
    await A.locator(`#t-${agentTicket} input[type=checkbox]`).check();
    await A.locator('#lx-bulk').waitFor({ state: 'visible' });
    await A.getByLabel('New status for the selected tickets').selectOption('open');
    await A.locator('#lx-bulk').getByRole('button', { name: 'Set status' }).click();
    if (mode.js) await A.getByText('1 of 1 tickets changed.').waitFor();
    else await A.waitForURL(/\/lexicon$/);
    await A.goto('/lexicon?queue=open');
    await expect.poll(() => A.locator(`#t-${agentTicket} .st`).textContent()).toBe('open');
    await A.locator(`#t-${agentTicket} input[type=checkbox]`).check();
    await A.getByLabel('Assignee for the selected tickets').selectOption('me');
    await A.locator('#lx-bulk').getByRole('button', { name: 'Assign', exact: true }).click();
    if (mode.js) await A.getByText('1 of 1 tickets changed.').waitFor();
    else await A.waitForURL(/\/lexicon$/);
    await A.goto('/lexicon?queue=mine');
    await A.locator(`#t-${agentTicket}`).waitFor();

    // ---- agent: search (the GET form), "load more"
    await A.getByLabel('Search tickets').fill(`Agent ticket ${mode.tag}`);
    await A.locator('.lx-toolbar').getByRole('button', { name: 'Search', exact: true }).click();
    await A.locator('#lx-rows .lx-subj', { hasText: `Agent ticket ${mode.tag}` }).waitFor();
    await A.goto('/lexicon?queue=new');
    expect(await A.locator('#lx-rows > .lx-row').count()).toBe(50);
    await A.getByRole('link', { name: 'Load 50 more' }).click();
    await expect.poll(() => A.locator('#lx-rows > .lx-row .lx-subj', { hasText: 'Seeded ticket 55' }).count()).toBe(1);

    // ---- agent: a long thread pages back and forth; at 1280×800 the page does not scroll and the reply buttons are on screen
    await A.goto(`/lexicon/tickets/${longId}`);
    await A.locator('.lx-comment-body', { hasText: 'Seeded comment #60.' }).waitFor();
    expect(await A.locator('.lx-comment-body', { hasText: 'Seeded comment #1.' }).count()).toBe(0);
    const fold = await A.evaluate<{ page: number; view: number }>('({ page: document.documentElement.scrollHeight, view: window.innerHeight })');
    expect(fold.page, 'the page itself does not scroll').toBeLessThanOrEqual(fold.view + 1);
    for (const name of ['Send reply', 'Add internal note']) {
      const box = await A.getByRole('button', { name }).boundingBox();
      expect(box!.y + box!.height, `${name} above the fold`).toBeLessThanOrEqual(800);
    }
    if (mode.js) await shot(A, 'lexicon-forms-01-long-thread-1280x800');
    await A.getByRole('link', { name: 'Show earlier comments' }).click();
    await A.locator('.lx-comment-body', { hasText: 'Seeded comment #1.' }).waitFor();
    if (mode.js) {
      // In place: the newest are still there, nothing twice.
      expect(await A.locator('.lx-comment').count()).toBe(60);
    } else {
      // A page at that window, with the way back.
      await A.getByRole('link', { name: 'Show later comments' }).click();
      await A.locator('.lx-comment-body', { hasText: 'Seeded comment #60.' }).waitFor();
    }

    // ---- the requester's list on a phone: badges whole, dates on one line
    const phone = await signedIn(mode, RITA, { width: 390, height: 844 });
    await phone.page.goto('/lexicon');
    await phone.page.locator('#lx-rows > .lx-row').first().waitFor();
    // (A string: this project compiles without the DOM library; the code runs in the page.)
    const cramped = await phone.page.evaluate<string[]>(`(() => {
      const out = [];
      for (const el of document.querySelectorAll('#lx-rows .lx-row .st, #lx-rows .lx-row time')) {
        const lines = Math.round(el.getBoundingClientRect().height / (parseFloat(getComputedStyle(el).lineHeight) || 20));
        if (el.scrollWidth > el.clientWidth + 1 || lines > 1) out.push(el.tagName + ' "' + el.textContent + '" ' + el.scrollWidth + '>' + el.clientWidth + ' lines=' + lines);
        if (el.getBoundingClientRect().right > el.closest('.lx-row').getBoundingClientRect().right + 1) out.push(el.textContent + ' overflows its row');
      }
      return out;
    })()`);
    expect(cramped, cramped.join('\n')).toEqual([]);
    if (mode.js) await shot(phone.page, 'lexicon-forms-02-portal-390');

    const problems = [...requester.problems, ...agent.problems, ...phone.problems];
    expect(problems, problems.join('\n')).toEqual([]);
    await Promise.all([requester.context.close(), agent.context.close(), phone.context.close()]);
  }, 180_000);
}
