// Lexicon in Chromium: an agent triages a new ticket with the keyboard only
// (j, o, a, s) while the queue counts update in place, and a requester's reply
// reopens a pending ticket. Its own `wrangler dev` (fresh D1), so the first
// account here is the admin whatever the other browser tests did.
import type { BrowserContext, Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { openPage, PASSWORD, shot, signInOn, useBrowser, useDevServer } from './browser';

const browser = useBrowser();
const server = useDevServer();

async function signUp(context: BrowserContext, email: string, name: string): Promise<{ page: Page; problems: string[] }> {
  const { page, problems } = await openPage(context);
  await page.goto('/signup');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  const display = page.getByLabel(/Display name/);
  if (await display.count()) await display.fill(name);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(`${server.url}/`);
  return { page, problems };
}

/** The live count of a queue in the side nav. */
const count = (page: Page, queue: string) => page.locator(`#lx-queues [data-queue="${queue}"]`).textContent().then(Number);

async function expectCount(page: Page, queue: string, n: number) {
  await expect.poll(() => count(page, queue), { message: `${queue} count` }).toBe(n);
}

it('an agent triages a new ticket with the keyboard only; a requester reply reopens it', async () => {
  const agentContext = await browser().newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 }, colorScheme: 'light' });
  const requesterContext = await browser().newContext({ baseURL: server.url, viewport: { width: 1280, height: 860 }, colorScheme: 'light' });
  const agentPage = await signUp(agentContext, 'ada@example.com', 'Ada'); // the first account: admin, so staff
  const requesterPage = await signUp(requesterContext, 'rita@example.com', 'Rita');
  const agent = agentPage.page;
  const requester = requesterPage.page;

  // The requester files two tickets from the portal.
  await requester.goto('/lexicon');
  await requester.getByRole('heading', { name: 'Your tickets' }).waitFor();
  for (const [subject, body] of [
    ['Printer on 3rd floor jams on duplex', 'Every duplex job jams after the first page. Model: see https://example.com/printers/hp-m507'],
    ['VPN disconnects every hour', 'Since Monday; the client says "session expired".'],
  ]) {
    await requester.getByRole('link', { name: 'New ticket' }).click();
    await requester.getByLabel('Subject').fill(subject!);
    await requester.getByLabel('What happened?').fill(body!);
    await requester.getByRole('button', { name: 'Create ticket' }).click();
    await requester.waitForURL(/\/lexicon\/tickets\/\d+$/);
    await requester.getByRole('heading', { name: subject }).waitFor();
    await requester.getByRole('link', { name: '← Your tickets' }).click();
  }
  await shot(requester, 'lexicon-01-portal');

  // The agent's queue: two new, unassigned tickets, none mine.
  await agent.goto('/lexicon');
  await agent.locator('#lx-rows > .lx-row').first().waitFor();
  await expectCount(agent, 'new', 2);
  await expectCount(agent, 'unassigned', 2);
  await expectCount(agent, 'mine', 0);
  await shot(agent, 'lexicon-02-queue');

  // Keyboard only from here: j moves, o opens into the pane (URL pushed, list stays).
  await agent.keyboard.press('j');
  await agent.keyboard.press('j');
  await expect.poll(() => agent.locator('#lx-rows > .lx-row.is-cursor').count()).toBe(1);
  const cursorSubject = await agent.locator('#lx-rows > .lx-row.is-cursor .lx-subj').textContent();
  expect(cursorSubject).toBe('Printer on 3rd floor jams on duplex'); // newest first: the second row is the first ticket
  await agent.keyboard.press('o');
  await agent.locator('#lx-pane .lx-ticket h2', { hasText: cursorSubject! }).waitFor();
  expect(agent.url()).toMatch(/\/lexicon\/tickets\/\d+$/);
  const ticketId = agent.url().split('/').pop()!;
  expect(await agent.locator('#lx-rows > .lx-row').count()).toBe(2); // nothing else re-rendered
  await expect.poll(() => agent.locator(`#t-${ticketId}.is-open`).count()).toBe(1);
  // The link in the description is clickable and safe.
  expect(await agent.locator('#lx-pane .lx-body a').getAttribute('rel')).toBe('nofollow noopener noreferrer ugc');

  // a: assign to me. The pane, the row and the counts update.
  await agent.keyboard.press('a');
  await agent.locator('#lx-pane .lx-meta', { hasText: 'assignee Ada' }).waitFor();
  await expectCount(agent, 'mine', 1);
  await expectCount(agent, 'unassigned', 1);
  await expect.poll(() => agent.locator(`#t-${ticketId} .lx-meta`).textContent()).toContain('Ada');

  // s: focus the status buttons; Enter takes the first (Open).
  await agent.keyboard.press('s');
  expect(await agent.evaluate<string>('document.activeElement?.textContent')).toBe('Open');
  await agent.keyboard.press('Enter');
  await agent.locator('#lx-pane .lx-meta .st-open').waitFor();
  await expectCount(agent, 'new', 1);
  await expectCount(agent, 'open', 1);
  // It is no longer new, so it leaves the New list on screen (the other new ticket stays).
  await expect.poll(() => agent.locator(`#t-${ticketId}`).count()).toBe(0);
  expect(await agent.locator('#lx-rows > .lx-row').count()).toBe(1);
  await shot(agent, 'lexicon-03-triaged');

  // s again, Enter on its first button (Pending): waiting on the requester.
  await agent.keyboard.press('s');
  expect(await agent.evaluate<string>('document.activeElement?.textContent')).toBe('Pending');
  await agent.keyboard.press('Enter');
  await agent.locator('#lx-pane .lx-meta .st-pending').waitFor();
  await expectCount(agent, 'open', 0);
  await expectCount(agent, 'pending', 1);

  // ? shows the shortcuts; Escape closes them. / focuses search.
  await agent.keyboard.press('?');
  await agent.locator('#lx-help[open]').waitFor();
  await shot(agent, 'lexicon-04-shortcuts');
  await agent.keyboard.press('Escape');
  await expect.poll(() => agent.locator('#lx-help[open]').count()).toBe(0);
  await agent.keyboard.press('/');
  expect(await agent.evaluate<string>('document.activeElement?.id')).toBe('lx-search');
  await agent.keyboard.type('VPN');
  await agent.locator('#lx-list h2', { hasText: 'Search: VPN' }).waitFor();
  expect(await agent.locator('#lx-rows > .lx-row').count()).toBe(1);
  await agent.keyboard.press('Escape');

  // The requester sees the agent's status on their ticket, replies, and the ticket reopens.
  await requester.goto(`/lexicon/tickets/${ticketId}`);
  await requester.locator('.lx-meta .st-pending').waitFor();
  expect(await requester.locator('.lx-actions').count()).toBe(0);
  await requester.getByLabel('Reply').fill('Still jamming after the firmware update.');
  await requester.getByRole('button', { name: 'Send reply' }).click();
  await requester.getByText('Your reply reopened the ticket.').waitFor();
  await requester.locator('.lx-meta .st-open').waitFor();
  expect(await requester.locator('.lx-comment-body').last().textContent()).toBe('Still jamming after the firmware update.');
  await shot(requester, 'lexicon-05-requester-reopened');

  // Back on the agent's screen the reopened ticket shows in Open.
  await agent.goto('/lexicon?queue=open');
  await agent.locator(`#t-${ticketId}`).waitFor();
  await expectCount(agent, 'open', 1);
  await expectCount(agent, 'pending', 0);
  await agent.locator(`#t-${ticketId} .lx-subj`).click();
  await agent.locator('#lx-pane .lx-comment-body', { hasText: 'Still jamming' }).waitFor();
  await agent.locator('#lx-pane details.lx-history summary').click();
  await shot(agent, 'lexicon-06-agent-history');
  const history = await agent.locator('#lx-pane .lx-history li').allTextContents();
  expect(history.map((h) => h.replace(/^[^·]*· /, ''))).toEqual([
    expect.stringMatching(/Rita <rita@example\.com> created the ticket/), // agents see the address behind a display name
    expect.stringMatching(/changed the assignee: — → Ada/),
    expect.stringMatching(/changed status: new → open/),
    expect.stringMatching(/changed status: open → pending/),
    expect.stringMatching(/changed status: pending → open/),
    expect.stringMatching(/replied/),
  ]);

  expect([...agentPage.problems, ...requesterPage.problems], [...agentPage.problems, ...requesterPage.problems].join('\n')).toEqual([]);
  await agentContext.close();
  await requesterContext.close();
});

it('bulk: select a row with x and move it; an invalid move is refused with a message and changes nothing', async () => {
  const context = await browser().newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 } });
  const { page, problems } = await openPage(context);
  await signInOn(page, server, 'ada@example.com');
  await page.goto('/lexicon?queue=new');
  await page.locator('#lx-rows > .lx-row').first().waitFor();
  await expectCount(page, 'new', 1);
  await page.keyboard.press('j');
  await page.keyboard.press('x');
  expect(await page.locator('#lx-rows input[type=checkbox]:checked').count()).toBe(1);
  const open = await count(page, 'open');
  // New → open is allowed; the row is re-rendered in place and the counts follow.
  await page.getByLabel('New status for the selected tickets').selectOption('open');
  await page.getByRole('button', { name: 'Set status' }).click();
  await page.getByText('1 of 1 tickets changed.').waitFor();
  await expectCount(page, 'new', 0);
  await expectCount(page, 'open', open + 1);
  expect(await page.locator('#lx-rows > .lx-row.is-cursor .st').textContent()).toBe('open');
  // Open → closed is not (resolve first): refused, with the ticket named, nothing changed.
  await page.getByLabel('New status for the selected tickets').selectOption('closed');
  await page.getByRole('button', { name: 'Set status' }).click();
  await page.getByText(/Nothing was changed: #\d+ \(open\) cannot become closed/).waitFor();
  await expectCount(page, 'open', open + 1);
  await expectCount(page, 'closed', 0);
  await shot(page, 'lexicon-07-bulk-refused');
  expect(problems, problems.join('\n')).toEqual([]);
  await context.close();
});

// ---------------------------------------------------------------- issue 9: forms as people use them

async function signIn(context: BrowserContext, email: string): Promise<{ page: Page; problems: string[] }> {
  const { page, problems } = await openPage(context);
  await signInOn(page, server, email);
  return { page, problems };
}

/** How many tickets an agent finds with exactly this subject (the search page, which works without JS). */
async function ticketsCalled(page: Page, subject: string): Promise<number> {
  await page.goto(`/lexicon/search?q=${encodeURIComponent(subject)}`);
  return (await page.locator('#lx-rows .lx-subj').allTextContents()).filter((s) => s === subject).length;
}

it('an internal note lands in the one pane and empties the box; a blank reply is told so under the box', async () => {
  const context = await browser().newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 } });
  const { page, problems } = await signIn(context, 'ada@example.com');
  await page.goto('/lexicon?queue=open');
  await page.locator('#lx-rows > .lx-row .lx-subj').first().click();
  await page.locator('#lx-pane .lx-ticket').waitFor();
  await page.getByLabel('Reply or note').fill('Vendor says a new fuser is due Friday.');
  await page.getByRole('button', { name: 'Add internal note' }).click();
  await page.locator('#lx-pane .lx-comment.internal', { hasText: 'Vendor says a new fuser' }).waitFor();
  expect(await page.locator('.lx-ticket').count()).toBe(1);
  expect(await page.locator('#lx-pane').count()).toBe(1);
  expect(await page.locator('button .lx-ticket, button article').count()).toBe(0);
  expect(await page.getByLabel('Reply or note').inputValue()).toBe('');
  // Whitespace passes the browser's `required`; the server answers next to the box.
  await page.getByLabel('Reply or note').fill('   ');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await page.locator('#lx-pane .lx-reply .error', { hasText: 'Write something first.' }).waitFor();
  expect(await page.locator('#flash').textContent()).toBe('');
  expect(await page.locator('.lx-ticket').count()).toBe(1);
  await shot(page, 'lexicon-08-note-and-field-error');
  expect(problems, problems.join('\n')).toEqual([]);
  await context.close();
});

it('double-clicking "Create ticket" makes one ticket: agent and requester with JavaScript, requester without', async () => {
  const agentContext = await browser().newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 } });
  const agent = await signIn(agentContext, 'ada@example.com');
  await agent.page.goto('/lexicon');
  await agent.page.locator('#lx-new').click();
  await agent.page.getByLabel('Subject').fill('Agent double click');
  await agent.page.getByLabel('What happened?').fill('Once, please.');
  await agent.page.getByRole('button', { name: 'Create ticket' }).dblclick();
  await agent.page.locator('#lx-pane .lx-ticket h2', { hasText: 'Agent double click' }).waitFor();
  // The new ticket's row appears at the top of the New list at once (no reload), exactly once.
  await expect.poll(() => agent.page.locator('#lx-rows .lx-row', { hasText: 'Agent double click' }).count()).toBe(1);
  expect(await agent.page.locator('#lx-rows .lx-row').first().textContent()).toContain('Agent double click');
  expect(await agent.page.locator('.lx-empty').isVisible()).toBe(false);

  const cases: Array<[string, boolean]> = [
    ['Requester double click with JS', true],
    ['Requester double click without JS', false],
  ];
  for (const [subject, javaScriptEnabled] of cases) {
    const context = await browser().newContext({ baseURL: server.url, javaScriptEnabled });
    const { page, problems } = await signIn(context, 'rita@example.com');
    await page.goto('/lexicon/tickets/new');
    await page.getByLabel('Subject').fill(subject);
    await page.getByLabel('What happened?').fill('Once, please.');
    await page.getByRole('button', { name: 'Create ticket' }).dblclick();
    await page.waitForURL(/\/lexicon\/tickets\/\d+$/);
    await page.getByRole('heading', { name: subject }).waitFor();
    // Without JavaScript the second click cancels the first navigation (the browser
    // aborts waiting for its answer; the request itself reached the server): expected.
    const unexpected = problems.filter((p) => javaScriptEnabled || !/^requestfailed: \S+\/lexicon\/tickets net::ERR_ABORTED/.test(p));
    expect(unexpected, unexpected.join('\n')).toEqual([]);
    await context.close();
  }
  for (const subject of ['Agent double click', ...cases.map(([s]) => s)]) expect(await ticketsCalled(agent.page, subject), subject).toBe(1);
  expect(agent.problems, agent.problems.join('\n')).toEqual([]);
  await agentContext.close();
});

it('a portal validation error shows the form once, with the message by the field (blank subject, then 11 tags)', async () => {
  const context = await browser().newContext({ baseURL: server.url });
  const { page, problems } = await signIn(context, 'rita@example.com');
  await page.goto('/lexicon');
  await page.getByRole('link', { name: 'New ticket' }).click();
  await page.getByLabel('Subject').fill('   ');
  await page.getByLabel('What happened?').fill('The screen flickers.');
  await page.getByRole('button', { name: 'Create ticket' }).click();
  await page.locator('.lx-new .field.has-error .error', { hasText: 'A subject is required.' }).waitFor();
  const once = async () => {
    expect(await page.locator('form.lx-new').count()).toBe(1);
    expect(await page.locator('#lx-pane').count()).toBe(1);
    expect(await page.locator('.lx-portal').count()).toBe(1);
  };
  await once();
  await page.getByLabel('Subject').fill('Screen flickers');
  await page.getByLabel('Tags').fill(Array.from({ length: 11 }, (_, i) => `t${i}`).join(', '));
  await page.getByRole('button', { name: 'Create ticket' }).click();
  await page.locator('.lx-new .field.has-error .error', { hasText: 'At most 10 tags.' }).waitFor();
  await once();
  expect(await page.getByLabel('What happened?').inputValue()).toBe('The screen flickers.');
  await shot(page, 'lexicon-09-portal-field-error');
  await page.getByLabel('Tags').fill('display');
  await page.getByRole('button', { name: 'Create ticket' }).click();
  await page.waitForURL(/\/lexicon\/tickets\/\d+$/);
  await page.getByRole('heading', { name: 'Screen flickers' }).waitFor();
  expect(await page.locator('.lx-meta .st').textContent()).toBe('Received');
  expect(problems, problems.join('\n')).toEqual([]);
  await context.close();
});

it("without JavaScript the agent's ticket page lists its queue, and reply, note and field errors work", async () => {
  const context = await browser().newContext({ baseURL: server.url, javaScriptEnabled: false, viewport: { width: 1440, height: 900 } });
  const { page, problems } = await signIn(context, 'ada@example.com');
  await page.goto('/lexicon?queue=new');
  const href = await page.locator('#lx-rows > .lx-row .lx-subj').first().getAttribute('href');
  await page.goto(href!);
  expect(await page.getByText(/Loading/).count()).toBe(0);
  expect(await page.locator('#lx-rows > .lx-row').count()).toBeGreaterThan(0);
  expect(await page.locator(`#lx-rows a[href="${href}"]`).count()).toBe(1);
  await page.getByLabel('Reply or note').fill('No-JS internal note');
  await page.getByRole('button', { name: 'Add internal note' }).click();
  await page.locator('.lx-comment.internal', { hasText: 'No-JS internal note' }).waitFor();
  expect(await page.locator('.lx-ticket').count()).toBe(1);
  await page.getByLabel('Reply or note').fill('   ');
  await page.getByRole('button', { name: 'Send reply' }).click();
  await page.locator('.lx-reply .error', { hasText: 'Write something first.' }).waitFor();
  expect(await page.locator('#lx-rows > .lx-row').count()).toBeGreaterThan(0);
  await shot(page, 'lexicon-10-no-js-ticket');
  expect(problems, problems.join('\n')).toEqual([]);
  await context.close();
});

it('a requester replying to a closed ticket opens a linked follow-up; the closed one stays closed', async () => {
  const agentContext = await browser().newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 } });
  const requesterContext = await browser().newContext({ baseURL: server.url });
  const agent = await signIn(agentContext, 'ada@example.com');
  const requester = await signIn(requesterContext, 'rita@example.com');
  // The requester files a ticket; the agent opens, resolves and closes it from the pane.
  await requester.page.goto('/lexicon/tickets/new');
  await requester.page.getByLabel('Subject').fill('Badge reader rejects my card');
  await requester.page.getByLabel('What happened?').fill('Door 3.');
  await requester.page.getByRole('button', { name: 'Create ticket' }).click();
  await requester.page.waitForURL(/\/lexicon\/tickets\/\d+$/);
  const id = requester.page.url().split('/').pop()!;
  await agent.page.goto(`/lexicon/tickets/${id}`);
  for (const [button, status] of [
    ['Open', 'open'],
    ['Resolve', 'resolved'],
    ['Close', 'closed'],
  ] as const) {
    await agent.page.locator('#lx-pane .lx-status').getByRole('button', { name: button, exact: true }).click();
    await agent.page.locator(`#lx-pane .lx-meta .st-${status}`).waitFor();
  }
  // The requester sees plain words and a way to follow up.
  await requester.page.goto(`/lexicon/tickets/${id}`);
  expect(await requester.page.locator('.lx-meta .st').textContent()).toBe('Closed');
  await requester.page.getByLabel('What happened?').fill('It rejects it again since this morning.');
  await requester.page.getByRole('button', { name: 'Open a follow-up' }).click();
  await requester.page.waitForURL((url) => /\/lexicon\/tickets\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${id}`));
  await requester.page.locator('.lx-link', { hasText: `Follow-up to #${id}` }).waitFor();
  expect(await requester.page.locator('#lx-subject').textContent()).toContain(`Follow-up to #${id}: Badge reader rejects my card`);
  expect(await requester.page.locator('.lx-meta .st').textContent()).toBe('Received');
  expect(await requester.page.locator('.lx-body').textContent()).toBe('It rejects it again since this morning.');
  await shot(requester.page, 'lexicon-11-follow-up');
  await requester.page.getByRole('link', { name: `#${id}` }).click();
  expect(await requester.page.locator('.lx-meta .st').textContent()).toBe('Closed');
  expect(await requester.page.locator('.lx-comment').count()).toBe(0);
  // Agent and requester replies look different.
  await agent.page.goto(`/lexicon/tickets/${id}`);
  expect(await agent.page.locator('#lx-pane .lx-meta .st-closed').count()).toBe(1);
  expect([...agent.problems, ...requester.problems], [...agent.problems, ...requester.problems].join('\n')).toEqual([]);
  await agentContext.close();
  await requesterContext.close();
});
