// A closed ticket stays closed. A requester's reply to it opens a new ticket that
// points back at it ("Follow-up to #12"), as Zendesk does, through the API and the web.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, auditCount, newTicket, person, ticketAt, ticketRow, type Person } from '../support/lexicon';

let agent: Person;
let requester: Person;
let stranger: Person;

beforeAll(async () => {
  await person('admin');
  agent = await person('agent', 'Alan Agent');
  requester = await person('member', 'Rita Requester');
  stranger = await person('member', 'Sam Stranger');
});

type Row = { id: number; subject: string; status: string; creatorId: number; priority: string; version: number };
const commentsOn = async (id: number) =>
  (await env.DB.prepare('SELECT count(*) AS n FROM lexicon_comments WHERE ticket_id = ?').bind(id).first<{ n: number }>())!.n;

describe('through the API', () => {
  it('a reply to a closed ticket opens a linked follow-up; the closed ticket is untouched', async () => {
    const closed = await ticketAt(requester, agent, 'closed', 'Printer jams again and again');
    const before = await ticketRow(closed.id);
    const [comments, audits] = [await commentsOn(closed.id), await auditCount(closed.id)];
    const res = await api(requester, `/tickets/${closed.id}/comments`, { json: { body: 'It is jamming again since Monday.' } });
    expect(res.status, await res.clone().text()).toBe(201);
    const body = (await res.json()) as { followUp: Row; ticket: Row; comment: unknown };
    expect(body.followUp).toMatchObject({ status: 'new', creatorId: requester.id, subject: `Follow-up to #${closed.id}: Printer jams again and again` });
    expect(body.ticket).toMatchObject({ id: closed.id, status: 'closed' });
    expect(body.comment).toBeNull();
    expect(res.headers.get('location')).toBe(`/lexicon/api/tickets/${body.followUp.id}`);
    // The closed ticket: same row, same comments, same audit trail.
    expect(await ticketRow(closed.id)).toEqual(before);
    expect(await commentsOn(closed.id)).toBe(comments);
    expect(await auditCount(closed.id)).toBe(audits);
    // The follow-up carries the reply as its description and links back; the closed one links forward.
    const detail = (await (await api(requester, `/tickets/${body.followUp.id}`)).json()) as { ticket: { body: string; followUpOf: number | null } };
    expect(detail.ticket).toMatchObject({ body: 'It is jamming again since Monday.', followUpOf: closed.id });
    const old = (await (await api(requester, `/tickets/${closed.id}`)).json()) as { ticket: { followUps: number[] } };
    expect(old.ticket.followUps).toEqual([body.followUp.id]);
    expect(await auditCount(body.followUp.id)).toBe(1);
  });

  it('the follow-up keeps the priority agents gave the closed ticket, with its SLA', async () => {
    let t = await newTicket(requester, { subject: 'Urgent thing' });
    const res = await api(agent, `/tickets/${t.id}`, { method: 'PATCH', json: { version: t.version, priority: 'urgent' } });
    t = ((await res.json()) as { ticket: typeof t }).ticket;
    for (const status of ['open', 'resolved', 'closed']) {
      t = ((await (await api(agent, `/tickets/${t.id}`, { method: 'PATCH', json: { version: t.version, status } })).json()) as { ticket: typeof t }).ticket;
    }
    const follow = (await (await api(requester, `/tickets/${t.id}/comments`, { json: { body: 'again' } })).json()) as {
      followUp: Row & { resolutionDueAt: string; createdAt: string };
    };
    expect(follow.followUp.priority).toBe('urgent');
    expect(Date.parse(follow.followUp.resolutionDueAt) - Date.parse(follow.followUp.createdAt)).toBe(8 * 3600_000);
  });

  it('someone else cannot reach a closed ticket to follow it up (404, nothing made)', async () => {
    const closed = await ticketAt(requester, agent, 'closed', 'Not yours');
    const count = async () => (await env.DB.prepare('SELECT count(*) AS n FROM tickets WHERE follow_up_of = ?').bind(closed.id).first<{ n: number }>())!.n;
    expect((await api(stranger, `/tickets/${closed.id}/comments`, { json: { body: 'me too' } })).status).toBe(404);
    expect(await count()).toBe(0);
  });

  it('a retried reply with the same Idempotency-Key opens one follow-up', async () => {
    const closed = await ticketAt(requester, agent, 'closed', 'Retry follow-up');
    const key = crypto.randomUUID();
    const send = () => api(requester, `/tickets/${closed.id}/comments`, { json: { body: 'again' }, headers: { 'idempotency-key': key } });
    const a = (await (await send()).json()) as { followUp: Row };
    const b = (await (await send()).json()) as { followUp: Row };
    expect(b.followUp.id).toBe(a.followUp.id);
    expect((await env.DB.prepare('SELECT count(*) AS n FROM tickets WHERE follow_up_of = ?').bind(closed.id).first<{ n: number }>())!.n).toBe(1);
  });
});

describe('on the web', () => {
  it('the closed ticket offers a follow-up; sending it lands on the new ticket, which links back', async () => {
    const closed = await ticketAt(requester, agent, 'closed', 'VPN again');
    const before = await ticketRow(closed.id);
    const page = await (await requester.fetch(`/lexicon/tickets/${closed.id}`)).text();
    expect(page).toContain('This ticket is closed.');
    expect(page).toMatch(/<form class="lx-reply"[^>]*action="\/lexicon\/tickets\/\d+\/reply"/);
    expect(page).toContain('Open a follow-up');
    const key = /name="idempotencyKey" value="([^"]+)"/.exec(page)![1]!;
    const res = await requester.fetch(`/lexicon/tickets/${closed.id}/reply`, { form: { body: 'The VPN drops again.', idempotencyKey: key } });
    expect(res.status).toBe(303);
    const location = res.headers.get('location')!;
    expect(location).toMatch(/^\/lexicon\/tickets\/\d+$/);
    expect(location).not.toBe(`/lexicon/tickets/${closed.id}`);
    const follow = await (await requester.fetch(location)).text();
    expect(follow).toContain(`Follow-up to <a href="/lexicon/tickets/${closed.id}">#${closed.id}</a>`);
    expect(follow).toContain('The VPN drops again.');
    // A resent form (same key) lands on the same follow-up.
    const again = await requester.fetch(`/lexicon/tickets/${closed.id}/reply`, { form: { body: 'The VPN drops again.', idempotencyKey: key } });
    expect(again.headers.get('location')).toBe(location);
    // With htmx, the browser is sent to the new ticket.
    const hx = await requester.fetch(`/lexicon/tickets/${closed.id}/reply`, { htmx: true, form: { body: 'And again.' } });
    expect(hx.status).toBe(204);
    expect(hx.headers.get('hx-redirect')).toMatch(/^\/lexicon\/tickets\/\d+$/);
    expect(await ticketRow(closed.id)).toEqual(before);
    const closedPage = await (await requester.fetch(`/lexicon/tickets/${closed.id}`)).text();
    expect(closedPage).toContain(`<a href="${location}">#${location.split('/').pop()}</a>`);
  });
});

describe('a closed ticket is frozen in the database', () => {
  it('its assignee, priority and tags do not change through the API, a bulk action or raw SQL', async () => {
    const closed = await ticketAt(requester, agent, 'closed', 'Frozen for good');
    const open = await ticketAt(requester, agent, 'open', 'Still movable');
    const before = await ticketRow(closed.id);
    const audits = await auditCount(closed.id);
    for (const change of [{ priority: 'urgent' }, { tags: ['late'] }, { assigneeId: agent.id }, { assigneeId: null }]) {
      const res = await api(agent, `/tickets/${closed.id}`, { method: 'PATCH', json: { version: closed.version, ...change } });
      if (res.status === 200) {
        // Only a no-op may pass (the same assignee it already has).
        expect(await ticketRow(closed.id), JSON.stringify(change)).toEqual(before);
        continue;
      }
      expect(res.status, JSON.stringify(change)).toBe(409);
      expect(await res.text()).toContain('This ticket is closed');
    }
    await agent.visit('/lexicon');
    const bulk = await agent.fetch('/lexicon/bulk', {
      htmx: true,
      form: { ids: [String(open.id), String(closed.id)], action: 'assign', status: '', assignee: 'me' },
    });
    expect(bulk.status).toBe(409);
    expect(await bulk.text()).toContain(`#${closed.id} is closed`);
    expect((await ticketRow(open.id))?.assignee_id).toBeNull(); // all or nothing: the open one was not assigned either
    await expect(env.DB.prepare("UPDATE tickets SET priority = 'low', version = version + 1 WHERE id = ?").bind(closed.id).run()).rejects.toThrow(
      /ticket_closed/,
    );
    expect(await ticketRow(closed.id)).toEqual(before);
    expect(await auditCount(closed.id)).toBe(audits);
  });
});
