// Lexicon's JSON API (bearer tokens with the `lexicon` scope): create, list with a
// cursor, detail with creator and comments, update, comments, users; every
// transition allowed and refused through PATCH; problem+json for everything bad.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { Client, createToken, signedUp } from '../support/client';
import { api, auditCount, newTicket, patch, person, ticketAt, ticketRow, type ApiTicket, type Person } from '../support/lexicon';
import { canTransition, STATUSES } from '../../workers/lexicon/status';

let agent: Person;
let agent2: Person;
let requester: Person;

beforeAll(async () => {
  await person('admin');
  agent = await person('agent', 'Alan Agent');
  agent2 = await person('agent', 'Grace Agent');
  requester = await person('member', 'Rita Requester');
});

type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: Array<{ field: string; message: string }>;
  allowedNextStatuses?: string[];
  ticket?: { version: number; status: string };
};

async function problem(res: Response, status: number): Promise<Problem> {
  expect(res.status, await res.clone().text()).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return (await res.json()) as Problem;
}

describe('tickets', () => {
  it('create → 201 with Location; detail has creator, assignee, tags, comments with authors', async () => {
    const res = await api(requester, '/tickets', {
      json: { subject: 'Monitor flickers', body: 'Left screen, since Tuesday.', tags: ['display', 'hardware', 'display'] },
    });
    expect(res.status).toBe(201);
    const { ticket } = (await res.json()) as { ticket: ApiTicket & { url: string } };
    expect(res.headers.get('location')).toBe(`/lexicon/api/tickets/${ticket.id}`);
    expect(ticket).toMatchObject({
      subject: 'Monitor flickers',
      status: 'new',
      priority: 'normal',
      assigneeId: null,
      version: 1,
      url: `/lexicon/tickets/${ticket.id}`,
    });

    await api(agent, `/tickets/${ticket.id}/comments`, { json: { body: 'Which cable?' } });
    await api(agent, `/tickets/${ticket.id}/comments`, { json: { body: 'check the HDMI', internal: true } });
    await api(requester, `/tickets/${ticket.id}/comments`, { json: { body: 'DisplayPort.' } });

    const staffView = (await (await api(agent, `/tickets/${ticket.id}`)).json()) as {
      ticket: Record<string, unknown> & { comments: Array<{ body: string; internal: boolean; author: { id: number; name: string } }> };
    };
    expect(staffView.ticket).toMatchObject({
      creator: { id: requester.id, name: 'Rita Requester', email: requester.email },
      assignee: null,
      tags: ['display', 'hardware'],
      allowedNextStatuses: ['open', 'pending', 'resolved', 'closed'].filter((s) => canTransition('new', s as never)),
    });
    expect(staffView.ticket.comments.map((c) => [c.body, c.internal, c.author.name])).toEqual([
      ['Which cable?', false, 'Alan Agent'],
      ['check the HDMI', true, 'Alan Agent'],
      ['DisplayPort.', false, 'Rita Requester'],
    ]);
    // The requester's view: no internal note, no trace of it in the history either.
    const mine = await (await api(requester, `/tickets/${ticket.id}`)).text();
    expect(mine).not.toContain('HDMI');
    expect(mine).not.toContain('"internal":true');
    expect(mine).not.toContain('"note"');
    const comments = (await (await api(requester, `/tickets/${ticket.id}/comments`)).json()) as { comments: Array<{ body: string }> };
    expect(comments.comments.map((c) => c.body)).toEqual(['Which cable?', 'DisplayPort.']);
  });

  it('lists by status with a cursor: pages do not overlap and end with nextCursor null', async () => {
    for (let i = 0; i < 7; i++) await ticketAt(requester, agent, 'pending', `pending ${i}`);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api(agent, `/tickets?status=pending&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { tickets: ApiTicket[]; nextCursor: string | null };
      expect(body.tickets.length).toBeLessThanOrEqual(3);
      for (const t of body.tickets) expect(t.status).toBe('pending');
      seen.push(...body.tickets.map((t) => t.id));
      cursor = body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen.length).toBe(7);
    expect(new Set(seen).size).toBe(7);
    expect(pages).toBe(3);
    // A requester's list is their own tickets, whatever they ask for.
    const other = await person('member');
    await newTicket(other, { subject: 'not yours' });
    const own = (await (await api(requester, '/tickets?status=open')).json()) as { queue: string; tickets: ApiTicket[] };
    expect(own.queue).toBe('own');
    expect(own.tickets.some((t) => t.subject === 'not yours')).toBe(false);
  });

  it('refuses bad lists, bodies and fields with problem+json naming what is wrong', async () => {
    expect((await problem(await api(agent, '/tickets?status=lost'), 422)).detail).toMatch(/Status is one of/);
    expect((await problem(await api(agent, '/tickets?cursor=abc'), 422)).detail).toMatch(/cursor/);
    expect((await problem(await api(agent, '/tickets?limit=1000'), 422)).detail).toMatch(/limit is at most 100/);
    const bad = await new Client().fetch('/lexicon/api/tickets', {
      method: 'POST',
      body: '{nope',
      headers: { authorization: `Bearer ${requester.token}`, 'content-type': 'application/json' },
      bare: true,
    });
    expect((await problem(bad, 400)).detail).toMatch(/not valid JSON/);
    expect((await problem(await api(requester, '/tickets', { json: { subject: '', body: 'x' } }), 422)).detail).toMatch(/subject/i);
    expect((await problem(await api(requester, '/tickets', { json: { subject: 's', body: 'b', tags: ['a,b'] } }), 422)).detail).toMatch(/commas/);
  });
});

describe('mass assignment', () => {
  it('a requester cannot set status, assignee or priority when creating, and cannot PATCH at all', async () => {
    const before = (await env.DB.prepare('SELECT count(*) AS n FROM tickets').first<{ n: number }>())!.n;
    for (const extra of [{ status: 'resolved' }, { assigneeId: agent.id }, { priority: 'urgent' }, { creatorId: agent.id }, { version: 9 }]) {
      const p = await problem(await api(requester, '/tickets', { json: { subject: 's', body: 'b', ...extra } }), 422);
      expect(p.detail + JSON.stringify(p.errors ?? {})).toContain(Object.keys(extra)[0]!);
    }
    expect((await env.DB.prepare('SELECT count(*) AS n FROM tickets').first<{ n: number }>())!.n).toBe(before);

    const t = await newTicket(requester);
    for (const change of [{ status: 'open' }, { assigneeId: agent.id }, { priority: 'urgent' }, { tags: ['x'] }]) {
      const p = await problem(await patch(requester, t.id, { version: t.version, ...change }), 403);
      expect(p.detail).toBe('Only agents and admins can do that.');
    }
    // Nor mark their own comment internal.
    await problem(await api(requester, `/tickets/${t.id}/comments`, { json: { body: 'x', internal: true } }), 403);
    expect(await ticketRow(t.id)).toMatchObject({ status: 'new', priority: 'normal', assignee_id: null, version: 1 });
    expect(await auditCount(t.id)).toBe(1);
  });

  it('an agent cannot PATCH fields outside the model', async () => {
    const t = await newTicket(requester);
    for (const change of [{ creatorId: agent.id }, { subject: 'rewritten' }, { version: t.version }]) {
      await problem(await patch(agent, t.id, { version: t.version, ...change }), 422);
    }
    expect(await auditCount(t.id)).toBe(1);
  });
});

describe('updates', () => {
  it('status, priority, assignee and tags in one PATCH: one audit row per field, version + 1', async () => {
    const t = await newTicket(requester);
    const res = await patch(agent, t.id, { version: t.version, status: 'open', priority: 'high', assigneeId: agent2.id, tags: ['vpn'] });
    expect(res.status).toBe(200);
    const { ticket } = (await res.json()) as { ticket: ApiTicket & { assignee: { name: string }; tags: string[] } };
    expect(ticket).toMatchObject({ status: 'open', priority: 'high', assigneeId: agent2.id, version: 2, tags: ['vpn'], assignee: { name: 'Grace Agent' } });
    const actions = (
      await env.DB.prepare('SELECT action FROM lexicon_audit WHERE ticket_id = ? ORDER BY action').bind(t.id).all<{ action: string }>()
    ).results.map((r) => r.action);
    expect(actions).toEqual(['assign', 'create', 'priority', 'status', 'tag']);
  });

  it('a stale version is a 409 with the fresh ticket; nothing is overwritten', async () => {
    const t = await newTicket(requester);
    expect((await patch(agent, t.id, { version: t.version, priority: 'urgent' })).status).toBe(200);
    const p = await problem(await patch(agent2, t.id, { version: t.version, priority: 'low' }), 409);
    expect(p.detail).toMatch(/Someone else changed this ticket/);
    expect(p.ticket).toMatchObject({ version: 2, priority: 'urgent' });
    expect((await ticketRow(t.id))!.priority).toBe('urgent');
    expect(await auditCount(t.id)).toBe(2);
  });

  it('an unknown or non-staff assignee is a 422; a PATCH with nothing to change is a 422', async () => {
    const t = await newTicket(requester);
    expect((await problem(await patch(agent, t.id, { version: 1, assigneeId: requester.id }), 422)).errors).toEqual([
      expect.objectContaining({ field: 'assigneeId' }),
    ]);
    await problem(await patch(agent, t.id, { version: 1, assigneeId: 999_999 }), 422);
    expect((await problem(await patch(agent, t.id, { version: 1 }), 422)).detail).toMatch(/at least one of/);
    expect(await auditCount(t.id)).toBe(1);
  });

  describe('every transition through the API', () => {
    for (const from of STATUSES) {
      for (const to of STATUSES) {
        if (from === to) continue;
        const ok = canTransition(from, to);
        it(`${from} → ${to}: ${ok ? '200' : '409 with the allowed states, nothing changed'}`, async () => {
          const t = await ticketAt(requester, agent, from);
          const row = await ticketRow(t.id);
          const audits = await auditCount(t.id);
          const res = await patch(agent, t.id, { version: t.version, status: to });
          if (ok) {
            expect(res.status).toBe(200);
            expect((await ticketRow(t.id))!.status).toBe(to);
            expect(await auditCount(t.id)).toBe(audits + 1);
          } else {
            const p = await problem(res, 409);
            expect(p.allowedNextStatuses).toEqual(STATUSES.filter((s) => canTransition(from, s)));
            expect(p.detail).toContain(`${/^[aeiou]/.test(from) ? 'An' : 'A'} ${from} ticket cannot become ${to}.`);
            expect(await ticketRow(t.id)).toEqual(row);
            expect(await auditCount(t.id)).toBe(audits);
          }
        });
      }
    }
  });
});

describe('comments', () => {
  it('a requester comment on a pending ticket reopens it; 201 with the comment', async () => {
    const t = await ticketAt(requester, agent, 'pending');
    const res = await api(requester, `/tickets/${t.id}/comments`, { json: { body: 'still broken' } });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({
      comment: { body: 'still broken', internal: false, author: { id: requester.id } },
      ticket: { status: 'open' },
      reopened: true,
    });
  });

  it('an empty comment is a 422 and writes nothing', async () => {
    const t = await newTicket(requester);
    await problem(await api(requester, `/tickets/${t.id}/comments`, { json: { body: '  ' } }), 422);
    expect(await auditCount(t.id)).toBe(1);
  });
});

describe('users', () => {
  it('staff list users with a cursor; requesters may not', async () => {
    const page = (await (await api(agent, '/users?limit=2')).json()) as { users: Array<{ id: number }>; nextCursor: string | null };
    expect(page.users).toHaveLength(2);
    expect(page.nextCursor).toBe(String(page.users[1]!.id));
    const next = (await (await api(agent, `/users?limit=2&after=${page.nextCursor}`)).json()) as { users: Array<{ id: number }> };
    expect(next.users[0]!.id).toBeGreaterThan(page.users[1]!.id);
    await problem(await api(requester, '/users'), 403);
  });
});

describe('auth', () => {
  it('needs a token with the lexicon scope, and a signed-in caller', async () => {
    const user = await signedUp();
    const wrongScope = await createToken(user, ['account:read']);
    const res = await new Client().fetch('/lexicon/api/tickets', { headers: { authorization: `Bearer ${wrongScope}` }, bare: true });
    const p = await problem(res, 403);
    expect(p.detail).toContain('lacks the “lexicon” scope');
    expect(res.headers.get('www-authenticate')).toContain('scope="lexicon"');
    await problem(await new Client().fetch('/lexicon/api/tickets', { bare: true }), 401);
  });
});
