// Lexicon's writes (workers/lexicon/writes.ts): the lifecycle enforced by the
// database, one audit row per change, trigger-kept counts, all-or-nothing bulk changes.
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import * as queries from '../../workers/lexicon/queries';
import type { Actor, Changes, TicketRow } from '../../workers/lexicon/rows';
import { canTransition, STATUSES, type Status } from '../../workers/lexicon/status';
import * as writes from '../../workers/lexicon/writes';
import { actor, auditCount, pathTo } from '../support/lexicon';

let agent: Actor;
let requester: Actor;
let other: Actor;
let agent2: Actor;

beforeAll(async () => {
  agent = await actor('agent@example.com', 'agent', 'req-agent');
  agent2 = await actor('agent2@example.com', 'agent');
  requester = await actor('req@example.com', 'member', 'req-member');
  other = await actor('other@example.com', 'member');
});

type Change = { ok: true; ticket: TicketRow } | { ok: false; reason: string };

/** updateTicket as one field's change, as the UI's status and assign actions make it. */
async function update(id: number, expectedVersion: number, set: Changes, actor: Actor, now: number): Promise<Change> {
  const r = await writes.updateTicket(env.DB, { id, expectedVersion, set, actor, viewer: { id: actor.id, staff: true }, now });
  if (!r.ok) return { ok: false, reason: r.reason };
  return r.changed ? { ok: true, ticket: r.ticket } : { ok: false, reason: 'unchanged' };
}
const changeStatus = (i: { id: number; expectedVersion: number; to: Status; actor: Actor; now: number }) =>
  update(i.id, i.expectedVersion, { status: i.to }, i.actor, i.now);
const assign = (i: { id: number; expectedVersion: number; to: number | null; actor: Actor; now: number }) =>
  update(i.id, i.expectedVersion, { assigneeId: i.to }, i.actor, i.now);

async function ticketAt(status: Status): Promise<TicketRow> {
  let t = await writes.createTicket(env.DB, { subject: `at ${status}`, body: 'b', priority: 'normal', tags: [], actor: requester, now: 1000 });
  for (const to of pathTo(status)) {
    const r = await changeStatus({ id: t.id, expectedVersion: t.version, to, actor: agent, now: 2000 });
    if (!r.ok) throw new Error(`walk failed at ${to}: ${r.reason}`);
    t = r.ticket;
  }
  return t;
}

describe('the lifecycle is enforced by the database', () => {
  for (const from of STATUSES) {
    for (const to of STATUSES) {
      if (from === to) continue;
      const ok = canTransition(from, to);
      it(`${from} → ${to}: ${ok ? 'allowed' : 'refused'} through the repository and through raw SQL`, async () => {
        // Through the repository (what the API and UI call).
        const t = await ticketAt(from);
        const before = await auditCount(t.id);
        const r = await changeStatus({ id: t.id, expectedVersion: t.version, to, actor: agent, now: 3000 });
        expect(r.ok).toBe(ok);
        if (!r.ok) expect(r.reason).toBe('invalid_transition');
        expect(await auditCount(t.id)).toBe(before + (ok ? 1 : 0));
        const after = await queries.findTicket(env.DB, t.id);
        expect(after!.status).toBe(ok ? to : from);

        // Through a raw UPDATE, as someone at a SQL console would.
        const raw = await ticketAt(from);
        const attempt = env.DB.prepare('UPDATE tickets SET status = ?, version = version + 1 WHERE id = ?').bind(to, raw.id).run();
        if (ok) await expect(attempt).resolves.toBeTruthy();
        else await expect(attempt).rejects.toThrow(/invalid_transition/);
      });
    }
  }

  it('tickets start as new, and every update must bump the version', async () => {
    await expect(
      env.DB.prepare(
        "INSERT INTO tickets (subject, body, status, creator_id, created_at, updated_at, first_response_due_at, resolution_due_at) VALUES ('x', 'y', 'open', ?, 0, 0, 0, 0)",
      )
        .bind(requester.id)
        .run(),
    ).rejects.toThrow(/tickets start as new/);
    const t = await ticketAt('new');
    await expect(env.DB.prepare("UPDATE tickets SET priority = 'high' WHERE id = ?").bind(t.id).run()).rejects.toThrow(/version_not_bumped/);
  });

  it('the audit trail is append-only', async () => {
    const t = await ticketAt('open');
    await expect(env.DB.prepare("UPDATE lexicon_audit SET action = 'tag' WHERE ticket_id = ?").bind(t.id).run()).rejects.toThrow(/audit_append_only/);
    await expect(env.DB.prepare('DELETE FROM lexicon_audit WHERE ticket_id = ?').bind(t.id).run()).rejects.toThrow(/audit_append_only/);
  });
});

describe('one audit row per change, none for a change that did not happen', () => {
  it('create, status, assign, comment each write exactly one; a stale version writes none', async () => {
    const t = await writes.createTicket(env.DB, {
      subject: 'printer',
      body: 'on fire',
      priority: 'high',
      tags: ['hardware', 'urgent-ish'],
      actor: requester,
      now: 10,
    });
    expect(await auditCount(t.id)).toBe(1);
    const opened = await changeStatus({ id: t.id, expectedVersion: 1, to: 'open', actor: agent, now: 20 });
    expect(opened.ok).toBe(true);
    expect(await auditCount(t.id)).toBe(2);
    // A second agent acting on the version they loaded (1) loses: nothing is overwritten or audited.
    const stale = await changeStatus({ id: t.id, expectedVersion: 1, to: 'open', actor: other, now: 21 });
    expect(stale).toEqual({ ok: false, reason: 'conflict' });
    const staleAssign = await assign({ id: t.id, expectedVersion: 1, to: agent.id, actor: other, now: 22 });
    expect(staleAssign).toEqual({ ok: false, reason: 'conflict' });
    expect(await auditCount(t.id)).toBe(2);
    const assigned = await assign({ id: t.id, expectedVersion: 2, to: agent.id, actor: agent, now: 30 });
    expect(assigned.ok).toBe(true);
    await writes.addComment(env.DB, { ticketId: t.id, body: 'On it.', internal: false, actor: agent, viewer: { id: agent.id, staff: true }, now: 40 });
    await writes.addComment(env.DB, { ticketId: t.id, body: 'Toner again.', internal: true, actor: agent, viewer: { id: agent.id, staff: true }, now: 50 });
    const trail = await queries.auditTrail(env.DB, t.id);
    expect(trail.map((a) => [a.action, a.from, a.to])).toEqual([
      ['create', null, 'new'],
      ['status', 'new', 'open'],
      ['assign', null, String(agent.id)],
      ['comment', null, null],
      ['note', null, null],
    ]);
    expect(trail[1]).toMatchObject({ actorId: agent.id, requestId: 'req-agent', createdAt: 20 });
    expect(await changeStatus({ id: 999_999, expectedVersion: 1, to: 'open', actor: agent, now: 1 })).toEqual({ ok: false, reason: 'not_found' });
  });

  it("a requester's reply reopens a pending ticket in the same batch, with its own audit row", async () => {
    const t = await ticketAt('pending');
    const before = await auditCount(t.id);
    const r = await writes.addComment(env.DB, {
      ticketId: t.id,
      body: 'Still broken',
      internal: false,
      actor: requester,
      viewer: { id: requester.id, staff: false },
      now: 60,
    });
    expect(r).toMatchObject({ ok: true, reopened: true });
    expect((await queries.findTicket(env.DB, t.id))!.status).toBe('open');
    expect(await auditCount(t.id)).toBe(before + 2);
    // On an open ticket the same reply changes no status and audits only the comment.
    const again = await writes.addComment(env.DB, {
      ticketId: t.id,
      body: 'Hello?',
      internal: false,
      actor: requester,
      viewer: { id: requester.id, staff: false },
      now: 70,
    });
    expect(again).toMatchObject({ ok: true, reopened: false });
    expect(await auditCount(t.id)).toBe(before + 3);
  });
});

describe('priority, tags and assignee', () => {
  it('change in one batch with one audit row each; asking for what is already so changes nothing', async () => {
    const t = await writes.createTicket(env.DB, { subject: 'Laptop', body: 'slow', priority: 'normal', tags: ['hw'], actor: requester, now: 1 });
    const staff = { id: agent.id, staff: true };
    const r = await writes.updateTicket(env.DB, {
      id: t.id,
      expectedVersion: 1,
      set: { priority: 'high', tags: ['laptop', 'hw', 'laptop'], assigneeId: agent.id },
      actor: agent,
      viewer: staff,
      now: 5,
    });
    expect(r).toMatchObject({ ok: true, changed: true });
    if (!r.ok) throw new Error(`refused: ${r.reason}`);
    expect(r.detail).toMatchObject({ version: 2, priority: 'high', tags: ['hw', 'laptop'], assignee: { id: agent.id } });
    expect(r.context!.agents.map((a) => a.id)).toContain(agent.id);
    expect(r.context!.agents.map((a) => a.id)).not.toContain(requester.id);
    const trail = await queries.auditTrail(env.DB, t.id);
    expect(trail.slice(1).map((a) => [a.action, a.from, a.to])).toEqual([
      ['priority', 'normal', 'high'],
      ['assign', null, String(agent.id)],
      ['tag', '["hw"]', '["hw","laptop"]'],
    ]);
    const tagIndex = await env.DB.prepare('SELECT tag FROM lexicon_ticket_tags WHERE ticket_id = ? ORDER BY tag').bind(t.id).all<{ tag: string }>();
    expect(tagIndex.results.map((x) => x.tag)).toEqual(['hw', 'laptop']);
    // The same values again: no version bump, no audit row.
    const same = await writes.updateTicket(env.DB, {
      id: t.id,
      expectedVersion: 2,
      set: { priority: 'high', tags: ['laptop', 'hw'] },
      actor: agent,
      viewer: staff,
      now: 6,
    });
    expect(same).toMatchObject({ ok: true, changed: false });
    if (!same.ok) throw new Error(`refused: ${same.reason}`);
    expect(same.detail!.version).toBe(2);
    expect(await auditCount(t.id)).toBe(4);
    // Removing a tag updates the index too.
    await writes.updateTicket(env.DB, { id: t.id, expectedVersion: 2, set: { tags: ['laptop'] }, actor: agent, viewer: staff, now: 7 });
    const after = await env.DB.prepare('SELECT tag FROM lexicon_ticket_tags WHERE ticket_id = ?').bind(t.id).all<{ tag: string }>();
    expect(after.results.map((x) => x.tag)).toEqual(['laptop']);
  });

  it('only active agents and admins can be assignees, whoever writes the UPDATE', async () => {
    const t = await writes.createTicket(env.DB, { subject: 'Mouse', body: 'gone', priority: 'low', tags: [], actor: requester, now: 1 });
    const r = await assign({ id: t.id, expectedVersion: 1, to: other.id, actor: agent, now: 2 });
    expect(r).toEqual({ ok: false, reason: 'assignee_not_agent' });
    expect(await auditCount(t.id)).toBe(1);
    await expect(env.DB.prepare('UPDATE tickets SET assignee_id = ?, version = version + 1 WHERE id = ?').bind(requester.id, t.id).run()).rejects.toThrow(
      /assignee_not_agent/,
    );
    const bulk = await writes.bulkUpdate(env.DB, { ids: [t.id], set: { assigneeId: other.id }, actor: agent, now: 3 });
    expect(bulk).toEqual({ ok: false, reason: 'assignee_not_agent' });
    expect((await queries.findTicket(env.DB, t.id))!.assigneeId).toBeNull();
  });
});

describe('queue counts', () => {
  it('stay equal to a full recount after a random mix of writes', async () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const tickets: TicketRow[] = [];
    for (let i = 0; i < 40; i++)
      tickets.push(await writes.createTicket(env.DB, { subject: `r${i}`, body: 'b', priority: 'low', tags: [], actor: requester, now: 100 + i }));
    for (let step = 0; step < 200; step++) {
      const i = rand(tickets.length);
      const t = tickets[i]!;
      if (rand(3) === 0) {
        const to = [null, agent.id, agent2.id][rand(3)]!;
        const r = await assign({ id: t.id, expectedVersion: t.version, to, actor: agent, now: 500 + step });
        if (r.ok) tickets[i] = r.ticket;
      } else {
        const to = STATUSES[rand(STATUSES.length)]!;
        if (to === t.status) continue;
        const r = await changeStatus({ id: t.id, expectedVersion: t.version, to, actor: agent, now: 500 + step });
        if (r.ok) tickets[i] = r.ticket;
      }
    }
    const kept = await env.DB.prepare('SELECT queue, n FROM lexicon_counts ORDER BY queue').all<{ queue: string; n: number }>();
    const actual = await env.DB.prepare(`
      SELECT s.status AS queue, (SELECT count(*) FROM tickets t WHERE t.status = s.status) AS n FROM lexicon_statuses s
      UNION ALL SELECT 'unassigned', count(*) FROM tickets WHERE assignee_id IS NULL AND status IN ('new', 'open', 'pending')
      ORDER BY queue`).all<{ queue: string; n: number }>();
    expect(kept.results).toEqual(actual.results);
    const perAssignee = await env.DB.prepare('SELECT assignee_id, status, n FROM lexicon_assignee_counts WHERE n > 0 ORDER BY assignee_id, status').all();
    const recount = await env.DB.prepare(
      'SELECT assignee_id, status, count(*) AS n FROM tickets WHERE assignee_id IS NOT NULL GROUP BY assignee_id, status ORDER BY assignee_id, status',
    ).all();
    expect(perAssignee.results).toEqual(recount.results);
    const counts = await queries.queueContext(env.DB, { userId: agent.id, now: 0 }).then((c) => c.counts);
    const mine = await env.DB.prepare("SELECT count(*) AS n FROM tickets WHERE assignee_id = ? AND status IN ('new', 'open', 'pending')")
      .bind(agent.id)
      .first<{ n: number }>();
    expect(counts.mine).toBe(mine!.n);
    expect(counts.mine).toBeGreaterThan(0);
  });
});

describe('bulk status changes', () => {
  it('move every selected ticket in one batch, auditing each', async () => {
    const a = await ticketAt('new');
    const b = await ticketAt('new');
    const c = await ticketAt('open'); // already there: untouched, not audited
    const before = await Promise.all([a, b, c].map((t) => auditCount(t.id)));
    const r = await writes.bulkUpdate(env.DB, { ids: [a.id, b.id, c.id, a.id], set: { status: 'open' }, actor: agent, now: 9000 });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.changed.map((t) => t.id).sort()).toEqual([a.id, b.id].sort());
    const after = await Promise.all([a, b, c].map((t) => auditCount(t.id)));
    expect(after).toEqual([before[0]! + 1, before[1]! + 1, before[2]!]);
    expect((await queries.findTicket(env.DB, c.id))!.version).toBe(c.version);
  });

  it('reject the whole set when one ticket may not move, changing and auditing nothing', async () => {
    const ok1 = await ticketAt('open');
    const ok2 = await ticketAt('pending');
    const blocked = await ticketAt('new'); // new → resolved is not allowed
    const tickets = [ok1, ok2, blocked];
    const audits = await Promise.all(tickets.map((t) => auditCount(t.id)));
    const r = await writes.bulkUpdate(env.DB, { ids: tickets.map((t) => t.id), set: { status: 'resolved' }, actor: agent, now: 9100 });
    expect(r).toEqual({ ok: false, reason: 'invalid_transition', blocking: [{ id: blocked.id, status: 'new' }] });
    for (const [i, t] of tickets.entries()) {
      const now = await queries.findTicket(env.DB, t.id);
      expect(now).toEqual(t);
      expect(await auditCount(t.id)).toBe(audits[i]);
    }
  });
});
