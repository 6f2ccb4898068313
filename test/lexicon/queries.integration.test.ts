// Lexicon's reads (workers/lexicon/queries.ts): a ticket with its people, tags and
// comments in one query, hiding what requesters may not see; a queue page over
// 10,000 tickets reads at most 2× the rows it returns.
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { requestScope, type D1Cost } from '../../shared/context';
import { run } from '../../shared/db';
import * as queries from '../../workers/lexicon/queries';
import { cursorAfter, type Actor, type Cursor } from '../../workers/lexicon/rows';
import * as writes from '../../workers/lexicon/writes';
import { actor } from '../support/lexicon';

let agent: Actor;
let requester: Actor;
let other: Actor;

beforeAll(async () => {
  agent = await actor('agent@example.com', 'agent', 'req-agent');
  requester = await actor('req@example.com', 'member', 'req-member');
  other = await actor('other@example.com', 'member');
});

describe('reads', () => {
  it('ticket detail with creator, assignee, tags and comments is one query, and hides what requesters may not see', async () => {
    const t = await writes.createTicket(env.DB, {
      subject: 'VPN',
      body: 'cannot connect',
      priority: 'normal',
      tags: ['network', 'vpn'],
      actor: requester,
      now: 1,
    });
    await writes.updateTicket(env.DB, {
      id: t.id,
      expectedVersion: 1,
      set: { assigneeId: agent.id },
      actor: agent,
      viewer: { id: agent.id, staff: true },
      now: 2,
    });
    await writes.addComment(env.DB, { ticketId: t.id, body: 'Which client?', internal: false, actor: agent, viewer: { id: agent.id, staff: true }, now: 3 });
    await writes.addComment(env.DB, {
      ticketId: t.id,
      body: 'user is on old laptop',
      internal: true,
      actor: agent,
      viewer: { id: agent.id, staff: true },
      now: 4,
    });
    await writes.addComment(env.DB, { ticketId: t.id, body: 'Cisco', internal: false, actor: requester, viewer: { id: requester.id, staff: false }, now: 5 });

    const cost: D1Cost = { queries: 0, statements: 0, rowsRead: 0, rowsWritten: 0 };
    const staffView = await requestScope.run({ requestId: 't', cost }, () => queries.ticketDetail(env.DB, { id: t.id, viewer: { id: agent.id, staff: true } }));
    expect(cost.queries).toBe(1);
    expect(staffView).toMatchObject({
      id: t.id,
      subject: 'VPN',
      status: 'new',
      version: 4, // create, assign, two public comments (an internal note moves nothing a requester sees, version included)
      creator: { id: requester.id, email: 'req@example.com' },
      assignee: { id: agent.id, email: 'agent@example.com' },
    });
    expect(staffView!.tags.sort()).toEqual(['network', 'vpn']);
    expect(staffView!.comments.map((c) => [c.body, c.internal, c.author.email])).toEqual([
      ['Which client?', false, 'agent@example.com'],
      ['user is on old laptop', true, 'agent@example.com'],
      ['Cisco', false, 'req@example.com'],
    ]);
    const mine = await queries.ticketDetail(env.DB, { id: t.id, viewer: { id: requester.id, staff: false } });
    expect(mine!.comments.map((c) => c.body)).toEqual(['Which client?', 'Cisco']);
    expect(JSON.stringify(mine)).not.toContain('old laptop');
    expect(await queries.ticketDetail(env.DB, { id: t.id, viewer: { id: other.id, staff: false } })).toBeNull();
    expect(await queries.ticketDetail(env.DB, { id: 987_654, viewer: { id: other.id, staff: false } })).toBeNull();
    const unassigned = await writes.createTicket(env.DB, { subject: 'x', body: 'y', priority: 'low', tags: [], actor: requester, now: 1 });
    expect((await queries.ticketDetail(env.DB, { id: unassigned.id, viewer: { id: agent.id, staff: true } }))!).toMatchObject({
      assignee: null,
      tags: [],
      comments: [],
    });
  });

  it('a queue page over 10,000 tickets reads at most 2× the rows it returns', async () => {
    // Seed 10k tickets in one statement (triggers keep the counts), then spread them over statuses.
    await run(
      env.DB,
      sql`
      WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 10000)
      INSERT INTO tickets (subject, body, priority, creator_id, created_at, updated_at, first_response_due_at, resolution_due_at)
      SELECT 'Seeded ticket ' || n, 'body ' || n, 'normal', ${requester.id}, n, 100000 + n, n + 1000, n + 5000 FROM seq`,
    );
    await run(env.DB, sql`UPDATE tickets SET status = 'open', version = version + 1 WHERE subject LIKE 'Seeded%' AND id % 2 = 0`);
    await run(env.DB, sql`UPDATE tickets SET status = 'pending', version = version + 1 WHERE subject LIKE 'Seeded%' AND id % 4 = 0`);
    const counts = await queries.queueContext(env.DB, { userId: agent.id, now: 0 }).then((c) => c.counts);
    expect(counts.new + counts.open + counts.pending + counts.resolved + counts.closed).toBeGreaterThanOrEqual(10_000);

    for (const status of ['new', 'open', 'pending'] as const) {
      const cost: D1Cost = { queries: 0, statements: 0, rowsRead: 0, rowsWritten: 0 };
      const page1 = await requestScope.run({ requestId: 't', cost }, () =>
        queries.listQueue(env.DB, { queue: status, viewer: { id: agent.id, staff: true }, cursor: null, limit: 50, now: 0 }),
      );
      expect(page1).toHaveLength(50);
      expect(cost.rowsRead, `${status} page 1`).toBeLessThanOrEqual(2 * 50);
      const last = page1[49]!;
      const cost2: D1Cost = { queries: 0, statements: 0, rowsRead: 0, rowsWritten: 0 };
      const page2 = await requestScope.run({ requestId: 't', cost: cost2 }, () =>
        queries.listQueue(env.DB, { queue: status, viewer: { id: agent.id, staff: true }, cursor: cursorAfter(status, last), limit: 50, now: 0 }),
      );
      expect(page2).toHaveLength(50);
      expect(page2[0]!.updatedAt).toBeLessThanOrEqual(last.updatedAt);
      expect(page2.some((t) => page1.some((p) => p.id === t.id))).toBe(false);
      expect(cost2.rowsRead, `${status} page 2`).toBeLessThanOrEqual(2 * 50);
    }
    // Every other queue, each through its own index: assign half the seeded tickets to the
    // agent, make every one overdue, and page through Mine, Unassigned, Overdue and a requester's own.
    await run(env.DB, sql`UPDATE tickets SET assignee_id = ${agent.id}, version = version + 1 WHERE subject LIKE 'Seeded%' AND id % 3 <> 0`);
    const later = 10_000_000;
    for (const queue of ['mine', 'unassigned', 'overdue', 'own'] as const) {
      const viewer = queue === 'own' ? { id: requester.id, staff: false } : { id: agent.id, staff: true };
      let cursor: Cursor | null = null;
      for (const page of [1, 2]) {
        const cost: D1Cost = { queries: 0, statements: 0, rowsRead: 0, rowsWritten: 0 };
        const rows = await requestScope.run({ requestId: 't', cost }, () => queries.listQueue(env.DB, { queue, viewer, cursor, limit: 50, now: later }));
        expect(rows, `${queue} page ${page}`).toHaveLength(50);
        expect(cost.rowsRead, `${queue} page ${page}`).toBeLessThanOrEqual(2 * 50);
        cursor = cursorAfter(queue, rows[49]!);
      }
    }

    // The counts themselves read a handful of rows, not the 10k tickets.
    const cost3: D1Cost = { queries: 0, statements: 0, rowsRead: 0, rowsWritten: 0 };
    await requestScope.run({ requestId: 't', cost: cost3 }, () => queries.queueContext(env.DB, { userId: agent.id, now: 0 }).then((c) => c.counts));
    expect(cost3.rowsRead).toBeLessThan(100);
  });
});
