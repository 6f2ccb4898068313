/**
 * Lexicon's SQL. Reads are one query each; every mutation is one `batch()` that
 * changes the ticket (guarded by its version), writes the audit row only if that
 * change happened (`WHERE changes() = 1`: D1 runs a batch's statements in order on
 * one connection, in one transaction), and lets the triggers keep the queue counts.
 */
import { sql } from 'drizzle-orm';
import { all, batch, first, raisedCode } from '../../shared/db';
import { dueTimes, type Priority, type Status } from './status';

export type TicketRow = {
  id: number;
  subject: string;
  status: Status;
  priority: Priority;
  creatorId: number;
  assigneeId: number | null;
  createdAt: number;
  updatedAt: number;
  resolutionDueAt: number;
  version: number;
};

type TicketDb = {
  id: number; subject: string; status: Status; priority: Priority; creator_id: number; assignee_id: number | null;
  created_at: number; updated_at: number; resolution_due_at: number; version: number;
};

function toRow(r: TicketDb): TicketRow {
  return {
    id: r.id, subject: r.subject, status: r.status, priority: r.priority, creatorId: r.creator_id, assigneeId: r.assignee_id,
    createdAt: r.created_at, updatedAt: r.updated_at, resolutionDueAt: r.resolution_due_at, version: r.version,
  };
}

const ROW = sql.raw('id, subject, status, priority, creator_id, assignee_id, created_at, updated_at, resolution_due_at, version');

export type Actor = { id: number; requestId: string | null };

/** Creates a ticket (status new), its tags and its audit row in one batch. Returns the ticket. */
export async function createTicket(
  db: D1Database,
  input: { subject: string; body: string; priority: Priority; tags: string[]; actor: Actor; now: number },
): Promise<TicketRow> {
  const due = dueTimes(input.priority, input.now);
  const [inserted] = await batch<TicketDb>(db, [
    sql`INSERT INTO tickets (subject, body, priority, creator_id, created_at, updated_at, first_response_due_at, resolution_due_at)
        VALUES (${input.subject}, ${input.body}, ${input.priority}, ${input.actor.id}, ${input.now}, ${input.now},
                ${due.firstResponseDueAt}, ${due.resolutionDueAt})
        RETURNING ${ROW}`,
    // Tags go to a WITHOUT ROWID table, which leaves last_insert_rowid() on the ticket.
    sql`INSERT INTO lexicon_ticket_tags (ticket_id, tag) SELECT last_insert_rowid(), value FROM json_each(${JSON.stringify(input.tags)})`,
    sql`INSERT INTO lexicon_audit (ticket_id, actor_id, action, from_value, to_value, request_id, created_at)
        VALUES (last_insert_rowid(), ${input.actor.id}, 'create', NULL, 'new', ${input.actor.requestId}, ${input.now})`,
  ]);
  const row = inserted?.results[0];
  if (!row) throw new Error('ticket insert returned no row');
  return toRow(row);
}

export async function findTicket(db: D1Database, id: number): Promise<TicketRow | null> {
  const row = await first<TicketDb>(db, sql`SELECT ${ROW} FROM tickets WHERE id = ${id}`);
  return row && toRow(row);
}

export type ChangeResult = { ok: true; ticket: TicketRow } | { ok: false; reason: 'conflict' | 'invalid_transition' | 'not_found' };

/**
 * Moves a ticket to another status if it is still at `expectedVersion`. The
 * lifecycle trigger refuses illegal moves; a stale version changes nothing and the
 * caller gets 'conflict' (to answer 409 with the fresh row). `from` is the status
 * the caller saw at that version, recorded in the audit row.
 */
export async function changeStatus(
  db: D1Database,
  input: { id: number; expectedVersion: number; from: Status; to: Status; actor: Actor; now: number },
): Promise<ChangeResult> {
  try {
    const [updated] = await batch<TicketDb>(db, [
      sql`UPDATE tickets
             SET status = ${input.to}, version = version + 1, updated_at = ${input.now},
                 resolved_at = CASE WHEN ${input.to} = 'resolved' THEN ${input.now} WHEN ${input.to} = 'open' THEN NULL ELSE resolved_at END
           WHERE id = ${input.id} AND version = ${input.expectedVersion}
       RETURNING ${ROW}`,
      sql`INSERT INTO lexicon_audit (ticket_id, actor_id, action, from_value, to_value, request_id, created_at)
          SELECT ${input.id}, ${input.actor.id}, 'status', ${input.from}, ${input.to}, ${input.actor.requestId}, ${input.now}
           WHERE changes() = 1`,
    ]);
    const row = updated?.results[0];
    if (row) return { ok: true, ticket: toRow(row) };
  } catch (error) {
    if (raisedCode(error, 'invalid_transition')) return { ok: false, reason: 'invalid_transition' };
    throw error;
  }
  return { ok: false, reason: (await findTicket(db, input.id)) ? 'conflict' : 'not_found' };
}

/** Assigns (or unassigns, with null) if the ticket is still at `expectedVersion`. */
export async function assign(
  db: D1Database,
  input: { id: number; expectedVersion: number; from: number | null; to: number | null; actor: Actor; now: number },
): Promise<ChangeResult> {
  const [updated] = await batch<TicketDb>(db, [
    sql`UPDATE tickets SET assignee_id = ${input.to}, version = version + 1, updated_at = ${input.now}
         WHERE id = ${input.id} AND version = ${input.expectedVersion}
     RETURNING ${ROW}`,
    sql`INSERT INTO lexicon_audit (ticket_id, actor_id, action, from_value, to_value, request_id, created_at)
        SELECT ${input.id}, ${input.actor.id}, 'assign', ${input.from === null ? null : String(input.from)},
               ${input.to === null ? null : String(input.to)}, ${input.actor.requestId}, ${input.now}
         WHERE changes() = 1`,
  ]);
  const row = updated?.results[0];
  if (row) return { ok: true, ticket: toRow(row) };
  return { ok: false, reason: (await findTicket(db, input.id)) ? 'conflict' : 'not_found' };
}

/**
 * Adds a public reply or an internal note. A requester's reply reopens a pending
 * ticket, in the same batch, with its own audit row.
 */
export async function addComment(
  db: D1Database,
  input: { ticketId: number; body: string; internal: boolean; reopenIfPending: boolean; actor: Actor; now: number },
): Promise<{ reopened: boolean }> {
  const results = await batch(db, [
    sql`INSERT INTO lexicon_comments (ticket_id, author_id, body, internal, created_at)
        VALUES (${input.ticketId}, ${input.actor.id}, ${input.body}, ${input.internal ? 1 : 0}, ${input.now})`,
    sql`INSERT INTO lexicon_audit (ticket_id, actor_id, action, from_value, to_value, request_id, created_at)
        VALUES (${input.ticketId}, ${input.actor.id}, ${input.internal ? 'note' : 'comment'}, NULL, NULL, ${input.actor.requestId}, ${input.now})`,
    // RETURNING, not meta.changes: D1's `changes` also counts the rows the count triggers touch.
    input.reopenIfPending
      ? sql`UPDATE tickets SET status = 'open', version = version + 1, updated_at = ${input.now}
             WHERE id = ${input.ticketId} AND status = 'pending' RETURNING id`
      : sql`UPDATE tickets SET version = version + 1, updated_at = ${input.now} WHERE id = ${input.ticketId} RETURNING id`,
    sql`INSERT INTO lexicon_audit (ticket_id, actor_id, action, from_value, to_value, request_id, created_at)
        SELECT ${input.ticketId}, ${input.actor.id}, 'status', 'pending', 'open', ${input.actor.requestId}, ${input.now}
         WHERE ${input.reopenIfPending ? 1 : 0} = 1 AND changes() = 1`,
  ]);
  return { reopened: input.reopenIfPending && (results[2]?.results.length ?? 0) === 1 };
}

export type QueueCounts = Record<Status | 'unassigned', number> & { mine: number; overdue: number };

/**
 * The live counts of every queue: the status and unassigned counts are read from
 * the trigger-maintained table (a handful of rows, no scan), "Mine" from the
 * per-assignee table, and "Overdue" (which changes with time, not with writes)
 * from the partial index on resolution_due_at.
 */
export async function queueCounts(db: D1Database, input: { userId: number; now: number }): Promise<QueueCounts> {
  const rows = await all<{ queue: string; n: number }>(db, sql`
    SELECT queue, n FROM lexicon_counts
    UNION ALL SELECT 'mine', coalesce(sum(n), 0) FROM lexicon_assignee_counts
               WHERE assignee_id = ${input.userId} AND status IN ('new', 'open', 'pending')
    UNION ALL SELECT 'overdue', count(*) FROM tickets INDEXED BY tickets_due
               WHERE status IN ('new', 'open', 'pending') AND resolution_due_at < ${input.now}`);
  const counts = { new: 0, open: 0, pending: 0, resolved: 0, closed: 0, unassigned: 0, mine: 0, overdue: 0 } as QueueCounts;
  for (const r of rows) (counts as Record<string, number>)[r.queue] = r.n;
  return counts;
}

export type Cursor = { updatedAt: number; id: number };

/** One page of a status queue, newest activity first, after `cursor` (key pagination). */
export async function listByStatus(db: D1Database, input: { status: Status; cursor: Cursor | null; limit: number }): Promise<TicketRow[]> {
  const after = input.cursor ? sql`AND (updated_at, id) < (${input.cursor.updatedAt}, ${input.cursor.id})` : sql``;
  const rows = await all<TicketDb>(db, sql`
    SELECT ${ROW} FROM tickets INDEXED BY tickets_by_status
     WHERE status = ${input.status} ${after}
     ORDER BY updated_at DESC, id DESC
     LIMIT ${input.limit}`);
  return rows.map(toRow);
}

export type TicketDetail = TicketRow & {
  body: string;
  creator: { id: number; email: string; name: string };
  assignee: { id: number; email: string; name: string } | null;
  tags: string[];
  comments: Array<{ id: number; body: string; internal: boolean; createdAt: number; author: { id: number; email: string; name: string } }>;
};

/**
 * A ticket with its creator, assignee, tags and comments (with authors) in ONE
 * query, built with json_object / json_group_array. `viewer` decides what is
 * visible: requesters see only their own tickets and never internal notes; for
 * anything else the answer is null, exactly as for a ticket that does not exist.
 */
export async function ticketDetail(db: D1Database, input: { id: number; viewer: { id: number; staff: boolean } }): Promise<TicketDetail | null> {
  const staff = input.viewer.staff ? 1 : 0;
  const row = await first<{ ticket: string }>(db, sql`
    SELECT json_object(
             'id', t.id, 'subject', t.subject, 'body', t.body, 'status', t.status, 'priority', t.priority,
             'creatorId', t.creator_id, 'assigneeId', t.assignee_id, 'createdAt', t.created_at, 'updatedAt', t.updated_at,
             'resolutionDueAt', t.resolution_due_at, 'version', t.version,
             'creator', json_object('id', c.id, 'email', c.email, 'name', c.display_name),
             'assignee', CASE WHEN a.id IS NULL THEN NULL ELSE json_object('id', a.id, 'email', a.email, 'name', a.display_name) END,
             'tags', (SELECT json_group_array(tag) FROM lexicon_ticket_tags WHERE ticket_id = t.id),
             'comments', (SELECT json_group_array(json_object(
                             'id', m.id, 'body', m.body, 'internal', json(iif(m.internal, 'true', 'false')), 'createdAt', m.created_at,
                             'author', json_object('id', u.id, 'email', u.email, 'name', u.display_name)))
                            FROM (SELECT * FROM lexicon_comments
                                   WHERE ticket_id = t.id AND (internal = 0 OR ${staff} = 1)
                                   ORDER BY created_at, id) m
                            JOIN users u ON u.id = m.author_id)
           ) AS ticket
      FROM tickets t
      JOIN users c ON c.id = t.creator_id
      LEFT JOIN users a ON a.id = t.assignee_id
     WHERE t.id = ${input.id} AND (${staff} = 1 OR t.creator_id = ${input.viewer.id})`);
  return row ? (JSON.parse(row.ticket) as TicketDetail) : null;
}

export type AuditRow = { id: number; ticketId: number; actorId: number | null; action: string; from: string | null; to: string | null; requestId: string | null; createdAt: number };

export async function auditTrail(db: D1Database, ticketId: number): Promise<AuditRow[]> {
  const rows = await all<{ id: number; ticket_id: number; actor_id: number | null; action: string; from_value: string | null; to_value: string | null; request_id: string | null; created_at: number }>(
    db,
    sql`SELECT id, ticket_id, actor_id, action, from_value, to_value, request_id, created_at FROM lexicon_audit WHERE ticket_id = ${ticketId} ORDER BY id`,
  );
  return rows.map((r) => ({ id: r.id, ticketId: r.ticket_id, actorId: r.actor_id, action: r.action, from: r.from_value, to: r.to_value, requestId: r.request_id, createdAt: r.created_at }));
}

/**
 * Full-text search over subject, body and comments (and internal notes, for staff).
 * Terms of 3+ characters go through the trigram index; a shorter query falls back
 * to a prefix match on the subject. Requesters only ever search their own tickets.
 */
export async function searchTickets(
  db: D1Database,
  input: { query: string; viewer: { id: number; staff: boolean }; limit: number },
): Promise<TicketRow[]> {
  const terms = input.query.trim().split(/\s+/).filter(Boolean).slice(0, 8);
  const mine = input.viewer.staff ? sql`` : sql`AND t.creator_id = ${input.viewer.id}`;
  if (terms.length === 0) return [];
  if (terms.every((t) => [...t].length < 3)) {
    // Too short for trigrams: prefix search on the subject (LIKE's wildcards escaped).
    const prefix = `${terms.join(' ').replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const rows = await all<TicketDb>(db, sql`
      SELECT ${sql.raw(ROW_T)} FROM tickets t
       WHERE t.subject LIKE ${prefix} ESCAPE '\\' ${mine}
       ORDER BY t.updated_at DESC, t.id DESC LIMIT ${input.limit}`);
    return rows.map(toRow);
  }
  // Each term is quoted (an FTS5 string), so user input is never FTS syntax.
  const columns = input.viewer.staff ? '{subject body comments notes}' : '{subject body comments}';
  const match = terms
    .filter((t) => [...t].length >= 3)
    .map((t) => `${columns} : "${t.replace(/"/g, '""')}"`)
    .join(' AND ');
  const rows = await all<TicketDb>(db, sql`
    SELECT ${sql.raw(ROW_T)} FROM lexicon_search s JOIN tickets t ON t.id = s.rowid
     WHERE lexicon_search MATCH ${match} ${mine}
     ORDER BY t.updated_at DESC, t.id DESC LIMIT ${input.limit}`);
  return rows.map(toRow);
}

const ROW_T = 't.id, t.subject, t.status, t.priority, t.creator_id, t.assignee_id, t.created_at, t.updated_at, t.resolution_due_at, t.version';

/**
 * Moves many tickets to one status atomically. The audit rows are written first,
 * reading each ticket's current status as `from`; then one UPDATE moves them all.
 * If any ticket may not make the move, the lifecycle trigger aborts that UPDATE and
 * D1 rolls back the whole batch, audit rows included: the set is all or nothing.
 * Tickets already in the target status are left alone (and not audited).
 */
export async function bulkChangeStatus(
  db: D1Database,
  input: { ids: number[]; to: Status; actor: Actor; now: number },
): Promise<{ ok: true; changed: TicketRow[] } | { ok: false; reason: 'invalid_transition'; blocking: Array<{ id: number; status: Status }> }> {
  const ids = JSON.stringify([...new Set(input.ids)]);
  try {
    const [, updated] = await batch<TicketDb>(db, [
      sql`INSERT INTO lexicon_audit (ticket_id, actor_id, action, from_value, to_value, request_id, created_at)
          SELECT id, ${input.actor.id}, 'status', status, ${input.to}, ${input.actor.requestId}, ${input.now}
            FROM tickets WHERE id IN (SELECT value FROM json_each(${ids})) AND status <> ${input.to}`,
      sql`UPDATE tickets SET status = ${input.to}, version = version + 1, updated_at = ${input.now}
           WHERE id IN (SELECT value FROM json_each(${ids})) AND status <> ${input.to}
       RETURNING ${ROW}`,
    ]);
    return { ok: true, changed: (updated?.results ?? []).map(toRow) };
  } catch (error) {
    if (!raisedCode(error, 'invalid_transition')) throw error;
    // Say which tickets stood in the way (those with no path to the target status).
    const rows = await all<{ id: number; status: Status }>(db, sql`
      SELECT t.id, t.status FROM tickets t
       WHERE t.id IN (SELECT value FROM json_each(${ids})) AND t.status <> ${input.to}
         AND NOT EXISTS (SELECT 1 FROM lexicon_transitions x WHERE x.from_status = t.status AND x.to_status = ${input.to})
       ORDER BY t.id`);
    return { ok: false, reason: 'invalid_transition', blocking: rows };
  }
}
