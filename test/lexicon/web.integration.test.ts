// Lexicon's htmx UI through the Worker's real entry point: every action answers
// with the pane plus its row and the counts out of band, costs at most 3 D1
// queries, refuses stale versions and invalid moves with a 409 and a fresh pane,
// and fits the fragment budgets.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../support/client';
import { auditCount, newTicket, person, ticketAt, ticketRow, type Person } from '../support/lexicon';
import { captureLogs, logged } from '../support/logs';

let admin: Person;
let agent: Person;
let agent2: Person;
let requester: Person;

beforeAll(async () => {
  admin = await person('admin', 'Ada Admin'); // the first account of this file
  agent = await person('agent', 'Alan Agent');
  agent2 = await person('agent', 'Grace Agent');
  requester = await person('member', 'Rita Requester');
});

/** The counts in the queue nav of an HTML page or fragment. */
function counts(html: string): Record<string, number> {
  return Object.fromEntries([...html.matchAll(/data-queue="(\w+)">(\d+)</g)].map((m) => [m[1]!, Number(m[2])]));
}

const versionOf = (html: string) => Number(/data-version="(\d+)"/.exec(html)![1]);

describe('a requester', () => {
  it('creates a ticket with the form, sees it in the portal, and sees no staff controls', async () => {
    const res = await requester.fetch('/lexicon/tickets', {
      form: { subject: 'VPN drops every hour', body: 'Since Monday. See https://status.example.com/vpn', tags: 'vpn, network' },
    });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/lexicon\/tickets\/\d+$/);
    const page = await (await requester.fetch(location)).text();
    expect(page).toContain('VPN drops every hour');
    expect(page).toContain('<a href="https://status.example.com/vpn" rel="nofollow noopener noreferrer ugc" target="_blank">');
    expect(page).toContain('<span class="tag">network</span><span class="tag">vpn</span>');
    expect(page).not.toContain('lx-actions');
    expect(page).not.toContain('Add internal note');
    const portal = await (await requester.fetch('/lexicon')).text();
    expect(portal).toContain('Your tickets');
    expect(portal).toContain('VPN drops every hour');
    expect(portal).not.toContain('id="lx-queues"');
  });

  it('gets the form back with messages (422) for a bad ticket, and nothing is stored', async () => {
    const before = (await env.DB.prepare('SELECT count(*) AS n FROM tickets').first<{ n: number }>())!.n;
    const res = await requester.fetch('/lexicon/tickets', { form: { subject: '   ', body: 'x', tags: 'a'.repeat(41) } });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('A subject is required.');
    expect(html).toContain('Tags are at most 40 characters.');
    expect((await env.DB.prepare('SELECT count(*) AS n FROM tickets').first<{ n: number }>())!.n).toBe(before);
  });

  it('cannot set status, assignee or priority through extra fields (422 naming them, nothing created)', async () => {
    const before = (await env.DB.prepare('SELECT count(*) AS n FROM tickets').first<{ n: number }>())!.n;
    for (const extra of [
      { status: 'resolved' },
      { assignee_id: String(agent.id) },
      { assigneeId: String(agent.id) },
      { priority: 'urgent' },
      { creator_id: String(agent.id) },
    ] as Array<Record<string, string>>) {
      const res = await requester.fetch('/lexicon/tickets', { form: { subject: 'sneaky', body: 'b', ...extra } });
      expect(res.status, JSON.stringify(extra)).toBe(422);
      expect(await res.text()).toContain(Object.keys(extra)[0]!);
    }
    expect((await env.DB.prepare('SELECT count(*) AS n FROM tickets').first<{ n: number }>())!.n).toBe(before);
  });
});

describe('an agent working the queue', () => {
  it('sees live counts, opens a ticket into the pane and acts on it; each answer is pane + row + counts, one audit row each', async () => {
    const t = await newTicket(requester, { subject: 'Laptop will not boot' });
    const page = await (await agent.fetch('/lexicon?queue=new')).text();
    expect(page).toContain('id="lx-queues"');
    expect(page).toContain(`id="t-${t.id}"`);
    const before = counts(page);

    // Open: the pane, with the row and the counts out of band.
    const opened = await agent.fetch(`/lexicon/tickets/${t.id}`, { htmx: true, headers: { 'hx-current-url': 'https://sixfold.test/lexicon?queue=new' } });
    expect(opened.status).toBe(200);
    const pane = await opened.text();
    expect(pane.startsWith('<article class="lx-ticket"')).toBe(true);
    expect(pane).toContain(`<li id="t-${t.id}" class="lx-row p-normal" hx-swap-oob="true">`);
    expect(pane).toContain('<nav id="lx-queues" class="lx-queues" aria-label="Queues" hx-swap-oob="true">');
    expect(pane).toMatch(/href="\/lexicon\?queue=new"[^>]*aria-current="page"/);
    expect(pane).not.toContain('<html');

    // a: assign to me (the "Assign to me" form sends assignee=me and the version).
    const assigned = await agent.fetch(`/lexicon/tickets/${t.id}/assign`, { htmx: true, form: { assignee: 'me', version: String(versionOf(pane)) } });
    expect(assigned.status).toBe(200);
    const a = await assigned.text();
    expect(a).toMatch(/assignee <span class="lx-person">[^<]+ <span class="lx-email">&lt;[^&]+@example\.com&gt;<\/span>/);
    expect(counts(a).mine).toBe(before.mine! + 1);
    expect(counts(a).unassigned).toBe(before.unassigned! - 1);

    // s: new → open.
    const opened2 = await agent.fetch(`/lexicon/tickets/${t.id}/status`, { htmx: true, form: { status: 'open', version: String(versionOf(a)) } });
    expect(opened2.status).toBe(200);
    const o = await opened2.text();
    expect(counts(o).new).toBe(before.new! - 1);
    expect(counts(o).open).toBe(before.open! + 1);
    expect(o).toContain('<b class="st st-open">open</b>');

    // Priority, tags, a reply and an internal note.
    const pr = await (await agent.fetch(`/lexicon/tickets/${t.id}/priority`, { htmx: true, form: { priority: 'high', version: String(versionOf(o)) } })).text();
    expect(pr).toContain('class="lx-row p-high');
    const tg = await (
      await agent.fetch(`/lexicon/tickets/${t.id}/tags`, { htmx: true, form: { tags: 'hardware,  laptop , hardware', version: String(versionOf(pr)) } })
    ).text();
    expect(tg).toContain('value="hardware, laptop"');
    const rp = await (await agent.fetch(`/lexicon/tickets/${t.id}/reply`, { htmx: true, form: { body: 'Hold the power button for 30 s.' } })).text();
    expect(rp).toContain('Hold the power button for 30 s.');
    const nt = await (await agent.fetch(`/lexicon/tickets/${t.id}/note`, { htmx: true, form: { body: 'Probably the battery; order one.' } })).text();
    expect(nt).toContain('internal note');

    // create, assign, status, priority, tag, comment, note: seven changes, seven audit rows.
    expect(await auditCount(t.id)).toBe(7);
    const actions = (await env.DB.prepare('SELECT action FROM lexicon_audit WHERE ticket_id = ? ORDER BY id').bind(t.id).all<{ action: string }>()).results.map(
      (r) => r.action,
    );
    expect(actions).toEqual(['create', 'assign', 'status', 'priority', 'tag', 'comment', 'note']);
    expect(nt).toContain('History (7)');

    // The requester never sees the note, in the page or the API.
    const mine = await (await requester.fetch(`/lexicon/tickets/${t.id}`)).text();
    expect(mine).toContain('Hold the power button');
    expect(mine).not.toContain('battery');
    expect(mine).not.toContain('internal note');
  });

  it('without htmx, every action is a form POST answered by a 303 back to the ticket', async () => {
    const t = await newTicket(requester);
    const res = await agent.fetch(`/lexicon/tickets/${t.id}/status`, { form: { status: 'open', version: String(t.version) } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/lexicon/tickets/${t.id}`);
    expect((await ticketRow(t.id))!.status).toBe('open');
  });

  it('a ticket URL opened directly renders the full page, with the list of its queue (rendered on the server, so it works without JavaScript)', async () => {
    const t = await newTicket(requester, { subject: 'Direct link' });
    const page = await (await agent.fetch(`/lexicon/tickets/${t.id}`)).text();
    expect(page).toContain('<!DOCTYPE html>');
    expect(page).toContain('Direct link');
    expect(page).toMatch(new RegExp(`<ol id="lx-rows"[^>]*>[\\s\\S]*<li id="t-${t.id}"`));
    expect(page).not.toContain('hx-trigger="load"');
    // A history restore asks with HX-Request too, and gets the page.
    const restored = await (await agent.fetch(`/lexicon/tickets/${t.id}`, { htmx: true, headers: { 'hx-history-restore-request': 'true' } })).text();
    expect(restored).toContain('<!DOCTYPE html>');
  });

  it('two agents on the same version: one wins, the other gets 409 and the fresh ticket, nothing overwritten', async () => {
    const t = await newTicket(requester);
    const first = await agent.fetch(`/lexicon/tickets/${t.id}/priority`, { htmx: true, form: { priority: 'urgent', version: String(t.version) } });
    expect(first.status).toBe(200);
    const auditAfterFirst = await auditCount(t.id);
    const second = await agent2.fetch(`/lexicon/tickets/${t.id}/priority`, { htmx: true, form: { priority: 'low', version: String(t.version) } });
    expect(second.status).toBe(409);
    const html = await second.text();
    expect(html).toContain('Someone else changed this ticket');
    expect(html).toContain('<b class="pr pr-urgent">urgent</b>'); // the fresh pane
    expect(html).toContain(`<li id="t-${t.id}" class="lx-row p-urgent" hx-swap-oob="true">`); // and the fresh row
    expect((await ticketRow(t.id))!.priority).toBe('urgent');
    expect(await auditCount(t.id)).toBe(auditAfterFirst);
    // Same through the status action.
    const stale = await agent2.fetch(`/lexicon/tickets/${t.id}/status`, { htmx: true, form: { status: 'open', version: String(t.version) } });
    expect(stale.status).toBe(409);
    expect((await ticketRow(t.id))!.status).toBe('new');
  });

  it('an invalid transition is a 409 naming the allowed states; the row and the audit trail are unchanged', async () => {
    const t = await ticketAt(requester, agent, 'resolved');
    const row = await ticketRow(t.id);
    const audits = await auditCount(t.id);
    const res = await agent.fetch(`/lexicon/tickets/${t.id}/status`, { htmx: true, form: { status: 'new', version: String(t.version) } });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain('A resolved ticket cannot become new. Allowed next: open, closed. Nothing was changed.');
    expect(await ticketRow(t.id)).toEqual(row);
    expect(await auditCount(t.id)).toBe(audits);
  });

  it('asking for what is already so changes nothing and writes no audit row', async () => {
    const t = await newTicket(requester);
    const audits = await auditCount(t.id);
    const res = await agent.fetch(`/lexicon/tickets/${t.id}/priority`, { htmx: true, form: { priority: 'normal', version: String(t.version) } });
    expect(res.status).toBe(200);
    expect((await ticketRow(t.id))!.version).toBe(t.version);
    expect(await auditCount(t.id)).toBe(audits);
  });

  it('refuses to assign a ticket to a requester (422), changing nothing', async () => {
    const t = await newTicket(requester);
    const res = await agent.fetch(`/lexicon/tickets/${t.id}/assign`, { htmx: true, form: { assignee: String(requester.id), version: String(t.version) } });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('not an active agent or admin');
    expect((await ticketRow(t.id))!.assignee_id).toBeNull();
  });

  it('validates action forms before touching anything (422 with a message)', async () => {
    const t = await newTicket(requester);
    for (const [action, form, message] of [
      ['status', { status: 'sideways', version: String(t.version) }, 'Status is one of'],
      ['status', { status: 'open' }, 'version'],
      ['priority', { priority: 'meh', version: String(t.version) }, 'Priority is one of'],
      ['tags', { tags: Array.from({ length: 11 }, (_, i) => `t${i}`).join(','), version: String(t.version) }, 'At most 10 tags.'],
      ['assign', { assignee: 'someone', version: String(t.version) }, 'Choose an agent.'],
      ['reply', { body: '   ' }, 'Write something first.'],
    ] as const) {
      const res = await agent.fetch(`/lexicon/tickets/${t.id}/${action}`, { htmx: true, form });
      expect(res.status, `${action} ${JSON.stringify(form)}`).toBe(422);
      expect(await res.text()).toContain(message);
    }
    expect(await auditCount(t.id)).toBe(1);
  });
});

describe('a requester replying', () => {
  it('reopens a pending ticket, with the counts following', async () => {
    const t = await ticketAt(requester, agent, 'pending');
    const before = counts(await (await agent.fetch('/lexicon')).text());
    const res = await requester.fetch(`/lexicon/tickets/${t.id}/reply`, { htmx: true, form: { body: 'Still broken, sorry.' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Your reply reopened the ticket.');
    expect(html).not.toContain('hx-swap-oob'); // requesters get no staff row or counts
    expect((await ticketRow(t.id))!.status).toBe('open');
    const after = counts(await (await agent.fetch('/lexicon')).text());
    expect(after.pending).toBe(before.pending! - 1);
    expect(after.open).toBe(before.open! + 1);
  });

  it('cannot add internal notes or change the ticket (403, nothing written)', async () => {
    const t = await newTicket(requester);
    for (const [action, form] of [
      ['note', { body: 'x' }],
      ['status', { status: 'open', version: '1' }],
      ['assign', { assignee: 'me', version: '1' }],
      ['priority', { priority: 'urgent', version: '1' }],
      ['tags', { tags: 'x', version: '1' }],
    ] as const) {
      const res = await requester.fetch(`/lexicon/tickets/${t.id}/${action}`, { htmx: true, form });
      expect(res.status, action).toBe(403);
      expect(await res.text()).toContain('Only agents and admins can do that.');
    }
    expect(await auditCount(t.id)).toBe(1);
  });
});

describe('bulk actions', () => {
  it('change every selected ticket in one batch and answer with their rows and the counts', async () => {
    const a = await newTicket(requester);
    const b = await newTicket(requester);
    const res = await agent.fetch('/lexicon/bulk', {
      htmx: true,
      form: { ids: [String(a.id), String(b.id)], action: 'status', status: 'open', assignee: 'me' },
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('2 of 2 tickets changed.');
    expect(html).toContain(`id="t-${a.id}"`);
    expect(html).toContain(`id="t-${b.id}"`);
    expect(html).toContain('id="lx-queues"');
    expect((await ticketRow(a.id))!.status).toBe('open');
    const assigned = await agent.fetch('/lexicon/bulk', {
      htmx: true,
      form: { ids: [String(a.id), String(b.id)], action: 'assign', status: '', assignee: String(agent2.id) },
    });
    expect(assigned.status).toBe(200);
    expect((await ticketRow(b.id))!.assignee_id).toBe(agent2.id);
  });

  it('reject the whole set when one may not move, naming it, and change nothing', async () => {
    const a = await newTicket(requester);
    const closed = await ticketAt(requester, agent, 'closed');
    const rows = [await ticketRow(a.id), await ticketRow(closed.id)];
    const res = await agent.fetch('/lexicon/bulk', { htmx: true, form: { ids: [String(a.id), String(closed.id)], action: 'status', status: 'open' } });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain(`Nothing was changed: #${closed.id} (closed) cannot become open.`);
    expect([await ticketRow(a.id), await ticketRow(closed.id)]).toEqual(rows);
  });

  it('say what is missing (422) and are staff-only (403)', async () => {
    expect((await agent.fetch('/lexicon/bulk', { htmx: true, form: { action: 'status', status: 'open' } })).status).toBe(422);
    const t = await newTicket(requester);
    const noStatus = await agent.fetch('/lexicon/bulk', { htmx: true, form: { ids: String(t.id), action: 'status', status: '' } });
    expect(noStatus.status).toBe(422);
    expect(await noStatus.text()).toContain('Choose the status');
    expect((await requester.fetch('/lexicon/bulk', { htmx: true, form: { ids: String(t.id), action: 'status', status: 'open' } })).status).toBe(403);
  });
});

describe('search', () => {
  it('answers htmx with a list fragment, and finds by comment text', async () => {
    const t = await newTicket(requester, { subject: 'Outlook crashes', body: 'On start.' });
    await agent.fetch(`/lexicon/tickets/${t.id}/reply`, { htmx: true, form: { body: 'Try safe mode: outlook.exe /safe' } });
    const res = await agent.fetch('/lexicon/search?q=safe%20mode', { htmx: true });
    const html = await res.text();
    expect(html).toContain(`id="t-${t.id}"`);
    expect(html).not.toContain('<html');
    expect((await agent.fetch(`/lexicon/search?q=${'x'.repeat(201)}`)).status).toBe(422);
  });
});

describe('costs', () => {
  it('every Lexicon request makes at most 3 D1 queries (a batch is one)', async () => {
    const t = await ticketAt(requester, agent, 'open', 'Cost probe');
    let version = t.version;
    const hx = { htmx: true };
    const requests: Array<[Person, string, Parameters<Client['fetch']>[1]]> = [
      [agent, '/lexicon', {}],
      [agent, '/lexicon?queue=open', hx],
      [agent, '/lexicon?queue=mine', hx],
      [agent, '/lexicon?queue=unassigned', hx],
      [agent, '/lexicon?queue=overdue', hx],
      [agent, '/lexicon/search?q=probe', hx],
      [agent, '/lexicon/search?q=', { ...hx, headers: { 'hx-current-url': 'https://sixfold.test/lexicon?queue=open' } }],
      [agent, '/lexicon/tickets/new', {}],
      [agent, '/lexicon/tickets/new', hx],
      [agent, `/lexicon/tickets/${t.id}`, {}],
      [agent, `/lexicon/tickets/${t.id}`, hx],
      [agent, '/lexicon/tickets', { ...hx, form: { subject: 'made by an agent', body: 'b', priority: 'high' } }],
      [requester, '/lexicon', {}],
      [requester, '/lexicon/tickets', { form: { subject: 'made by a requester', body: 'b' } }],
      [requester, `/lexicon/tickets/${t.id}`, {}],
      [requester, `/lexicon/tickets/${t.id}/reply`, { ...hx, form: { body: 'any news?' } }],
      [agent, `/lexicon/tickets/${t.id}/note`, { ...hx, form: { body: 'checking' } }],
      [agent, `/lexicon/tickets/${t.id}/reply`, { ...hx, form: { body: 'on it' } }],
    ];
    const lines = [];
    for (const [who, path, options] of requests) {
      const { res, line } = await logged(() => who.fetch(path, options));
      expect(res.status, `${options?.form ? 'POST' : 'GET'} ${path}`).toBeLessThan(400);
      lines.push(line);
    }
    // Actions that carry the version, each answered with the fresh version.
    for (const [action, form] of [
      ['status', { status: 'pending' }],
      ['assign', { assignee: 'me' }],
      ['priority', { priority: 'low' }],
      ['tags', { tags: 'cost' }],
      ['status', { status: 'new' }],
    ] as const) {
      version = (await ticketRow(t.id))!.version as number;
      const { res, line } = await logged(() => agent.fetch(`/lexicon/tickets/${t.id}/${action}`, { htmx: true, form: { ...form, version: String(version) } }));
      expect(res.status).toBe(action === 'status' && form.status === 'new' ? 409 : 200);
      lines.push(line);
    }
    const bulk = await logged(() => agent.fetch('/lexicon/bulk', { htmx: true, form: { ids: String(t.id), action: 'assign', assignee: '' } }));
    lines.push(bulk.line);
    for (const [path, options] of [
      ['/tickets', {}],
      ['/tickets?status=open', {}],
      [`/tickets/${t.id}`, {}],
      [`/tickets/${t.id}/comments`, {}],
      ['/users', {}],
      ['/tickets', { json: { subject: 's', body: 'b' } }],
      [`/tickets/${t.id}/comments`, { json: { body: 'c' } }],
      [`/tickets/${t.id}`, { method: 'PATCH', json: { priority: 'urgent' } }],
    ] as const) {
      // The PATCH carries the version as it is now (the comment above bumped it).
      if ('method' in options) Object.assign(options.json, { version: (await ticketRow(t.id))!.version });
      const curl = new Client();
      const { res, line } = await logged(() =>
        curl.fetch(`/lexicon/api${path}`, { ...options, headers: { authorization: `Bearer ${agent.token}` }, bare: true }),
      );
      expect(res.status, path).toBeLessThan(400);
      lines.push(line);
    }
    const over = lines.filter((l) => Number(l.d1_queries) > 3 || Number(l.d1_queries) < 1);
    expect(over, JSON.stringify(over, null, 1)).toEqual([]);
    // Every mutation is one batch: session check + the batch, and at most one more read.
    for (const l of lines.filter((x) => x.method !== 'GET')) expect(l.d1_queries, `${l.method} ${l.path}`).toBeLessThanOrEqual(3);
    expect(lines.length).toBeGreaterThanOrEqual(30);
  });

  it('a queue page reads little more than the rows it shows, with 300 tickets in the queue', async () => {
    const requesterId = requester.id;
    await env.DB.prepare(
      `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 300)
       INSERT INTO tickets (subject, body, priority, creator_id, created_at, updated_at, first_response_due_at, resolution_due_at)
       SELECT 'Seeded ' || n, 'b', 'low', ?, n, 5000000000000 + n, 9000000000000, 9000000000000 FROM seq`,
    )
      .bind(requesterId)
      .run();
    const { res, line } = await logged(() => agent.fetch('/lexicon?queue=new', { htmx: true }));
    const html = await res.text();
    expect((html.match(/<li id="t-/g) ?? []).length).toBe(50);
    // Session check (2 rows) + counts and agents (a dozen) + the list (≤ 2 × 51).
    expect(line.d1_queries).toBe(3);
    expect(line.rows_read).toBeLessThanOrEqual(2 + 30 + 2 * 51);
  });

  it('fragments stay small: a worst-case row ≤ 2 KB, a 50-row queue ≤ 25 KB', async () => {
    const worst = '"<>&\''.repeat(40); // 200 characters that all need escaping
    const t = await newTicket(requester, { subject: worst });
    await agent.fetch(`/lexicon/tickets/${t.id}/assign`, { htmx: true, form: { assignee: 'me', version: String(t.version) } });
    const pane = await (await agent.fetch(`/lexicon/tickets/${t.id}`, { htmx: true })).text();
    const row = /<li id="t-\d+"[\s\S]*?<\/li>/.exec(pane)![0];
    expect(row).toContain('&quot;&lt;&gt;&amp;&#39;');
    expect(new TextEncoder().encode(row).length).toBeLessThanOrEqual(2048);

    // A realistic 50-row page: 80-character subjects, assignees, the "load more" link.
    await env.DB.prepare(
      `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 60)
       INSERT INTO tickets (subject, body, priority, creator_id, assignee_id, created_at, updated_at, first_response_due_at, resolution_due_at)
       SELECT printf('%-80.80s', 'Cannot reach the shared drive from the Berlin office after the update #' || n), 'b', 'urgent', ?, ?, n, 6000000000000 + n, 9000000000000, 9000000000000 FROM seq`,
    )
      .bind(requester.id, agent2.id)
      .run();
    const list = await (await agent.fetch('/lexicon?queue=new', { htmx: true })).text();
    expect((list.match(/<li id="t-/g) ?? []).length).toBe(50);
    expect(list).toContain('Load 50 more');
    const bytes = new TextEncoder().encode(list).length;
    console.info(`50-row queue fragment: ${bytes} bytes`);
    expect(bytes).toBeLessThanOrEqual(25 * 1024);
  });

  it('each change writes one structured audit log line', async () => {
    const t = await newTicket(requester);
    const logs = captureLogs();
    await agent.fetch(`/lexicon/tickets/${t.id}/status`, { htmx: true, form: { status: 'open', version: String(t.version) } });
    const audits = logs.audits();
    logs.stop();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ event: 'lexicon.ticket.updated', actor_id: agent.id, ticket_id: t.id, fields: ['status'] });
    expect(audits[0]!.request_id).toMatch(/\S/);
  });
});

describe('load more', () => {
  it('continues the queue after the last row, without repeats', async () => {
    const first = await (await agent.fetch('/lexicon?queue=new', { htmx: true })).text();
    const next = /hx-get="(\/lexicon\?queue=new&amp;after=\d+\.\d+)"/.exec(first)![1]!.replace(/&amp;/g, '&');
    const more = await (await agent.fetch(next, { htmx: true })).text();
    expect(more.startsWith('<li id="t-')).toBe(true);
    const ids = (s: string) => [...s.matchAll(/<li id="t-(\d+)"/g)].map((m) => m[1]);
    expect(ids(more).filter((id) => ids(first).includes(id))).toEqual([]);
    expect((await agent.fetch('/lexicon?queue=new&after=garbage', { htmx: true })).status).toBe(422);
  });
});

it('the admin works tickets too (admins are staff)', async () => {
  const page = await (await admin.fetch('/lexicon')).text();
  expect(page).toContain('id="lx-queues"');
});
