// Lexicon forms as a person meets them (issue 9): a double submit makes one ticket
// or comment, a 422 puts the message next to the field and never nests the form,
// the agent's ticket page lists its queue without JavaScript, a ticket leaves the
// list of a queue it no longer belongs to, and requesters read plain words.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, auditCount, newTicket, person, ticketAt, ticketRow, type Person } from '../support/lexicon';
import { logged } from '../support/logs';

let agent: Person;
let requester: Person;
let other: Person;

beforeAll(async () => {
  await person('admin', 'Ada Admin');
  agent = await person('agent', 'Alan Agent');
  requester = await person('member', 'Rita Requester');
  other = await person('member', 'Otto Other');
});

const keyOf = (html: string) => /name="idempotencyKey" value="([^"]+)"/.exec(html)?.[1];
const ticketsCalled = async (subject: string) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM tickets WHERE subject = ?').bind(subject).first<{ n: number }>())!.n;
const commentsOn = async (id: number) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM lexicon_comments WHERE ticket_id = ?').bind(id).first<{ n: number }>())!.n;
const elevenTags = Array.from({ length: 11 }, (_, i) => `t${i}`).join(', ');

describe('a double submit', () => {
  it('every new-ticket form carries its own one-time key', async () => {
    const a = keyOf(await (await requester.fetch('/lexicon/tickets/new')).text());
    const b = keyOf(await (await requester.fetch('/lexicon/tickets/new', { htmx: true })).text());
    expect(a).toMatch(/^[\w-]{16,64}$/);
    expect(b).toMatch(/^[\w-]{16,64}$/);
    expect(a).not.toBe(b);
  });

  it('without JavaScript: the same key twice makes one ticket, and both answers lead to it', async () => {
    const key = keyOf(await (await requester.fetch('/lexicon/tickets/new')).text())!;
    const form = { subject: 'Double-clicked create', body: 'once please', tags: 'x', idempotencyKey: key };
    const first = await requester.fetch('/lexicon/tickets', { form });
    const second = await requester.fetch('/lexicon/tickets', { form });
    expect(first.status).toBe(303);
    expect(second.status).toBe(303);
    expect(second.headers.get('location')).toBe(first.headers.get('location'));
    expect(await ticketsCalled('Double-clicked create')).toBe(1);
    const id = Number(first.headers.get('location')!.split('/').pop());
    expect(await auditCount(id)).toBe(1);
  });

  it('with htmx (an agent): the replay answers with the pane of the ticket already made, within 3 queries', async () => {
    const key = keyOf(await (await agent.fetch('/lexicon/tickets/new', { htmx: true })).text())!;
    const form = { subject: 'Agent double click', body: 'b', priority: 'high', tags: '', idempotencyKey: key };
    const first = await logged(() => agent.fetch('/lexicon/tickets', { htmx: true, form }));
    const second = await logged(() => agent.fetch('/lexicon/tickets', { htmx: true, form }));
    expect(first.res.status).toBe(201);
    expect(second.res.status).toBeLessThan(300);
    const idOf = async (res: Response) => Number(/data-id="(\d+)"/.exec(await res.text())![1]);
    expect(await idOf(second.res)).toBe(await idOf(first.res));
    expect(await ticketsCalled('Agent double click')).toBe(1);
    expect(second.line.d1_queries).toBeLessThanOrEqual(3);
  });

  it("someone else's key is just a key: it makes their own ticket and never leads to yours", async () => {
    const key = keyOf(await (await requester.fetch('/lexicon/tickets/new')).text())!;
    const mine = await requester.fetch('/lexicon/tickets', { form: { subject: 'Key owner', body: 'b', tags: '', idempotencyKey: key } });
    const theirs = await other.fetch('/lexicon/tickets', { form: { subject: 'Key thief', body: 'b', tags: '', idempotencyKey: key } });
    expect(theirs.status).toBe(303);
    expect(theirs.headers.get('location')).not.toBe(mine.headers.get('location'));
    expect(await ticketsCalled('Key thief')).toBe(1);
  });

  it('a malformed key is refused (422), nothing made', async () => {
    const res = await requester.fetch('/lexicon/tickets', { form: { subject: 'Bad key', body: 'b', tags: '', idempotencyKey: 'short' } });
    expect(res.status).toBe(422);
    expect(await ticketsCalled('Bad key')).toBe(0);
  });

  it('a reply or a note sent twice with its key is added once, and the ticket moves once', async () => {
    const t = await newTicket(requester, { subject: 'Reply twice' });
    const pane = await (await agent.fetch(`/lexicon/tickets/${t.id}`, { htmx: true })).text();
    const key = keyOf(pane)!;
    expect(key).toMatch(/^[\w-]{16,64}$/);
    for (let i = 0; i < 2; i++) {
      const res = await agent.fetch(`/lexicon/tickets/${t.id}/reply`, { htmx: true, form: { body: 'Restart it.', idempotencyKey: key } });
      expect(res.status).toBe(200);
    }
    expect(await commentsOn(t.id)).toBe(1);
    expect((await ticketRow(t.id))!.version).toBe(t.version + 1);
    const noteKey = keyOf(await (await agent.fetch(`/lexicon/tickets/${t.id}`, { htmx: true })).text())!;
    expect(noteKey).not.toBe(key);
    for (let i = 0; i < 2; i++) await agent.fetch(`/lexicon/tickets/${t.id}/note`, { form: { body: 'Probably the PSU.', idempotencyKey: noteKey } });
    expect(await commentsOn(t.id)).toBe(2);
    // Without JavaScript too: the requester's form, resent.
    const page = await (await requester.fetch(`/lexicon/tickets/${t.id}`)).text();
    const replyKey = keyOf(page)!;
    for (let i = 0; i < 2; i++) {
      const res = await requester.fetch(`/lexicon/tickets/${t.id}/reply`, { form: { body: 'Thanks!', idempotencyKey: replyKey } });
      expect(res.status).toBe(303);
    }
    expect(await commentsOn(t.id)).toBe(3);
  });

  it('the API takes an Idempotency-Key header: a retried POST makes one ticket and answers with it', async () => {
    const key = crypto.randomUUID();
    const send = () => api(requester, '/tickets', { json: { subject: 'API retry', body: 'b' }, headers: { 'idempotency-key': key } });
    const first = await send();
    const second = await send();
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    const [a, b] = [(await first.json()) as { ticket: { id: number } }, (await second.json()) as { ticket: { id: number } }];
    expect(b.ticket.id).toBe(a.ticket.id);
    expect(await ticketsCalled('API retry')).toBe(1);
  });

  it('a comment key sent again to another ticket is a new comment there, not a 500 (found by the hostile review)', async () => {
    const [one, two] = [await newTicket(requester, { subject: 'key one' }), await newTicket(requester, { subject: 'key two' })];
    const key = crypto.randomUUID();
    const post = (id: number, body: string) => api(requester, `/tickets/${id}/comments`, { json: { body }, headers: { 'idempotency-key': key } });
    expect((await post(one.id, 'first')).status).toBe(201);
    const other = await post(two.id, 'second');
    expect(other.status).toBe(201);
    expect(((await other.json()) as { comment: { body: string } }).comment.body).toBe('second');
    const replay = await post(one.id, 'first');
    expect(((await replay.json()) as { comment: { body: string } }).comment.body).toBe('first');
    expect(await commentsOn(one.id)).toBe(1);
    expect(await commentsOn(two.id)).toBe(1);
  });

  it('a malformed Idempotency-Key is a 422 that says what a key looks like, and nothing is created', async () => {
    const before = ((await (await api(requester, '/tickets')).json()) as { tickets: unknown[] }).tickets.length;
    const res = await api(requester, '/tickets', { json: { subject: 'bad key', body: 'b' }, headers: { 'idempotency-key': 'k1' } });
    expect(res.status).toBe(422);
    const problem = (await res.json()) as { detail: string; errors: Array<{ field: string }> };
    expect(problem.detail).toBe('Idempotency-Key is 16 to 64 letters, digits, "-" or "_" (a UUID will do).');
    expect(problem.errors.map((e) => e.field)).toEqual(['idempotency-key']);
    expect(((await (await api(requester, '/tickets')).json()) as { tickets: unknown[] }).tickets.length).toBe(before);
  });

  it('a reply to a closed ticket with the key that created that ticket still opens the follow-up (no silent loss)', async () => {
    const key = crypto.randomUUID();
    const created = await api(requester, '/tickets', { json: { subject: 'made with K', body: 'b' }, headers: { 'idempotency-key': key } });
    const { ticket } = (await created.json()) as { ticket: { id: number } };
    for (const status of ['open', 'resolved', 'closed']) {
      const row = (await (await api(agent, `/tickets/${ticket.id}`)).json()) as { ticket: { version: number } };
      expect((await api(agent, `/tickets/${ticket.id}`, { method: 'PATCH', json: { version: row.ticket.version, status } })).status).toBe(200);
    }
    const reply = await api(requester, `/tickets/${ticket.id}/comments`, { json: { body: 'the new text' }, headers: { 'idempotency-key': key } });
    expect(reply.status).toBe(201);
    const answer = (await reply.json()) as { followUp: { id: number } | null };
    expect(answer.followUp).not.toBeNull();
    const followUp = (await env.DB.prepare('SELECT body, follow_up_of FROM tickets WHERE id = ?')
      .bind(answer.followUp!.id)
      .first<{ body: string; follow_up_of: number }>())!;
    expect(followUp).toEqual({ body: 'the new text', follow_up_of: ticket.id });
  });
});

describe('a portal validation error', () => {
  for (const [label, fields, message] of [
    ['a blank subject', { subject: '   ', body: 'x', tags: '' }, 'A subject is required.'],
    ['11 tags', { subject: 'Too many tags', body: 'x', tags: elevenTags }, 'At most 10 tags.'],
  ] as const) {
    it(`(${label}) answers with the form once, the message next to its field`, async () => {
      for (const htmx of [true, false]) {
        const res = await requester.fetch('/lexicon/tickets', { form: { ...fields }, htmx });
        expect(res.status).toBe(422);
        const html = await res.text();
        expect((html.match(/<form class="lx-new/g) ?? []).length, `htmx=${htmx}`).toBe(1);
        expect((html.match(/id="lx-pane"/g) ?? []).length, `htmx=${htmx}`).toBe(htmx ? 0 : 1);
        if (htmx) expect(html.startsWith('<form class="lx-new')).toBe(true);
        // The message sits in the field it is about.
        const field = label === '11 tags' ? 'tags' : 'subject';
        expect(html).toMatch(new RegExp(`<div class="field has-error">[\\s\\S]*?name="${field}"[\\s\\S]*?<p class="error"[^>]*>${message}</p>`));
        expect(html).not.toContain('Invalid');
      }
    });
  }
});

describe('the agent’s ticket page without JavaScript', () => {
  it('lists the queue server-side (no "Loading…" that never ends)', async () => {
    const t = await newTicket(requester, { subject: 'Listed without JS' });
    const { res, line } = await logged(() => agent.fetch(`/lexicon/tickets/${t.id}`));
    const page = await res.text();
    expect(page).not.toContain('Loading');
    expect(page).toContain(`<li id="t-${t.id}"`);
    expect(page).toMatch(/<h2 class="lx-list-title"[^>]*>[\s\S]*?New<\/h2>/);
    expect(line.d1_queries).toBeLessThanOrEqual(3);
    const fresh = await (await agent.fetch('/lexicon/tickets/new')).text();
    expect(fresh).not.toContain('Loading');
    expect(fresh).toContain(`<li id="t-${t.id}"`);
  });
});

describe('errors next to the field, in plain words', () => {
  it('an empty reply: the pane again, the message under the box, the flash untouched', async () => {
    const t = await newTicket(requester);
    for (const htmx of [true, false]) {
      const res = await agent.fetch(`/lexicon/tickets/${t.id}/reply`, { htmx, form: { body: '   ' } });
      expect(res.status).toBe(422);
      expect(res.headers.get('hx-retarget')).toBeNull();
      const html = await res.text();
      expect(html).toMatch(
        /<textarea id="lx-body"[^>]*aria-invalid="true"[\s\S]*?<\/textarea>\s*<p class="error" id="lx-body-error">Write something first\.<\/p>/,
      );
      expect(html).not.toContain('Invalid reply');
      if (htmx) expect(html.startsWith('<article class="lx-ticket"')).toBe(true);
    }
    expect(await commentsOn(t.id)).toBe(0);
  });

  it('11 tags: the message under the tags box, in the pane', async () => {
    const t = await newTicket(requester);
    const res = await agent.fetch(`/lexicon/tickets/${t.id}/tags`, { htmx: true, form: { tags: elevenTags, version: String(t.version) } });
    expect(res.status).toBe(422);
    expect(res.headers.get('hx-retarget')).toBeNull();
    const html = await res.text();
    expect(html).toMatch(/<input id="lx-tags"[^>]*aria-invalid="true"[^>]*>[\s\S]*?<p class="error" id="lx-tags-error">At most 10 tags\.<\/p>/);
    expect(html).not.toContain('Invalid input');
    expect((await ticketRow(t.id))!.version).toBe(t.version);
  });

  it('an assignee who is not an agent: the message by the assignee menu', async () => {
    const t = await newTicket(requester);
    const res = await agent.fetch(`/lexicon/tickets/${t.id}/assign`, { htmx: true, form: { assignee: String(requester.id), version: String(t.version) } });
    expect(res.status).toBe(422);
    expect(res.headers.get('hx-retarget')).toBeNull();
    expect(await res.text()).toMatch(/<p class="error" id="lx-assignee-error">That person is not an active agent or admin/);
  });

  it('bulk with nothing selected: the message in the bulk bar, not the flash', async () => {
    const res = await agent.fetch('/lexicon/bulk', { htmx: true, form: { action: 'status', status: 'open' } });
    expect(res.status).toBe(422);
    expect(res.headers.get('hx-retarget')).toBeNull();
    expect(await res.text()).toContain('Select at least one ticket first');
    const page = await (await agent.fetch('/lexicon')).text();
    expect(page).toMatch(/<form id="lx-bulk"[^>]*hx-target="#lx-bulk-message"[\s\S]*id="lx-bulk-message"/);
  });
});

describe('a ticket that changes leaves the list of a queue it no longer belongs to', () => {
  const row = (html: string, id: number) => new RegExp(`<li id="t-${id}"[^>]*hx-swap-oob="([^"]+)"`).exec(html)?.[1];

  it('the forms send the queue on screen; the answer deletes the row from it, or updates it in place', async () => {
    const t = await newTicket(requester, { subject: 'Leaves New' });
    const page = await (await agent.fetch('/lexicon?queue=new')).text();
    expect(page).toContain('<input type="hidden" id="lx-list-queue" name="list" value="new"');
    const pane = await (await agent.fetch(`/lexicon/tickets/${t.id}`, { htmx: true })).text();
    expect(pane).toMatch(/<form class="lx-status"[^>]*hx-include="#lx-list-queue"/);
    // Assigning keeps it in New: updated in place; the nav keeps New highlighted.
    const assigned = await (
      await agent.fetch(`/lexicon/tickets/${t.id}/assign`, { htmx: true, form: { assignee: 'me', version: String(t.version), list: 'new' } })
    ).text();
    expect(row(assigned, t.id)).toBe('true');
    expect(assigned).toMatch(/href="\/lexicon\?queue=new"[^>]*aria-current="page"/);
    // Opening it moves it out of New: the row goes.
    const opened = await (
      await agent.fetch(`/lexicon/tickets/${t.id}/status`, { htmx: true, form: { status: 'open', version: String(t.version + 1), list: 'new' } })
    ).text();
    expect(row(opened, t.id)).toBe('delete');
    // Shown in Open, it stays there; out of Unassigned once assigned.
    const v = (await ticketRow(t.id))!.version as number;
    const pending = await (
      await agent.fetch(`/lexicon/tickets/${t.id}/priority`, { htmx: true, form: { priority: 'high', version: String(v), list: 'mine' } })
    ).text();
    expect(row(pending, t.id)).toBe('true');
    const unassigned = await (
      await agent.fetch(`/lexicon/tickets/${t.id}/priority`, { htmx: true, form: { priority: 'low', version: String(v + 1), list: 'unassigned' } })
    ).text();
    expect(row(unassigned, t.id)).toBe('delete');
    // A search list (no queue) keeps its rows.
    const searched = await (
      await agent.fetch(`/lexicon/tickets/${t.id}/priority`, { htmx: true, form: { priority: 'urgent', version: String(v + 2), list: '' } })
    ).text();
    expect(row(searched, t.id)).toBe('true');
  });
});

describe('plain words for requesters, and who wrote what', () => {
  it('requesters read what a status means and no priority; agents keep the short labels', async () => {
    const t = await ticketAt(requester, agent, 'pending', 'Words please');
    const portal = await (await requester.fetch('/lexicon')).text();
    const page = await (await requester.fetch(`/lexicon/tickets/${t.id}`)).text();
    for (const html of [portal, page]) {
      expect(html).toContain('<b class="st st-pending plain">Waiting for your reply</b>');
      expect(html).not.toMatch(/class="pr pr-/);
      expect(html).not.toMatch(/>(new|normal|pending)</);
    }
    expect(page).toContain('/lexicon.css');
    const staff = await (await agent.fetch(`/lexicon/tickets/${t.id}`)).text();
    expect(staff).toContain('<b class="st st-pending">pending</b>');
  });

  it('agent and requester replies are marked apart', async () => {
    const t = await newTicket(requester);
    await agent.fetch(`/lexicon/tickets/${t.id}/reply`, { form: { body: 'Agent here.' } });
    await requester.fetch(`/lexicon/tickets/${t.id}/reply`, { form: { body: 'Requester here.' } });
    for (const who of [agent, requester]) {
      const html = await (await who.fetch(`/lexicon/tickets/${t.id}`)).text();
      expect(html).toMatch(/<li class="lx-comment from-staff"[^>]*>[\s\S]*?Support[\s\S]*?Agent here\./);
      expect(html).toMatch(/<li class="lx-comment from-requester"[^>]*>[\s\S]*?Requester here\./);
    }
  });
});
